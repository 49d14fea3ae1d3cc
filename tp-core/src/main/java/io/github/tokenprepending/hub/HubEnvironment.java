package io.github.tokenprepending.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hub settings from environment variables, read as huggingface_hub reads them, so that Python tools and this library
 * share one cache and one login.
 */
final class HubEnvironment {

    private static final Logger LOG = LoggerFactory.getLogger(HubEnvironment.class);
    private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

    private final Map<String, String> env;
    private final Path home;

    HubEnvironment(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    /** @return {@code HF_HOME}, else {@code $XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface} */
    Path hfHome() {
        return path("HF_HOME").orElseGet(() -> path("XDG_CACHE_HOME").orElse(home.resolve(".cache"))
                .resolve("huggingface"));
    }

    /** @return {@code HF_HUB_CACHE}, else the legacy {@code HUGGINGFACE_HUB_CACHE}, else {@code $HF_HOME/hub} */
    Path cacheDir() {
        return path("HF_HUB_CACHE").or(() -> path("HUGGINGFACE_HUB_CACHE")).orElseGet(() -> hfHome().resolve("hub"));
    }

    /** @return {@code HF_ENDPOINT}, when set */
    Optional<String> endpoint() {
        return value("HF_ENDPOINT");
    }

    /** @return whether {@code HF_HUB_OFFLINE} (or {@code TRANSFORMERS_OFFLINE}) is 1, ON, YES or TRUE */
    boolean offline() {
        return isTrue("HF_HUB_OFFLINE") || isTrue("TRANSFORMERS_OFFLINE");
    }

    /**
     * @return {@code HF_TOKEN}, else the legacy {@code HUGGING_FACE_HUB_TOKEN}, else the token file
     *     ({@code HF_TOKEN_PATH}, default {@code $HF_HOME/token}) that {@code huggingface-cli login} writes
     */
    Optional<HubToken> token() {
        return HubToken.of(env.get("HF_TOKEN"), "HF_TOKEN")
                .or(() -> HubToken.of(env.get("HUGGING_FACE_HUB_TOKEN"), "HUGGING_FACE_HUB_TOKEN"))
                .or(() -> tokenFile(path("HF_TOKEN_PATH").orElseGet(() -> hfHome().resolve("token"))));
    }

    private static Optional<HubToken> tokenFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return HubToken.of(Files.readString(file, StandardCharsets.UTF_8), "the token file " + file);
        } catch (IOException e) {
            LOG.warn("Cannot read the token file {} ({}); continuing without a token", file,
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private boolean isTrue(String name) {
        return value(name).map(v -> TRUE.contains(v.toUpperCase(Locale.ROOT))).orElse(false);
    }

    private Optional<String> value(String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** A path variable; a leading {@code ~} means the home directory. */
    private Optional<Path> path(String name) {
        return value(name).map(v -> v.equals("~") ? home
                : v.startsWith("~/") ? home.resolve(v.substring(2)) : Path.of(v));
    }
}
