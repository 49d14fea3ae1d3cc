package io.github.tokenprepending.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code java -jar tp-spark-local.jar ...}: runs {@link EmbedJob} (loaded by name: it is not in the launcher jar) on one machine with Spark from the
 * {@code spark-lib/} directory beside the jar (the {@code job} build profile puts it there) and the job from
 * {@code tp-spark-job.jar}. The launcher jar's manifest opens the JDK packages Spark needs on Java 17.
 */
public final class LocalLauncher {
    private LocalLauncher() {
    }

    /**
     * @param args {@link EmbedJob}'s arguments
     * @throws Exception if the job cannot be started
     */
    public static void main(String[] args) throws Exception {
        Path home = Path.of(LocalLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
        List<URL> urls = new ArrayList<>();
        urls.add(url(home.resolve("tp-spark-job.jar")));
        Path lib = home.resolve("spark-lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("no Spark beside the launcher: " + lib + " is missing (build with"
                    + " mvn -pl tp-spark -am package -Pjob, or use spark-submit with tp-spark-job.jar)");
        }
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(url(jar));
            }
        }
        ClassLoader loader = new URLClassLoader("tp-spark", urls.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        try {
            loader.loadClass("io.github.tokenprepending.spark.EmbedJob").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static URL url(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + " (build with mvn -pl tp-spark -am package -Pjob)");
        }
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
