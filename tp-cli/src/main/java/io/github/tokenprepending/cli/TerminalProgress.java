package io.github.tokenprepending.cli;

import io.github.tokenprepending.ProgressListener;
import io.github.tokenprepending.hub.DownloadListener;
import java.util.HashMap;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on the terminal: bars (progressbar library) when standard error is interactive; otherwise (a log file, a
 * CI job) a plain line every 10 seconds of a long task, so that a quiet job is not mistaken for a hung one.
 */
final class TerminalProgress {
    private TerminalProgress() {
    }

    /** @return whether a person is watching (a console is attached) */
    static boolean interactive() {
        return System.console() != null;
    }

    /**
     * @param task what is being done
     * @return a listener drawing one bar over all prompts, or a no-op without a terminal
     */
    static ProgressListener embedding(String task) {
        if (!interactive()) {
            return periodicLines(task, System.err, 10_000_000_000L);
        }
        return new ProgressListener() {
            private ProgressBar bar;

            @Override
            public synchronized void onProgress(long done, long total) {
                if (bar == null) {
                    bar = bar(task, total, "prompts", 1);
                }
                bar.stepTo(done);
                if (done >= total) {
                    bar.close();
                }
            }
        };
    }

    /**
     * @param task what is being done
     * @param out where the lines go
     * @param intervalNanos the least time between two lines
     * @return a listener printing "task: done/total prompts (p%), s elapsed" once per interval, and a last line at
     *         the end if it printed any before (short tasks stay silent)
     */
    static ProgressListener periodicLines(String task, java.io.PrintStream out, long intervalNanos) {
        long start = System.nanoTime();
        return new ProgressListener() {
            private long next = start + intervalNanos;
            private boolean printed;

            @Override
            public synchronized void onProgress(long done, long total) {
                long now = System.nanoTime();
                if (now >= next || (done >= total && printed)) {
                    out.printf(java.util.Locale.ROOT, "%s: %d/%d prompts (%.0f%%), %.0f s%n", task, done, total,
                            100.0 * done / Math.max(1, total), (now - start) / 1e9);
                    out.flush();
                    printed = true;
                    next = now + intervalNanos;
                }
            }
        };
    }

    /** @return a download listener drawing one bar per file, or the default logging listener */
    static DownloadListener downloads() {
        if (!interactive()) {
            return DownloadListener.logging();
        }
        return new DownloadListener() {
            private final Map<String, ProgressBar> bars = new HashMap<>();

            @Override
            public synchronized void fileStarted(String file, long totalBytes) {
                bars.put(file, bar(file, totalBytes, "MB", 1 << 20));
            }

            @Override
            public synchronized void bytesTransferred(String file, long bytesDone, long totalBytes) {
                ProgressBar bar = bars.get(file);
                if (bar != null) {
                    bar.stepTo(bytesDone);
                }
            }

            @Override
            public synchronized void fileFinished(String file) {
                ProgressBar bar = bars.remove(file);
                if (bar != null) {
                    bar.close();
                }
            }
        };
    }

    private static ProgressBar bar(String task, long total, String unit, long unitSize) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, unitSize).showSpeed().continuousUpdate().setConsumer(
                        new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
    }
}
