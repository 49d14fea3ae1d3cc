package io.github.tokenprepending.hub;

/**
 * A model could not be resolved. The message says why and what to do; it never contains the access token.
 */
public final class HubException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why resolution failed. */
    public enum Kind {
        /** The argument is neither an existing directory nor a valid model id, or the revision is malformed. */
        INVALID_ID,
        /** The Hub has no such model, revision or file (or it is private and no token was sent). */
        NOT_FOUND,
        /** The model is gated or private and no token was sent, or the token has no access to it. */
        ACCESS_DENIED,
        /** The Hub rejected the token. */
        INVALID_TOKEN,
        /** The repository lacks what this library needs: safetensors weights, config.json or the tokenizer files. */
        UNSUPPORTED_REPO,
        /** Offline mode is on and the model is not completely in the cache. */
        NOT_CACHED,
        /** A downloaded file does not match its checksum or size; the partial file was deleted. */
        CORRUPT_DOWNLOAD,
        /** The Hub was unreachable or kept failing after retries, or answered something unusable. */
        NETWORK,
        /** The local cache could not be read or written. */
        CACHE_IO
    }

    private final Kind kind;

    HubException(Kind kind, String message) {
        this(kind, message, null);
    }

    HubException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** @return why resolution failed */
    public Kind kind() {
        return kind;
    }
}
