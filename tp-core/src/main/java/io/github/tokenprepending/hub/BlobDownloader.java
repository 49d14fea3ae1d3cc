package io.github.tokenprepending.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one file into its blob: through {@code {blob}.incomplete}, resuming with {@code Range} requests after a
 * dropped connection (or an earlier run), verifying size and checksum, and only then renaming it to its final name.
 */
final class BlobDownloader {

    private static final Logger LOG = LoggerFactory.getLogger(BlobDownloader.class);
    private static final Pattern CONTENT_RANGE_START = Pattern.compile("bytes (\\d+)-");

    private final HubHttp http;
    private final DownloadListener listener;

    BlobDownloader(HubHttp http, DownloadListener listener) {
        this.http = http;
        this.listener = listener;
    }

    /**
     * @param uri the file's {@code resolve} URL
     * @param meta the file's ETag and size
     * @param blob the final path, {@code blobs/{etag}}
     * @param target the file, for messages
     */
    void download(URI uri, FileMetadata meta, Path blob, RequestTarget target) {
        Path partial = blob.resolveSibling(blob.getFileName() + ".incomplete");
        ContentCheck check = ContentCheck.forEtag(meta.etag(), meta.size());
        try {
            Files.createDirectories(blob.getParent());
        } catch (IOException e) {
            throw new HubException(HubException.Kind.CACHE_IO, "cannot create " + blob.getParent() + ": " + e, e);
        }
        listener.fileStarted(target.file(), meta.size());
        try {
            http.withRetries("download of " + target.describe(), () -> transfer(uri, partial, meta, check, target));
            check.verify(target);
        } catch (HubException e) {
            if (e.kind() == HubException.Kind.CORRUPT_DOWNLOAD) {
                deleteQuietly(partial);
            }
            throw e;
        }
        try {
            HubCache.moveAtomically(partial, blob);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.CACHE_IO, "cannot move " + partial + " to " + blob + ": " + e, e);
        }
        listener.fileFinished(target.file());
    }

    /** One attempt: continues the partial file where it ends and returns the complete file's length. */
    private long transfer(URI uri, Path partial, FileMetadata meta, ContentCheck check, RequestTarget target)
            throws IOException, InterruptedException {
        long size = meta.size();
        try (PartialFile out = PartialFile.open(partial)) {
            long have = out.size();
            if (size >= 0 && have > size) {
                have = 0;
            }
            if (have > 0 && have == size) {
                out.keep(have, check);
                return have;
            }
            HttpResponse<InputStream> response = http.download(uri, have, target);
            try (InputStream body = http.guard(response.body())) {
                long start = startOffset(response, have);
                if (start < 0) {
                    out.keep(0, check);
                    throw new IOException("the server could not resume at byte " + have + " (HTTP "
                            + response.statusCode() + ")");
                }
                out.keep(start, check);
                long done = copy(body, out, start, size, check, target);
                out.force();
                return done;
            }
        }
    }

    /** @return where the response body starts in the file, or -1 when it cannot continue the partial file */
    private static long startOffset(HttpResponse<?> response, long requested) {
        if (response.statusCode() == 200) {
            if (requested > 0) {
                LOG.debug("The server ignored the Range request; downloading from the start");
            }
            return 0;
        }
        if (response.statusCode() == 206) {
            Matcher range = CONTENT_RANGE_START.matcher(response.headers().firstValue("Content-Range").orElse(""));
            if (range.lookingAt() && Long.parseLong(range.group(1)) == requested) {
                return requested;
            }
        }
        return -1;
    }

    private long copy(InputStream body, PartialFile out, long start, long size, ContentCheck check,
            RequestTarget target) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long position = start;
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
            out.write(buffer, n);
            check.update(buffer, 0, n);
            position += n;
            if (size >= 0 && position > size) {
                throw new HubException(HubException.Kind.CORRUPT_DOWNLOAD, "the server sent more than the " + size
                        + " bytes announced for " + target.describe() + "; the partial download was deleted");
            }
            listener.bytesTransferred(target.file(), position, size);
        }
        if (size >= 0 && position < size) {
            throw new IOException("connection closed after " + position + " of " + size + " bytes");
        }
        return position;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.toString());
        }
    }
}
