package io.github.tokenprepending.spark;

/** An executor could not load the model; the message names the model, the executor and its host. */
public final class ModelUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
