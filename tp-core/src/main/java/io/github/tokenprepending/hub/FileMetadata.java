package io.github.tokenprepending.hub;

import java.net.http.HttpHeaders;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A file's identity and size as the Hub's {@code resolve} endpoint reports them. For LFS files the Hub answers with
 * a redirect carrying {@code X-Linked-Etag} (the content's sha256) and {@code X-Linked-Size}; for regular git files
 * with {@code ETag} (the git blob sha1) and {@code Content-Length}.
 *
 * @param etag the normalized ETag: the name of the file's blob in the cache
 * @param size the size in bytes, or -1 when unknown
 */
record FileMetadata(String etag, long size) {

    private static final Pattern BLOB_NAME = Pattern.compile("[A-Za-z0-9_.+=-]{1,200}");

    static FileMetadata from(HttpHeaders headers, int status, RequestTarget target) {
        String raw = headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag"))
                .orElseThrow(() -> new HubException(HubException.Kind.NETWORK, "the Hub sent no ETag for "
                        + target.describe()));
        String etag = normalizeEtag(raw);
        if (!BLOB_NAME.matcher(etag).matches() || etag.startsWith(".")) {
            throw new HubException(HubException.Kind.NETWORK, "the Hub sent an unusable ETag for " + target.describe());
        }
        long size = longHeader(headers, "X-Linked-Size")
                .or(() -> status / 100 == 2 ? longHeader(headers, "Content-Length") : Optional.empty())
                .orElse(-1L);
        return new FileMetadata(etag, size);
    }

    /** Strips a weak-validator {@code W/} prefix and the quotes. */
    static String normalizeEtag(String raw) {
        String etag = raw.strip();
        if (etag.startsWith("W/")) {
            etag = etag.substring(2);
        }
        if (etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            etag = etag.substring(1, etag.length() - 1);
        }
        return etag;
    }

    private static Optional<Long> longHeader(HttpHeaders headers, String name) {
        try {
            return headers.firstValue(name).map(value -> Long.parseLong(value.strip())).filter(value -> value >= 0);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
