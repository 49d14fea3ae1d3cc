package io.github.tokenprepending.spark;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.TpConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Embeds one partition: rows are read in chunks of a few batches' worth of tokens, each chunk goes through
 * {@link SentenceEncoder#embed(List)} of this JVM's shared encoder (which sorts it by length and cuts it into
 * batches of {@code batchSize} prompts and {@code maxBatchTokens} tokens, reusing the prompt's cached prefix), and
 * the rows come out in their input order with the embedding appended.
 */
final class PartitionEmbedder implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    /** Batches per chunk: enough for length sorting to pay, few enough to keep a chunk's rows small. */
    static final int CHUNK_BATCHES = 8;

    private final EncoderSettings settings;
    private final int textIndex;
    private final EmptyText empty;

    PartitionEmbedder(EncoderSettings settings, int textIndex, EmptyText empty) {
        this.settings = settings;
        this.textIndex = textIndex;
        this.empty = empty;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows;
        }
        SentenceEncoder encoder = ExecutorEncoders.get(settings);
        TpConfig config = encoder.config();
        long chunkTokens = (long) CHUNK_BATCHES * config.maxBatchTokens();
        int chunkRows = CHUNK_BATCHES * config.batchSize();
        return new Iterator<>() {
            private Iterator<Row> chunk = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                if (!chunk.hasNext() && rows.hasNext()) {
                    chunk = embedChunk(encoder, rows, chunkTokens, chunkRows);
                }
                return chunk.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return chunk.next();
            }
        };
    }

    private Iterator<Row> embedChunk(SentenceEncoder encoder, Iterator<Row> rows, long chunkTokens, int chunkRows) {
        List<Row> in = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        long tokens = 0;
        int limit = encoder.maxTokens();
        while (rows.hasNext() && texts.size() < chunkRows && tokens < chunkTokens) {
            Row row = rows.next();
            in.add(row);
            if (skipped(row)) {
                continue;
            }
            String text = row.isNullAt(textIndex) ? "" : row.getString(textIndex);
            texts.add(text);
            int length = encoder.promptTokens(text);
            tokens += limit > 0 ? Math.min(length, limit) : length;
        }
        Iterator<float[]> vectors = encoder.embed(texts).iterator();
        List<Row> out = new ArrayList<>(in.size());
        for (Row row : in) {
            out.add(append(row, skipped(row) ? null : vectors.next()));
        }
        return out.iterator();
    }

    private boolean skipped(Row row) {
        return empty == EmptyText.SKIP && (row.isNullAt(textIndex) || row.getString(textIndex).isEmpty());
    }

    private static Row append(Row row, float[] vector) {
        Object[] values = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        values[row.length()] = vector;
        return RowFactory.create(values);
    }
}
