package io.github.tokenprepending.hub;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/** The {@link BundledModel}s on the class path, looked up by name (letter case ignored). */
public final class BundledModels {
    /** The name of the bundled demo model, stories260K (artifact {@code tp-models-stories260k}). */
    public static final String DEMO = "stories260k";

    private BundledModels() {
    }

    /**
     * @param name a model as the user gave it
     * @return the bundled model's directory when {@code name} names one on the class path
     */
    public static Optional<Path> find(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (BundledModel m : ServiceLoader.load(BundledModel.class, BundledModels.class.getClassLoader())) {
            if (m.name().toLowerCase(Locale.ROOT).equals(key)) {
                return Optional.of(m.directory());
            }
        }
        return Optional.empty();
    }
}
