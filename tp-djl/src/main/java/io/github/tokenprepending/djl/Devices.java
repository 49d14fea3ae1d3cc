package io.github.tokenprepending.djl;

import ai.djl.Device;
import java.util.Locale;

/** Parses device names of {@link io.github.tokenprepending.spi.ModelOptions}. */
final class Devices {
    private Devices() {
    }

    /**
     * @param name {@code cpu}, {@code cuda}, {@code cuda:N}, {@code gpu} or {@code gpu:N}
     * @return the DJL device
     * @throws IllegalArgumentException for anything else
     */
    static Device parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        for (String prefix : new String[] {"cuda", "gpu"}) {
            if (n.equals(prefix)) {
                return Device.gpu(0);
            }
            if (n.startsWith(prefix + ":")) {
                try {
                    return Device.gpu(Integer.parseInt(n.substring(prefix.length() + 1)));
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("unknown device '" + name + "' (expected cpu, cuda or cuda:N)");
    }
}
