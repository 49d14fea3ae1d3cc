package io.github.tokenprepending.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes embeddings as JSON Lines ({@code {"index", "text", "embedding"}} per line) or as a NumPy .npy array. */
enum EmbeddingWriter {
    /** One JSON object per input line. */
    JSONL {
        @Override
        void write(OutputStream out, List<String> texts, List<float[]> vectors, int dimension) throws IOException {
            ObjectMapper json = new ObjectMapper();
            json.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
            for (int i = 0; i < vectors.size(); i++) {
                var node = json.createObjectNode();
                node.put("index", i);
                node.put("text", texts.get(i));
                var array = node.putArray("embedding");
                for (float v : vectors.get(i)) {
                    array.add(v);
                }
                buffered.write(json.writeValueAsBytes(node));
                buffered.write('\n');
            }
            buffered.flush();
        }
    },
    /** A float32 array of shape (lines, dimension), row i = line i. */
    NPY {
        @Override
        void write(OutputStream out, List<String> texts, List<float[]> vectors, int dimension) throws IOException {
            String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + vectors.size() + ", " + dimension
                    + "), }";
            int unpadded = 10 + dict.length() + 1;
            int padding = (64 - unpadded % 64) % 64;
            String header = dict + " ".repeat(padding) + "\n";
            ByteBuffer prefix = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            prefix.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                    .putShort((short) header.length());
            OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
            buffered.write(prefix.array());
            buffered.write(header.getBytes(StandardCharsets.US_ASCII));
            ByteBuffer row = ByteBuffer.allocate(dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] v : vectors) {
                row.clear();
                row.asFloatBuffer().put(v);
                buffered.write(row.array());
            }
            buffered.flush();
        }
    };

    abstract void write(OutputStream out, List<String> texts, List<float[]> vectors, int dimension)
            throws IOException;
}
