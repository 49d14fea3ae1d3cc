package io.github.tokenprepending.head;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the final layer's token states become one vector, as sentence-transformers' {@code Pooling} module names the
 * modes of its {@code 1_Pooling/config.json}.
 */
public enum Pooling {
    /** The last token's state (what Token Prepending reads; the last layer then runs for the last token only). */
    LAST_TOKEN("lasttoken"),
    /** The mean over the sentence's tokens: every attended token, special tokens included. */
    MEAN("mean"),
    /** The mean weighted by position 1, 2, ... within the row (SGPT's weighted mean). */
    WEIGHTED_MEAN("weightedmean");

    private final String id;

    Pooling(String id) {
        this.id = id;
    }

    /** @return the mode's name in sentence-transformers ({@code lasttoken}, {@code mean}, {@code weightedmean}) */
    public String id() {
        return id;
    }

    /**
     * @param name a mode name as sentence-transformers writes it ({@code lasttoken}, {@code mean},
     *     {@code weightedmean}); case, {@code -} and {@code _} ignored
     * @return the mode
     * @throws IllegalArgumentException for a mode this engine does not pool with, naming the supported ones
     */
    public static Pooling parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        for (Pooling p : values()) {
            if (p.id.equals(key) || p.name().replace("_", "").toLowerCase(Locale.ROOT).equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("pooling mode '" + name + "' is not supported (supported: "
                + String.join(", ", Arrays.stream(values()).map(Pooling::id).toList()) + ")");
    }
}
