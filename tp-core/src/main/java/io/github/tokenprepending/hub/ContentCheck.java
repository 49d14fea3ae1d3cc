package io.github.tokenprepending.hub;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Verifies downloaded bytes against the checksum their ETag carries: the sha256 of the content for LFS files (64 hex
 * digits), the git blob sha1 ({@code sha1("blob {size}\0" + content)}) for regular git files (40 hex digits). Other
 * ETags are not checksums and are not verified.
 */
final class ContentCheck {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");

    private final String expected;
    private final String name;
    private final MessageDigest digest;
    private final long gitBlobSize;

    private ContentCheck(String expected, String name, String algorithm, long gitBlobSize) {
        this.expected = expected;
        this.name = name;
        this.gitBlobSize = gitBlobSize;
        try {
            this.digest = algorithm == null ? null : MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
    }

    /** @return the check an ETag allows; a regular file's git sha1 needs the size up front */
    static ContentCheck forEtag(String etag, long size) {
        if (SHA256.matcher(etag).matches()) {
            return new ContentCheck(etag, "sha256", "SHA-256", -1);
        }
        if (SHA1.matcher(etag).matches() && size >= 0) {
            return new ContentCheck(etag, "git blob sha1", "SHA-1", size);
        }
        return new ContentCheck(etag, "nothing", null, -1);
    }

    /** Starts over, hashing the first {@code length} bytes already in the file. */
    void restart(FileChannel file, long length) throws IOException {
        if (digest == null) {
            return;
        }
        digest.reset();
        if (gitBlobSize >= 0) {
            digest.update(("blob " + gitBlobSize + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        for (long position = 0; position < length; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
            int read = file.read(buffer, position);
            if (read < 0) {
                throw new EOFException("file shorter than " + length + " bytes");
            }
            digest.update(buffer.flip());
            position += read;
        }
    }

    void update(byte[] bytes, int offset, int length) {
        if (digest != null) {
            digest.update(bytes, offset, length);
        }
    }

    /**
     * Compares the bytes hashed since the last {@link #restart}.
     *
     * @throws HubException ({@code CORRUPT_DOWNLOAD}) naming the file when they do not match
     */
    void verify(RequestTarget target) {
        if (digest == null) {
            return;
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected)) {
            throw new HubException(HubException.Kind.CORRUPT_DOWNLOAD, "checksum mismatch for " + target.describe()
                    + ": expected " + name + " " + expected + ", got " + actual
                    + "; the partial download was deleted, try again");
        }
    }
}
