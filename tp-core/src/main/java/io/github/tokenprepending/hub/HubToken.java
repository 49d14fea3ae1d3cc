package io.github.tokenprepending.hub;

import java.util.Optional;

/**
 * A Hub access token and where it came from. Its {@link #toString()} never shows the secret, and
 * {@link #redact(String)} removes it from any text about to be logged or thrown.
 */
final class HubToken {

    private final String secret;
    private final String source;

    private HubToken(String secret, String source) {
        this.secret = secret;
        this.source = source;
    }

    /**
     * @param value the token as configured; surrounding whitespace is ignored
     * @param source where it came from, for messages (an environment variable or file, never the value)
     * @return the token, or empty when the value is null or blank
     */
    static Optional<HubToken> of(String value, String source) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new HubToken(value.strip(), source));
    }

    /** @return the {@code Authorization} header value */
    String authorization() {
        return "Bearer " + secret;
    }

    /** @return where the token came from, for example {@code HF_TOKEN} */
    String source() {
        return source;
    }

    /** @return the text with every occurrence of the secret masked */
    String redact(String text) {
        return text == null ? null : text.replace(secret, "***");
    }

    @Override
    public String toString() {
        return "HubToken[from " + source + "]";
    }
}
