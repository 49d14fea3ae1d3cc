package io.github.tokenprepending.djl.checkpoint;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test resources and hand-made safetensors bytes (written here directly, never by the code under test). */
final class TestFiles {

    private TestFiles() {
    }

    /** @return a directory under {@code src/test/resources/checkpoint/} */
    static Path resource(String name) {
        try {
            return Path.of(TestFiles.class.getResource("/checkpoint/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the model directory of a golden set under {@code src/test/resources/golden/} */
    static Path model(String family) {
        try {
            return Path.of(TestFiles.class.getResource("/golden/" + family + "/model").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the lines of a TSV resource after its header line, split on tabs */
    static List<String[]> tsv(String name) throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(resource(name), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split("\t", -1));
        }
        return rows;
    }

    /** @return an 8-byte little-endian header length, the header text, then the data */
    static byte[] safetensors(String headerJson, byte[] data) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        return withHeaderLength(header.length, concat(header, data));
    }

    /** @return {@code length} as 8 little-endian bytes followed by {@code rest} */
    static byte[] withHeaderLength(long length, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(length).put(rest);
        return b.array();
    }

    /** @return little-endian float32 bytes */
    static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Path write(Path path, byte[] bytes) throws IOException {
        Files.createDirectories(path.getParent());
        return Files.write(path, bytes);
    }

    /** An action that may throw, for {@link #allocatedBy}. */
    interface Action {
        void run() throws Exception;
    }

    /**
     * @return heap bytes this thread allocated while running {@code action} (which may throw: that is ignored)
     */
    static long allocatedBy(Action action) {
        var threads = ManagementFactory.getThreadMXBean();
        assumeThat(threads).isInstanceOf(com.sun.management.ThreadMXBean.class);
        var counting = (com.sun.management.ThreadMXBean) threads;
        assumeThat(counting.isThreadAllocatedMemorySupported()).isTrue();
        counting.setThreadAllocatedMemoryEnabled(true);
        long before = counting.getCurrentThreadAllocatedBytes();
        try {
            action.run();
        } catch (Exception expected) {
            // the caller checks the failure separately
        }
        return counting.getCurrentThreadAllocatedBytes() - before;
    }
}
