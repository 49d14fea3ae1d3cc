package io.github.tokenprepending.hub;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a model id or a directory into a local directory in Hugging Face layout ({@code config.json},
 * {@code tokenizer.json}, {@code tokenizer_config.json}, safetensors weights), sharing the cache of the Python
 * {@code huggingface_hub} library:
 * <ol>
 *   <li>an existing directory is returned as is;</li>
 *   <li>a model whose needed files are all in the cache is returned from there without any network access;</li>
 *   <li>otherwise the needed files are downloaded from the Hub into the cache (resumably, verified, atomically).</li>
 * </ol>
 * Settings come from the environment as in huggingface_hub ({@code HF_HUB_CACHE}, {@code HF_HOME},
 * {@code HF_ENDPOINT}, {@code HF_TOKEN} or the token file, {@code HF_HUB_OFFLINE}); builder settings override them.
 *
 * <pre>{@code
 * try (ModelResolver resolver = ModelResolver.builder().build()) {
 *     Path dir = resolver.resolve("meta-llama/Llama-2-7b-hf");
 * }
 * }</pre>
 *
 * A cached revision is not checked for updates: pass a commit hash to pin one, or a new revision to move on. Calls
 * on one resolver run one at a time.
 */
public final class ModelResolver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelResolver.class);
    private static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Pattern REVISION =
            Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]*(/[A-Za-z0-9_][A-Za-z0-9_.+-]*)*");

    private final HubCache cache;
    private final String endpoint;
    private final Optional<HubToken> token;
    private final boolean offline;
    private final String revision;
    private final DownloadListener listener;
    private final int maxAttempts;
    private final Duration retryBackoff;
    private final Duration timeout;
    private HubHttp http;
    private boolean closed;

    private ModelResolver(Builder builder, HubEnvironment environment) {
        this.cache = new HubCache(builder.cacheDir != null ? builder.cacheDir : environment.cacheDir());
        this.endpoint = checkEndpoint(builder.endpoint != null ? builder.endpoint
                : environment.endpoint().orElse(DEFAULT_ENDPOINT));
        this.token = builder.token != null ? HubToken.of(builder.token, "ModelResolver.Builder.token")
                : environment.token();
        this.offline = builder.offline != null ? builder.offline : environment.offline();
        this.revision = builder.revision;
        this.listener = builder.listener;
        this.maxAttempts = builder.maxAttempts;
        this.retryBackoff = builder.retryBackoff;
        this.timeout = builder.timeout;
    }

    /** @return a builder whose defaults come from {@link System#getenv()} and the user's home directory */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Resolves a model at the default revision.
     *
     * @param idOrPath an existing directory, or a Hub model id such as {@code meta-llama/Llama-2-7b-hf}
     * @return a directory holding the model's files
     * @throws HubException when the model cannot be found, accessed or downloaded; {@link HubException#kind()} says why
     */
    public Path resolve(String idOrPath) {
        return resolve(idOrPath, revision);
    }

    /**
     * Resolves a model at a revision.
     *
     * @param idOrPath a {@link BundledModel}'s name ({@code stories260k}), an existing directory, or a Hub model id
     *     such as {@code meta-llama/Llama-2-7b-hf}
     * @param revision a branch, tag or commit hash (ignored for a directory)
     * @return a directory holding the model's files
     * @throws HubException when the model cannot be found, accessed or downloaded; {@link HubException#kind()} says why
     */
    public synchronized Path resolve(String idOrPath, String revision) {
        Objects.requireNonNull(idOrPath, "idOrPath");
        Objects.requireNonNull(revision, "revision");
        Optional<Path> bundled = BundledModels.find(idOrPath);
        if (bundled.isPresent()) {
            return bundled.get();
        }
        Optional<Path> local = localDirectory(idOrPath);
        if (local.isPresent()) {
            return local.get();
        }
        if (!RepoId.isValid(idOrPath)) {
            throw new HubException(HubException.Kind.INVALID_ID, "'" + idOrPath + "' is neither an existing directory"
                    + " nor a valid model id ('name' or 'org/name' of letters, digits, '-', '_' and '.', as in"
                    + " 'meta-llama/Llama-2-7b-hf')");
        }
        if (!REVISION.matcher(revision).matches() || revision.contains("..")) {
            throw new HubException(HubException.Kind.INVALID_ID, "'" + revision + "' is not a valid revision");
        }
        RepoId repo = new RepoId(idOrPath);
        Optional<Path> cached = cache.completeSnapshot(repo, revision);
        if (cached.isPresent()) {
            LOG.debug("Model {} (revision {}) is in the cache: {}", repo, revision, cached.get());
            return cached.get();
        }
        if (offline) {
            throw new HubException(HubException.Kind.NOT_CACHED, "model '" + repo + "' (revision " + revision
                    + ") is not completely in the cache at " + cache.root() + " and offline mode is on"
                    + " (HF_HUB_OFFLINE): resolve it once online, or pass a local directory");
        }
        if (closed) {
            throw new IllegalStateException("this ModelResolver is closed");
        }
        if (http == null) {
            http = new HubHttp(endpoint, token, maxAttempts, retryBackoff, timeout);
        }
        Path snapshot = new SnapshotFetcher(http, cache, listener).fetch(repo, revision);
        LOG.info("Model {} (revision {}) is ready in {}", repo, revision, snapshot);
        return snapshot;
    }

    /** @return the huggingface_hub cache directory this resolver reads and fills */
    public Path cacheDir() {
        return cache.root();
    }

    /** @return the Hub's base URL, without a trailing slash */
    public String endpoint() {
        return endpoint;
    }

    /** Releases the HTTP threads; cached models can still be resolved afterwards, downloads not. */
    @Override
    public synchronized void close() {
        closed = true;
        if (http != null) {
            http.close();
            http = null;
        }
    }

    private static Optional<Path> localDirectory(String idOrPath) {
        if (idOrPath.isBlank()) {
            throw new HubException(HubException.Kind.INVALID_ID, "an empty model id");
        }
        Path path;
        try {
            path = Path.of(idOrPath);
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        if (Files.isDirectory(path)) {
            return Optional.of(path.toAbsolutePath().normalize());
        }
        if (Files.exists(path)) {
            throw new HubException(HubException.Kind.INVALID_ID, "'" + idOrPath + "' is a file: pass the model's"
                    + " directory or a model id");
        }
        return Optional.empty();
    }

    private static String checkEndpoint(String url) {
        String trimmed = url.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid Hub endpoint '" + url + "'", e);
        }
        if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
                || "https".equalsIgnoreCase(uri.getScheme())) || uri.getQuery() != null) {
            throw new IllegalArgumentException("invalid Hub endpoint '" + url + "': expected an http(s) URL");
        }
        return trimmed;
    }

    /** Configures a {@link ModelResolver}; unset settings come from the environment. */
    public static final class Builder {

        private Map<String, String> env = System.getenv();
        private Path home;
        private Path cacheDir;
        private String endpoint;
        private String token;
        private Boolean offline;
        private String revision = "main";
        private DownloadListener listener = DownloadListener.logging();
        private int maxAttempts = 5;
        private Duration retryBackoff = Duration.ofSeconds(1);
        private Duration timeout = Duration.ofSeconds(30);

        private Builder() { }

        /** @param env the environment variables to read ({@code HF_*}); default {@link System#getenv()} */
        public Builder env(Map<String, String> env) {
            this.env = Map.copyOf(env);
            return this;
        }

        /** @param home the home directory, for {@code ~/.cache/huggingface}; default {@code user.home} */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        /** @param cacheDir the huggingface_hub cache directory; overrides {@code HF_HUB_CACHE} and {@code HF_HOME} */
        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
            return this;
        }

        /** @param endpoint the Hub's base URL; overrides {@code HF_ENDPOINT} (default https://huggingface.co) */
        public Builder endpoint(String endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** @param token an access token; overrides {@code HF_TOKEN} and the token file */
        public Builder token(String token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /** @param offline whether to use only the cache; overrides {@code HF_HUB_OFFLINE} */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /** @param revision the branch, tag or commit hash {@link #resolve(String)} uses; default {@code main} */
        public Builder revision(String revision) {
            this.revision = Objects.requireNonNull(revision, "revision");
            return this;
        }

        /** @param listener follows downloads; default {@link DownloadListener#logging()} */
        public Builder listener(DownloadListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** @param maxAttempts tries per request before giving up, at least 1; default 5 */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** @param retryBackoff the wait before the first retry, doubled for each further one; default 1 s */
        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = requirePositive(retryBackoff, "retryBackoff");
            return this;
        }

        /**
         * @param timeout how long to wait to connect, for response headers, and for more data of a response body
         *     before retrying; default 30 s
         */
        public Builder timeout(Duration timeout) {
            this.timeout = requirePositive(timeout, "timeout");
            return this;
        }

        private static Duration requirePositive(Duration duration, String name) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }

        /**
         * @return the resolver
         * @throws IllegalArgumentException when the endpoint (set or from {@code HF_ENDPOINT}) is not an http(s) URL
         */
        public ModelResolver build() {
            Path userHome = home != null ? home : Path.of(System.getProperty("user.home"));
            return new ModelResolver(this, new HubEnvironment(env, userHome));
        }
    }
}
