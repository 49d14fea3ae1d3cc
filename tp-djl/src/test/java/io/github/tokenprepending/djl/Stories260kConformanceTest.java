package io.github.tokenprepending.djl;

import io.github.tokenprepending.conformance.LayerwiseModelConformance;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/** The conformance kit on the real stories260K checkpoint with its real tokenizer (loaded through the provider). */
class Stories260kConformanceTest extends LayerwiseModelConformance {
    private Path dir;

    @Override
    protected LayerwiseModel createModel() throws Exception {
        dir = Stories260k.writeTo(Files.createTempDirectory("stories260k"));
        return new DjlModelProvider().load(dir, ModelOptions.defaults());
    }

    @AfterAll
    void deleteFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
