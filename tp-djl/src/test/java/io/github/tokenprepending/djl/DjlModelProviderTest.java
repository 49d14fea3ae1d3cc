package io.github.tokenprepending.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.LayerwiseModelProvider;
import io.github.tokenprepending.spi.ModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider reads a checkpoint's config.json once per load: what {@code open} read is what {@code load} uses. */
class DjlModelProviderTest {

    @Test
    void loadingAnOpenedCheckpointDoesNotReadConfigJsonAgain(@TempDir Path dir) throws IOException {
        Stories260k.writeTo(dir);
        LayerwiseModelProvider.Checkpoint checkpoint = new DjlModelProvider().open(dir);
        assertThat(checkpoint.numLayers()).isEqualTo(5);

        Files.delete(dir.resolve("config.json"));
        try (LayerwiseModel model = checkpoint.load(ModelOptions.defaults().withLayers(3))) {
            assertThat(model.info().numLayers()).isEqualTo(5);
            assertThat(model.loadedLayers()).isEqualTo(3);
        }
    }
}
