package io.github.tokenprepending.djl.reliability;

import io.github.tokenprepending.TokenPrependingEncoder;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.djl.DjlLayerwiseModel;
import io.github.tokenprepending.djl.DjlModels;
import io.github.tokenprepending.djl.DjlRuntime;
import io.github.tokenprepending.djl.ReliabilityAccess;
import io.github.tokenprepending.spi.ModelOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Run in a child JVM by {@link NativeMemoryTest} (fixed, pre-touched heap, so that RSS growth is native growth;
 * free malloc memory trimmed before each reading, see {@link #reading()}):
 * embeds {@code total} sentences of 1 to 60 words in requests of 256 on stories260K and prints
 * {@code RSS <sentences> <RSS KiB> <JVM committed KiB>} after the first request and every 10,000 sentences.
 */
public final class RssSoak {
    static final int REQUEST = 256;
    static final int EVERY = 10_000;
    /** Sentences have 1 to 300 characters (1 to ~60 words, prompts of ~15 to ~110 tokens). */
    static final int MAX_CHARS = 300;

    private RssSoak() {
    }

    /**
     * One reading, after asking glibc to give free memory back to the OS (the JVM's {@code System.trim_native_heap}
     * diagnostic command, JDK 17.0.9+): without it, memory that HotSpot's JIT compiler threads or a large batch
     * freed but malloc kept for reuse shows as up to +/-50 MiB of noise; live allocations, a leak included, stay
     * counted.
     *
     * @return {@code "<RSS KiB> <JVM committed KiB>"}; the second is Native Memory Tracking's total (Java heap,
     *     metaspace, code cache, JIT compiler, GC, threads, ...), or -1 without {@code -XX:NativeMemoryTracking}
     */
    static String reading() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        long jvm = -1;
        try {
            ObjectName dcmd = new ObjectName("com.sun.management:type=DiagnosticCommand");
            String[] signature = {String[].class.getName()};
            try {
                server.invoke(dcmd, "systemTrimNativeHeap", new Object[] {null}, signature);
            } catch (JMException e) {
                // not available on this JVM: plain RSS
            }
            String nmt = (String) server.invoke(dcmd, "vmNativeMemory", new Object[] {new String[] {"summary"}},
                    signature);
            Matcher m = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(nmt);
            if (m.find()) {
                jvm = Long.parseLong(m.group(1));
            }
        } catch (JMException e) {
            // no Native Memory Tracking
        }
        return Fixtures.rssKib() + " " + jvm;
    }

    /**
     * @param args total number of sentences
     * @throws Exception if the model cannot be loaded
     */
    public static void main(String[] args) throws Exception {
        int total = Integer.parseInt(args[0]);
        DjlRuntime.setThreads(1);
        Random random = new Random(11);
        long start = System.nanoTime();
        Path dir = ReliabilityAccess.writeStories260k(Files.createTempDirectory("tp-rss"));
        try (DjlLayerwiseModel model = DjlModels.load(dir, ModelOptions.defaults());
                TokenPrependingEncoder encoder = new TokenPrependingEncoder(model, TpConfig.builder().build())) {
            // the largest shapes first (the workload's longest sentences, full batches): rotary tables, blocks and
            // the largest allocations exist before the first reading
            List<String> longest = new ArrayList<>(REQUEST);
            for (int i = 0; i < REQUEST; i++) {
                longest.add(InputEdgeCasesTest.words(random, MAX_CHARS));
            }
            encoder.embed(longest);
            for (int done = 0; done < total; ) {
                // requests are cut so that the checkpoints fall exactly on multiples of 10,000
                int nextCheckpoint = (done / EVERY + 1) * EVERY;
                int n = Math.min(REQUEST, Math.min(total, nextCheckpoint) - done);
                List<String> request = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    request.add(InputEdgeCasesTest.words(random, 1 + random.nextInt(MAX_CHARS)).trim());
                }
                List<float[]> out = encoder.embed(request);
                for (float x : out.get(n - 1)) {
                    if (!Float.isFinite(x)) {
                        throw new IllegalStateException("non-finite embedding at sentence " + (done + n - 1));
                    }
                }
                if (done == 0) {
                    System.out.println("RSS " + n + " " + reading());
                }
                done += n;
                if (done % EVERY == 0 || done == total) {
                    System.out.println("RSS " + done + " " + reading());
                }
            }
            System.out.printf("DONE %d sentences in %.1f s; %s%n", total, (System.nanoTime() - start) / 1e9,
                    encoder.stats());
        } finally {
            Fixtures.deleteTree(dir);
        }
    }
}
