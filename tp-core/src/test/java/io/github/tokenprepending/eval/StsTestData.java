package io.github.tokenprepending.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The real SentEval STS data of {@code src/test/resources/sts} (see its README.md), unpacked into a directory in
 * SentEval's layout: {@code .gz} files are decompressed, everything else is copied.
 */
final class StsTestData {
    private static final List<String> TASK_DIRS = List.of("STS12-en-test", "STS13-en-test", "STS14-en-test",
            "STS15-en-test", "STS16-en-test", "STSBenchmark", "SICK");

    private StsTestData() {
    }

    /**
     * @param target an empty directory
     * @return {@code target}, now holding the data
     */
    static Path unpack(Path target) {
        try {
            URL url = StsTestData.class.getResource("/sts");
            if (url == null) {
                throw new IllegalStateException("test resource directory /sts not on the class path");
            }
            Path source = Paths.get(url.toURI());
            for (String dir : TASK_DIRS) {
                Path to = Files.createDirectories(target.resolve(dir));
                try (Stream<Path> files = Files.list(source.resolve(dir))) {
                    for (Path file : files.toList()) {
                        String name = file.getFileName().toString();
                        if (name.endsWith(".gz")) {
                            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                                Files.copy(in, to.resolve(name.substring(0, name.length() - 3)));
                            }
                        } else {
                            Files.copy(file, to.resolve(name));
                        }
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
