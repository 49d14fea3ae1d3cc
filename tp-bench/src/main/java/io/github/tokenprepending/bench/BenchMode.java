package io.github.tokenprepending.bench;

import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.TpRange;
import io.github.tokenprepending.prompt.PromptMethod;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** One way of running a prompt method that the bench measures; a result is keyed by (method, mode). */
public enum BenchMode {
    /** Vanilla at full depth (every layer). */
    FULL("full", "vanilla", false),
    /** Vanilla at the TP output layer. */
    EARLY("early", "vanilla", false),
    /** Token Prepending. */
    TP("tp", "tp", false),
    /** Token Prepending with the prefix cache. */
    TP_CACHE("tp-cache", "tp", true),
    /** A named prompt of a trained embedder, under the model's own settings (not one of {@link #parse}'s modes). */
    TRAINED("trained", "trained", false);

    /** The modes a prompt method runs in, in the bench's order: full, early, tp, tp-cache. */
    public static final List<BenchMode> METHOD_MODES = List.of(FULL, EARLY, TP, TP_CACHE);

    private final String id;
    private final String kind;
    private final boolean prefixCache;

    BenchMode(String id, String kind, boolean prefixCache) {
        this.id = id;
        this.kind = kind;
        this.prefixCache = prefixCache;
    }

    /** @return the name {@code --modes} takes: full, early, tp, tp-cache */
    public String id() {
        return id;
    }

    /** @return "vanilla" or "tp", as the table's mode column shows it */
    public String kind() {
        return kind;
    }

    /** @return whether the prefix cache is on */
    public boolean prefixCache() {
        return prefixCache;
    }

    /**
     * @param method the prompt method (unused by {@link #TRAINED})
     * @param range the TP range the model starts from
     * @param outputLayer the output layer the model starts from (full depth ignores it)
     * @return the encoder settings of this mode
     */
    Consumer<TpConfig.Builder> settings(PromptMethod method, TpRange range, OutputLayer outputLayer) {
        return switch (this) {
            case FULL -> c -> c.prompt(method).vanilla().outputLayer(OutputLayer.last()).prefixCache(false);
            case EARLY -> c -> c.prompt(method).vanilla().outputLayer(outputLayer).prefixCache(false);
            case TP -> c -> c.prompt(method).tp(range).outputLayer(outputLayer).prefixCache(false);
            case TP_CACHE -> c -> c.prompt(method).tp(range).outputLayer(outputLayer).prefixCache(true);
            case TRAINED -> c -> { };
        };
    }

    /**
     * @param ids mode names, as {@code --modes} takes them
     * @return the modes, in the bench's order (full, early, tp, tp-cache) whatever the order given
     * @throws IllegalArgumentException for an unknown or repeated name, or none
     */
    public static List<BenchMode> parse(List<String> ids) {
        Set<BenchMode> modes = EnumSet.noneOf(BenchMode.class);
        for (String id : ids) {
            BenchMode mode = METHOD_MODES.stream().filter(m -> m.id.equals(id.trim().toLowerCase(Locale.ROOT)))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown mode '" + id + "' (modes: "
                            + METHOD_MODES.stream().map(BenchMode::id).collect(Collectors.joining(", ")) + ")"));
            if (!modes.add(mode)) {
                throw new IllegalArgumentException("mode '" + mode.id + "' is given twice: each mode is measured once");
            }
        }
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("no mode given");
        }
        return new ArrayList<>(modes);
    }
}
