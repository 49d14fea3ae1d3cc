package io.github.tokenprepending.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the Hugging Face Hub on 127.0.0.1: the model API, {@code resolve} URLs with the Hub's headers
 * ({@code ETag}, {@code X-Linked-Etag}, {@code X-Linked-Size}, {@code X-Repo-Commit}), LFS files redirected to a
 * second server (another origin, like the Hub's CDN) or to a same-origin path, {@code Range} support, and injectable
 * faults. It records every request both servers see.
 */
final class FakeHub implements AutoCloseable {

    static final String TOKEN = "hf_FakeSecretToken0123456789abcdefXYZ";

    static {
        LogCapture.enableDebug();
    }

    /** A request one of the servers saw. */
    record Request(String server, String method, String path, String query, String authorization, String range) {

        /** @return the repository file a resolve or CDN request is for, else null */
        String file() {
            int resolve = path.indexOf("/resolve/");
            if (resolve >= 0) {
                String rest = path.substring(resolve + "/resolve/".length());
                return decode(rest.substring(rest.indexOf('/') + 1));
            }
            return path.contains("/cdn/") && query != null ? decode(query.replaceAll(".*filename=([^&]*).*", "$1"))
                    : null;
        }
    }

    /** A model repository at one commit. */
    static final class Repo {
        private final String id;
        private volatile String commit;
        private final Set<String> refs = ConcurrentHashMap.newKeySet();
        private final Map<String, byte[]> files = new LinkedHashMap<>();
        private final Set<String> lfs = ConcurrentHashMap.newKeySet();
        private final Map<String, String> advertisedEtags = new ConcurrentHashMap<>();

        private Repo(String id, String commit) {
            this.id = id;
            this.commit = commit;
            refs.add("main");
        }

        String commit() {
            return commit;
        }

        /** Moves every ref to a new commit (same files unless changed afterwards). */
        Repo newCommit(String newCommit) {
            this.commit = newCommit;
            return this;
        }

        Repo ref(String revision) {
            refs.add(revision);
            return this;
        }

        Repo file(String name, String text) {
            return file(name, text.getBytes(StandardCharsets.UTF_8));
        }

        Repo file(String name, byte[] content) {
            files.put(name, content);
            lfs.remove(name);
            return this;
        }

        /** Adds a file stored with git LFS: served through a redirect, with its sha256 as X-Linked-Etag. */
        Repo lfs(String name, byte[] content) {
            files.put(name, content);
            lfs.add(name);
            return this;
        }

        /** Makes the Hub announce another ETag (checksum) than the file's real one. */
        Repo advertiseEtag(String name, String etag) {
            advertisedEtags.put(name, etag);
            return this;
        }

        /** @return the files by path; remove entries to take files out */
        Map<String, byte[]> files() {
            return files;
        }

        byte[] content(String name) {
            return files.get(name);
        }

        private Optional<String> commitOf(String revision) {
            return refs.contains(revision) || revision.equals(commit) ? Optional.of(commit) : Optional.empty();
        }
    }

    private record StatusFault(Predicate<String> path, int status, String errorCode, AtomicInteger remaining) { }

    private record BodyFault(String file, int bytesBeforeFailure, boolean stall, AtomicInteger remaining) { }

    private final HttpServer hub;
    private final HttpServer cdn;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch released = new CountDownLatch(1);
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> downloads = new CopyOnWriteArrayList<>();
    private final List<StatusFault> statusFaults = new CopyOnWriteArrayList<>();
    private final List<BodyFault> bodyFaults = new CopyOnWriteArrayList<>();
    private volatile boolean ignoreRange;
    private volatile boolean sameOriginCdn;
    private volatile boolean weakEtags;
    private int commits;

    FakeHub() {
        try {
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
            hub = HttpServer.create(loopback, 0);
            cdn = HttpServer.create(loopback, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hub.createContext("/", exchange -> handle("hub", exchange));
        cdn.createContext("/", exchange -> handle("cdn", exchange));
        hub.setExecutor(executor);
        cdn.setExecutor(executor);
        hub.start();
        cdn.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    private String cdnBase() {
        return "http://127.0.0.1:" + cdn.getAddress().getPort();
    }

    /** @return a new empty repository with a fresh commit hash */
    synchronized Repo repo(String id) {
        Repo repo = new Repo(id, nextCommit());
        repos.put(id, repo);
        return repo;
    }

    /** @return a repository with a complete single-file model, a README and .gitattributes */
    Repo modelRepo(String id) {
        return repo(id)
                .file("config.json", "{\"model_type\": \"llama\", \"num_hidden_layers\": 2, \"hidden_size\": 8}")
                .file("tokenizer.json", "{\"version\": \"1.0\", \"model\": {\"type\": \"BPE\"}}")
                .file("tokenizer_config.json", "{\"add_bos_token\": true}")
                .file("special_tokens_map.json", "{\"bos_token\": \"<s>\"}")
                .file("README.md", "# a test model")
                .file(".gitattributes", "*.safetensors filter=lfs diff=lfs merge=lfs -text\n")
                .lfs("model.safetensors", bytes(6000, 1));
    }

    synchronized String nextCommit() {
        return sha1Hex(("commit " + ++commits + " " + System.nanoTime()).getBytes(StandardCharsets.UTF_8));
    }

    /** Answers the next {@code times} hub requests whose path starts with the prefix with an error. */
    void failNext(String pathPrefix, int times, int status, String errorCode) {
        statusFaults.add(new StatusFault(p -> p.startsWith(pathPrefix), status, errorCode, new AtomicInteger(times)));
    }

    /** Drops the connection after some bytes of the next {@code times} downloads of the file. */
    void dropAfter(String file, int bytes, int times) {
        bodyFaults.add(new BodyFault(file, bytes, false, new AtomicInteger(times)));
    }

    /** Sends some bytes of the next download of the file, then nothing until the hub is closed. */
    void stallAfter(String file, int bytes) {
        bodyFaults.add(new BodyFault(file, bytes, true, new AtomicInteger(1)));
    }

    void ignoreRange(boolean ignore) {
        this.ignoreRange = ignore;
    }

    /** Redirects LFS files to a path on the hub itself instead of the other server. */
    void sameOriginCdn(boolean sameOrigin) {
        this.sameOriginCdn = sameOrigin;
    }

    /** Sends the ETags of regular files as weak validators, {@code W/"..."}. */
    void weakEtags(boolean weak) {
        this.weakEtags = weak;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** @return the repository files whose content was sent (fully or not), once per GET, in order */
    List<String> downloadedFiles() {
        return List.copyOf(downloads);
    }

    private void handle(String server, HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(server, exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Range")));
            Optional<StatusFault> fault = server.equals("hub") ? takeStatusFault(path) : Optional.empty();
            if (fault.isPresent()) {
                error(exchange, fault.get().status(), fault.get().errorCode());
            } else if (path.startsWith("/cdn/")) {
                cdnObject(exchange, path);
            } else if (server.equals("hub") && path.startsWith("/api/models/")) {
                api(exchange, path.substring("/api/models/".length()));
            } else if (server.equals("hub") && path.contains("/resolve/")) {
                resolve(exchange, path);
            } else {
                error(exchange, 404, null);
            }
        } finally {
            exchange.close();
        }
    }

    private Optional<StatusFault> takeStatusFault(String path) {
        return statusFaults.stream().filter(f -> f.path().test(path) && f.remaining().getAndDecrement() > 0)
                .findFirst();
    }

    private void api(HttpExchange exchange, String rest) throws IOException {
        int split = rest.indexOf("/revision/");
        Repo repo = split < 0 ? null : repos.get(rest.substring(0, split));
        if (repo == null) {
            error(exchange, 404, "RepoNotFound");
            return;
        }
        Optional<String> commit = repo.commitOf(decode(rest.substring(split + "/revision/".length())));
        if (commit.isEmpty()) {
            error(exchange, 404, "RevisionNotFound");
            return;
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode info = json.createObjectNode().put("_id", "65a1b2c3").put("id", repo.id).put("modelId", repo.id)
                .put("private", false).put("gated", false).put("sha", commit.get())
                .put("lastModified", "2024-01-01T00:00:00.000Z");
        info.putArray("tags").add("safetensors").add("llama");
        ArrayNode siblings = info.putArray("siblings");
        repo.files.keySet().forEach(name -> siblings.addObject().put("rfilename", name));
        byte[] body = json.writeValueAsBytes(info);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private void resolve(HttpExchange exchange, String path) throws IOException {
        int split = path.indexOf("/resolve/");
        Repo repo = repos.get(path.substring(1, split));
        String rest = path.substring(split + "/resolve/".length());
        int slash = rest.indexOf('/');
        if (repo == null || slash < 0) {
            error(exchange, 404, "RepoNotFound");
            return;
        }
        Optional<String> commit = repo.commitOf(decode(rest.substring(0, slash)));
        String file = decode(rest.substring(slash + 1));
        byte[] content = repo.files.get(file);
        if (commit.isEmpty() || content == null) {
            error(exchange, 404, commit.isEmpty() ? "RevisionNotFound" : "EntryNotFound");
            return;
        }
        Headers headers = exchange.getResponseHeaders();
        headers.set("X-Repo-Commit", commit.get());
        if (repo.lfs.contains(file)) {
            String sha256 = sha256Hex(content);
            headers.set("X-Linked-Etag", "\"" + repo.advertisedEtags.getOrDefault(file, sha256) + "\"");
            headers.set("X-Linked-Size", Long.toString(content.length));
            // the ETag of an LFS file's redirect is the git id of its pointer file, not a checksum of the content
            headers.set("ETag", "\"" + sha1Hex(("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256)
                    .getBytes(StandardCharsets.UTF_8)) + "\"");
            headers.set("Location", (sameOriginCdn ? "" : cdnBase()) + "/cdn/repos/" + sha256 + "?filename="
                    + URLEncoder.encode(file, StandardCharsets.UTF_8) + "&Signature=s1gn4ture");
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        String etag = "\"" + repo.advertisedEtags.getOrDefault(file, gitBlobSha1(content)) + "\"";
        headers.set("ETag", weakEtags ? "W/" + etag : etag);
        body(exchange, file, content);
    }

    private void cdnObject(HttpExchange exchange, String path) throws IOException {
        String sha256 = path.substring(path.lastIndexOf('/') + 1);
        for (Repo repo : repos.values()) {
            for (String file : repo.lfs) {
                if (sha256Hex(repo.files.get(file)).equals(sha256)) {
                    exchange.getResponseHeaders().set("ETag", "\"s3-" + sha256.substring(0, 8) + "-1\"");
                    body(exchange, file, repo.files.get(file));
                    return;
                }
            }
        }
        error(exchange, 404, null);
    }

    private void body(HttpExchange exchange, String file, byte[] content) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Accept-Ranges", "bytes");
        int start = 0;
        int status = 200;
        String range = exchange.getRequestHeaders().getFirst("Range");
        Matcher matcher = Pattern.compile("bytes=(\\d+)-").matcher(range == null ? "" : range);
        if (!ignoreRange && matcher.matches()) {
            start = Integer.parseInt(matcher.group(1));
            if (start >= content.length) {
                headers.set("Content-Range", "bytes */" + content.length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            status = 206;
            headers.set("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        int length = content.length - start;
        if (exchange.getRequestMethod().equals("HEAD")) {
            headers.set("Content-Length", Integer.toString(length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        downloads.add(file);
        Optional<BodyFault> fault = bodyFaults.stream()
                .filter(f -> f.file().equals(file) && f.remaining().getAndDecrement() > 0).findFirst();
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        OutputStream out = exchange.getResponseBody();
        if (fault.isEmpty()) {
            out.write(content, start, length);
            return;
        }
        out.write(content, start, Math.min(fault.get().bytesBeforeFailure(), length));
        out.flush();
        if (fault.get().stall()) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // closing the exchange before all announced bytes are written drops the connection
    }

    private static void error(HttpExchange exchange, int status, String errorCode) throws IOException {
        if (errorCode != null) {
            exchange.getResponseHeaders().set("X-Error-Code", errorCode);
        }
        // like a careless server, echo the credentials in the error message
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        exchange.getResponseHeaders().set("X-Error-Message", "fake hub says " + status
                + (authorization == null ? "" : " to " + authorization));
        exchange.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        released.countDown();
        hub.stop(0);
        cdn.stop(0);
        executor.shutdownNow();
    }

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256Hex(byte[] content) {
        return hex("SHA-256", content);
    }

    static String gitBlobSha1(byte[] content) {
        byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[header.length + content.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(content, 0, all, header.length, content.length);
        return sha1Hex(all);
    }

    private static String sha1Hex(byte[] content) {
        return hex("SHA-1", content);
    }

    private static String hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
