package io.github.tokenprepending.hub;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs download progress at INFO: when a file starts, at every 10% step or 10 seconds, and when it is done. */
final class LoggingDownloadListener implements DownloadListener {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingDownloadListener.class);
    private static final long INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    /** Per file: the last 10% step logged and when the last line was logged. */
    private static final class Progress {
        long step;
        long loggedAt = System.nanoTime();
    }

    private final Map<String, Progress> files = new HashMap<>();

    @Override
    public synchronized void fileStarted(String file, long totalBytes) {
        files.put(file, new Progress());
        LOG.info("Downloading {} ({})", file, totalBytes < 0 ? "size unknown" : humanSize(totalBytes));
    }

    @Override
    public synchronized void bytesTransferred(String file, long bytesDone, long totalBytes) {
        Progress progress = files.computeIfAbsent(file, f -> new Progress());
        long now = System.nanoTime();
        long step = totalBytes > 0 ? bytesDone * 10 / totalBytes : 0;
        boolean newStep = step > progress.step && bytesDone < totalBytes;
        if (newStep || now - progress.loggedAt >= INTERVAL_NANOS) {
            progress.step = step;
            progress.loggedAt = now;
            if (totalBytes > 0) {
                LOG.info("  {}: {}% ({} of {})", file, bytesDone * 100 / totalBytes, humanSize(bytesDone),
                        humanSize(totalBytes));
            } else {
                LOG.info("  {}: {}", file, humanSize(bytesDone));
            }
        }
    }

    @Override
    public synchronized void fileFinished(String file) {
        files.remove(file);
        LOG.info("Downloaded {}", file);
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
