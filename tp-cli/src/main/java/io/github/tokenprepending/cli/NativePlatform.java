package io.github.tokenprepending.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.jar.JarFile;

/**
 * The platform whose CPU libtorch tp.jar carries (its manifest's {@code TP-Platform}, DJL's classifier) against this
 * machine's. tp.jar runs DJL offline, so on another platform libtorch cannot load, and DJL's own error ("Failed to
 * save pytorch index file") does not say why: {@link #warning} does.
 */
final class NativePlatform {
    private NativePlatform() {
    }

    /** @return DJL's classifier of this machine, e.g. {@code linux-x86_64}, {@code osx-aarch64}, {@code win-x86_64} */
    static String ofThisMachine() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String system = os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "win" : os.replace(' ', '_');
        String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("arm64") || arch.equals("aarch64") ? "aarch64" : arch;
        return system + "-" + cpu;
    }

    /** @return the {@code TP-Platform} of the jar this class runs from; null outside a built tp.jar */
    static String ofThisJar() {
        try {
            Path jar = Path.of(NativePlatform.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return null;
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                return file.getManifest() == null ? null : file.getManifest().getMainAttributes().getValue("TP-Platform");
            }
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * @param jarPlatform the platform of tp.jar's libtorch (null: unknown, no warning)
     * @param machine this machine's platform
     * @param libraryPath {@code PYTORCH_LIBRARY_PATH} (a libtorch of the user's: no warning)
     * @return a warning when libtorch cannot load from tp.jar on this machine, else null
     */
    static String warning(String jarPlatform, String machine, String libraryPath) {
        if (jarPlatform == null || jarPlatform.equals(machine) || (libraryPath != null && !libraryPath.isBlank())) {
            return null;
        }
        return "warning: this tp.jar carries the CPU libtorch of " + jarPlatform + ", this machine is " + machine
                + ": libtorch will not load. Build tp.jar on this machine (the build picks its platform), or pass"
                + " -Dai.djl.offline=false to let DJL download libtorch, or set PYTORCH_LIBRARY_PATH to a libtorch 2.7.1.";
    }
}
