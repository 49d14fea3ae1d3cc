package io.github.tokenprepending.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** STS files stored gzipped ({@code sts-test.csv.gz} beside the expected name) read as their decompressed twins. */
class GzippedStsDataTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StsTask.class)
    void theRepositorysGzippedDataReadsAsItsUnpackedCopy(StsTask task) throws IOException, URISyntaxException {
        Path gzipped = Paths.get(GzippedStsDataTest.class.getResource("/sts").toURI());
        Path unpacked = StsTestData.unpack(dir);

        assertThat(task.load(gzipped)).isEqualTo(task.load(unpacked));
    }

    @Test
    void aFileMissingInBothFormsIsNamed() throws IOException {
        Files.createDirectories(dir.resolve("STSBenchmark"));

        assertThatThrownBy(() -> StsTask.STS_B.load(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("sts-test.csv").hasMessageContaining("nor sts-test.csv.gz");
    }
}
