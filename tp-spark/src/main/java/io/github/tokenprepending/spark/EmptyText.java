package io.github.tokenprepending.spark;

/** What happens to rows whose text is null or empty (no row is ever dropped, and none fails the job). */
public enum EmptyText {
    /** Embed them as the empty sentence (the default; as {@code tp embed} does with empty lines). */
    EMBED,
    /** Leave their embedding null and do not send them to the model. */
    SKIP
}
