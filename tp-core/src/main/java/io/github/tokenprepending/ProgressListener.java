package io.github.tokenprepending;

/** Receives progress of a long {@link TokenPrependingEncoder#embed(java.util.List, ProgressListener)} call. */
@FunctionalInterface
public interface ProgressListener {

    /**
     * Called after each batch.
     *
     * @param done prompts embedded so far
     * @param total prompts to embed (sentences times templates)
     */
    void onProgress(long done, long total);

    /** @return a listener that ignores progress */
    static ProgressListener none() {
        return (done, total) -> { };
    }
}
