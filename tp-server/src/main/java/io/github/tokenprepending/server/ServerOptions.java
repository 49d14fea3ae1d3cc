package io.github.tokenprepending.server;

/**
 * How the server listens and what it admits; the encoder's own settings (model, TP, {@code maxBatchTokens},
 * {@code maxTokens}, ...) come with the encoder.
 *
 * @param host the address to bind (default {@code 127.0.0.1}: this machine only)
 * @param port the port, 0 for any free one (default 8080)
 * @param servedModelName the model name in responses and {@code /info} (default: the encoder's model id)
 * @param maxBatchRequests most requests merged into one encoder call; 1 turns batching off (default: no limit, the
 *     encoder's {@code maxBatchTokens} bounds a merged call)
 * @param maxConcurrentRequests most requests queued or running at once; the next gets 429 (default 512)
 * @param maxClientBatchSize most inputs in one request; more get 413 (default 32)
 * @param payloadLimit most bytes in a request body; more get 413 (default 2,000,000)
 * @param autoTruncate cut inputs over the encoder's {@code maxTokens} instead of answering 413 (default false)
 * @param apiKey when set, every route but {@code /health} needs {@code Authorization: Bearer <key>} (default none)
 * @param shutdownTimeoutMillis how long a shutdown waits for admitted requests (default 30,000)
 */
public record ServerOptions(String host, int port, String servedModelName, int maxBatchRequests,
        int maxConcurrentRequests, int maxClientBatchSize, long payloadLimit, boolean autoTruncate, String apiKey,
        long shutdownTimeoutMillis) {

    /** Checks the values. */
    public ServerOptions {
        host = host == null || host.isBlank() ? "127.0.0.1" : host.trim();
        apiKey = apiKey == null || apiKey.isEmpty() ? null : apiKey;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        positive("max batch requests", maxBatchRequests);
        positive("max concurrent requests", maxConcurrentRequests);
        positive("max client batch size", maxClientBatchSize);
        positive("payload limit", payloadLimit);
        positive("shutdown timeout", shutdownTimeoutMillis);
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** The key is never shown. */
    @Override
    public String toString() {
        return "ServerOptions[host=" + host + ", port=" + port + ", servedModelName=" + servedModelName
                + ", maxBatchRequests=" + maxBatchRequests + ", maxConcurrentRequests=" + maxConcurrentRequests
                + ", maxClientBatchSize=" + maxClientBatchSize + ", payloadLimit=" + payloadLimit + ", autoTruncate="
                + autoTruncate + ", apiKey=" + (apiKey == null ? "none" : "(set)") + ", shutdownTimeoutMillis="
                + shutdownTimeoutMillis + "]";
    }

    /** Builds {@link ServerOptions}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private String servedModelName;
        private int maxBatchRequests = Integer.MAX_VALUE;
        private int maxConcurrentRequests = 512;
        private int maxClientBatchSize = 32;
        private long payloadLimit = 2_000_000;
        private boolean autoTruncate;
        private String apiKey;
        private long shutdownTimeoutMillis = 30_000;

        private Builder() {
        }

        /**
         * @param host the address to bind
         * @return this
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * @param port the port, 0 for any free one
         * @return this
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * @param name the model name in responses
         * @return this
         */
        public Builder servedModelName(String name) {
            this.servedModelName = name;
            return this;
        }

        /**
         * @param n most requests per encoder call (1: no batching)
         * @return this
         */
        public Builder maxBatchRequests(int n) {
            this.maxBatchRequests = n;
            return this;
        }

        /**
         * @param n most requests queued or running
         * @return this
         */
        public Builder maxConcurrentRequests(int n) {
            this.maxConcurrentRequests = n;
            return this;
        }

        /**
         * @param n most inputs per request
         * @return this
         */
        public Builder maxClientBatchSize(int n) {
            this.maxClientBatchSize = n;
            return this;
        }

        /**
         * @param bytes most bytes per request body
         * @return this
         */
        public Builder payloadLimit(long bytes) {
            this.payloadLimit = bytes;
            return this;
        }

        /**
         * @param autoTruncate cut over-long inputs instead of refusing them
         * @return this
         */
        public Builder autoTruncate(boolean autoTruncate) {
            this.autoTruncate = autoTruncate;
            return this;
        }

        /**
         * @param apiKey the bearer token every route but {@code /health} needs, or null
         * @return this
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * @param millis how long a shutdown waits for admitted requests
         * @return this
         */
        public Builder shutdownTimeoutMillis(long millis) {
            this.shutdownTimeoutMillis = millis;
            return this;
        }

        /** @return the options */
        public ServerOptions build() {
            return new ServerOptions(host, port, servedModelName, maxBatchRequests, maxConcurrentRequests,
                    maxClientBatchSize, payloadLimit, autoTruncate, apiKey, shutdownTimeoutMillis);
        }
    }
}
