package io.github.tokenprepending.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's memory as the bench reports it: peak Java heap, and resident memory from {@code /proc}. */
public final class Memory {
    private Memory() {
    }

    /** Resets the heap pools' peaks and, on Linux, the resident peak (VmHWM). */
    public static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux, or not allowed: VmHWM then reports the process's peak
        }
    }

    /** @return the peak Java heap since {@link #resetPeaks()}, MB */
    public static long peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes >> 20;
    }

    /** @return peak resident memory (VmHWM) in MB, or -1 where /proc is unavailable */
    public static long peakResidentMb() {
        return status("VmHWM:");
    }

    /** @return resident memory now (VmRSS) in MB, or -1 where /proc is unavailable */
    public static long residentMb() {
        return status("VmRSS:");
    }

    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
