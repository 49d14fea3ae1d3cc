package io.github.tokenprepending.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP with the Hub: its URL layout, the token (sent only to the endpoint's own origin, never across a redirect to
 * another host), manual redirects, retries with exponential backoff on dropped connections, 429 and 5xx, and clear
 * errors for everything else.
 */
final class HubHttp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HubHttp.class);
    private static final String USER_AGENT = "token-prepending-java";
    private static final int MAX_REDIRECTS = 10;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** One try of a request; an {@link IOException} means it may be retried. */
    interface Attempt<T> {
        T run() throws IOException, InterruptedException;
    }

    private final String endpoint;
    private final URI endpointUri;
    private final Optional<HubToken> token;
    private final int maxAttempts;
    private final Duration backoff;
    private final Duration timeout;
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private final HttpClient client;

    HubHttp(String endpoint, Optional<HubToken> token, int maxAttempts, Duration backoff, Duration timeout) {
        this.endpoint = endpoint;
        this.endpointUri = URI.create(endpoint);
        this.token = token;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.timeout = timeout;
        this.executor = Executors.newCachedThreadPool(daemonThreads("tp-hub-http"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("tp-hub-watchdog"));
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .executor(executor)
                .build();
    }

    /** @return {@code {endpoint}/{repo}/resolve/{commit}/{file}} */
    URI resolveUri(RepoId repo, String commit, String file) {
        String path = Arrays.stream(file.split("/")).map(HubHttp::encode).collect(Collectors.joining("/"));
        return URI.create(endpoint + "/" + repo + "/resolve/" + commit + "/" + path);
    }

    /** Asks the Hub which commit a revision points to and which files it has. */
    RepoInfo repoInfo(RepoId repo, String revision) {
        URI uri = URI.create(endpoint + "/api/models/" + repo + "/revision/" + encode(revision));
        RequestTarget target = new RequestTarget(repo, revision, null);
        return withRetries("GET " + display(uri), () -> {
            HttpResponse<InputStream> response = expect(send("GET", uri, Map.of(), false), target, s -> s == 200);
            try (InputStream body = guard(response.body())) {
                return RepoInfo.parse(body.readAllBytes(), repo);
            }
        });
    }

    /** Reads a file's ETag and size with a HEAD request, stopping at the redirect that carries them. */
    FileMetadata metadata(RepoId repo, String commit, String file) {
        URI uri = resolveUri(repo, commit, file);
        RequestTarget target = new RequestTarget(repo, commit, file);
        return withRetries("HEAD " + display(uri), () -> {
            HttpResponse<InputStream> response = expect(send("HEAD", uri, Map.of(), true), target,
                    s -> s / 100 == 2 || isRedirect(s));
            response.body().close();
            return FileMetadata.from(response.headers(), response.statusCode(), target);
        });
    }

    /**
     * Starts one download attempt, following redirects. The caller closes the body.
     *
     * @param offset the first byte wanted: above 0 a {@code Range} request, which the server may ignore (200)
     * @return a response with status 200, 206 or 416
     */
    HttpResponse<InputStream> download(URI uri, long offset, RequestTarget target)
            throws IOException, InterruptedException {
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        return expect(send("GET", uri, headers, false), target, s -> s == 200 || s == 206 || s == 416);
    }

    /** @return the body, failing with an {@link IOException} when no data arrives within the timeout */
    InputStream guard(InputStream body) {
        return new StallGuard(body, timeout, scheduler);
    }

    /**
     * Runs an attempt until it succeeds, retrying on {@link IOException} with exponential backoff. A host that cannot
     * be reached at all (unknown host, connection refused, no route) fails at once: retrying cannot help there.
     *
     * @param what the operation, for messages
     * @throws HubException ({@code NETWORK}) when every attempt failed
     */
    <T> T withRetries(String what, Attempt<T> attempt) {
        for (int tries = 1; ; tries++) {
            try {
                return attempt.run();
            } catch (IOException e) {
                String reason = describe(e);
                if (unreachable(e)) {
                    throw new HubException(HubException.Kind.NETWORK, what + " failed: cannot reach " + endpoint
                            + " (" + reason + "). Without a network: use a local checkpoint directory, or models"
                            + " already in the HuggingFace cache with --offline (HF_HUB_OFFLINE=1); or point"
                            + " HF_ENDPOINT at a reachable mirror", e);
                }
                if (tries >= maxAttempts) {
                    throw new HubException(HubException.Kind.NETWORK, what + " failed after " + tries
                            + (tries == 1 ? " attempt: " : " attempts: ") + reason, e);
                }
                Duration wait = backoff.multipliedBy(1L << Math.min(tries - 1, 20));
                wait = wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
                LOG.warn("{} failed ({}); retrying in {} ms ({}/{})", what, reason, wait.toMillis(), tries + 1,
                        maxAttempts);
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    throw interrupted(what, interrupted);
                }
            } catch (InterruptedException e) {
                throw interrupted(what, e);
            }
        }
    }

    /** Unknown host, connection refused, no route: the endpoint cannot be reached, now or after a retry. */
    private static boolean unreachable(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException
                    || t instanceof java.nio.channels.UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static HubException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new HubException(HubException.Kind.NETWORK, what + " was interrupted", e);
    }

    private String describe(IOException e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return token.map(t -> t.redact(text)).orElse(text);
    }

    private HttpResponse<InputStream> expect(HttpResponse<InputStream> response, RequestTarget target,
            IntPredicate accepted) throws IOException {
        int status = response.statusCode();
        if (accepted.test(status)) {
            return response;
        }
        response.body().close();
        if (status == 429 || status >= 500) {
            throw new IOException("HTTP " + status + " from " + display(response.uri()));
        }
        throw HubErrors.forStatus(status, response.headers(), target, endpoint, token);
    }

    /**
     * Sends a request, following redirects by hand so that the token goes only to the endpoint's origin.
     *
     * @param stopAtMetadata for HEAD: stop at a redirect that carries {@code X-Linked-Etag} or leaves the origin, as
     *     its headers describe the file while the target's describe a CDN object
     */
    private HttpResponse<InputStream> send(String method, URI uri, Map<String, String> headers,
            boolean stopAtMetadata) throws IOException, InterruptedException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(timeout)
                    .header("User-Agent", USER_AGENT)
                    .header("Accept-Encoding", "identity");
            headers.forEach(request::header);
            if (token.isPresent() && sameOrigin(current, endpointUri)) {
                request.header("Authorization", token.get().authorization());
            }
            LOG.debug("{} {}", method, display(current));
            HttpResponse<InputStream> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            Optional<String> location = response.headers().firstValue("Location");
            if (!isRedirect(response.statusCode()) || location.isEmpty()) {
                return response;
            }
            URI next = redirectTarget(current, location.get());
            if (stopAtMetadata && (response.headers().firstValue("X-Linked-Etag").isPresent()
                    || !sameOrigin(current, next))) {
                return response;
            }
            response.body().close();
            current = next;
        }
        throw new HubException(HubException.Kind.NETWORK, "more than " + MAX_REDIRECTS + " redirects from "
                + display(uri));
    }

    private static URI redirectTarget(URI from, String location) throws IOException {
        try {
            return from.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new IOException("unusable redirect from " + display(from), e);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** @return the URI without its query, which for a CDN holds a signature */
    private static String display(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        executor.shutdownNow();
    }
}
