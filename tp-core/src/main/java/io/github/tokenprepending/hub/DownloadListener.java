package io.github.tokenprepending.hub;

/**
 * Follows the files a {@link ModelResolver} downloads, one file at a time. Files found in the cache are not reported.
 * All methods do nothing by default.
 */
public interface DownloadListener {

    /**
     * A file download begins.
     *
     * @param file the file's path in the repository, for example {@code model-00001-of-00002.safetensors}
     * @param totalBytes the file's size, or -1 when the Hub did not say
     */
    default void fileStarted(String file, long totalBytes) { }

    /**
     * Bytes of the file arrived. {@code bytesDone} counts from the start of the file (a resumed download starts
     * above 0) and may go back to 0 when a server forces a restart.
     *
     * @param file the file's path in the repository
     * @param bytesDone bytes of the file on disk so far
     * @param totalBytes the file's size, or -1 when unknown
     */
    default void bytesTransferred(String file, long bytesDone, long totalBytes) { }

    /**
     * The file is complete, verified and in the cache under its final name.
     *
     * @param file the file's path in the repository
     */
    default void fileFinished(String file) { }

    /** @return a listener that logs through SLF4J at coarse steps (every 10% or 10 seconds) */
    static DownloadListener logging() {
        return new LoggingDownloadListener();
    }

    /** @return a listener that ignores all events */
    static DownloadListener none() {
        return new DownloadListener() { };
    }
}
