package io.github.tokenprepending.server;

/** An answer other than 200: the status and the {@code {error, error_type}} body. */
final class ApiException extends RuntimeException {
    private final int status;
    private final String type;

    ApiException(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    static ApiException validation(int status, String message) {
        return new ApiException(status, "validation", message);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }
}
