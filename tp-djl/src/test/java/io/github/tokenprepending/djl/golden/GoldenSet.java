package io.github.tokenprepending.djl.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.TpRange;
import io.github.tokenprepending.spi.TokenBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A golden set in the layout of {@code shared/golden/<family>/}: {@code manifest.json} (settings), {@code
 * inputs.json} (left-padded ids), {@code model/} (HF checkpoint) and {@code <setting>/last_token.npy}
 * ([L+1, B, H], k = 0 embeddings .. L final-normed) produced by the official Token Prepending code.
 */
record GoldenSet(String name, Path dir, JsonNode manifest, JsonNode inputs) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One setting: its TP range (null for vanilla) and the inputs it ran on. */
    record Setting(String name, TpRange tp, TokenBatch batch, int placeholderId, Path lastToken) {
        @Override
        public String toString() {
            return name;
        }
    }

    static GoldenSet load(Path dir) throws IOException {
        return new GoldenSet(dir.getFileName().toString(), dir, JSON.readTree(dir.resolve("manifest.json").toFile()),
                JSON.readTree(dir.resolve("inputs.json").toFile()));
    }

    /** @return every directory under {@code root} (at any depth) that holds a manifest, inputs and a model */
    static List<Path> find(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> Files.isRegularFile(p.resolve("manifest.json"))
                    && Files.isRegularFile(p.resolve("inputs.json")) && Files.isDirectory(p.resolve("model")))
                    .sorted().toList();
        }
    }

    Path model() {
        return dir.resolve("model");
    }

    String family() {
        return manifest.path("family").asText(name);
    }

    List<Setting> settings() {
        List<Setting> out = new ArrayList<>();
        manifest.get("settings").fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            TpRange tp = s.path("plan").asText().equals("tp")
                    ? new TpRange(s.get("tp_starting_index").asInt(), s.get("tp_exiting_index").asInt()) : null;
            JsonNode in = inputs;
            String pointer = s.path("inputs").asText("");
            if (pointer.contains("->")) {
                in = inputs.get(pointer.substring(pointer.indexOf("->") + 2).trim());
            }
            out.add(new Setting(e.getKey(), tp, batch(in), inputs.get("pst_id").asInt(),
                    dir.resolve(e.getKey()).resolve("last_token.npy")));
        });
        return out;
    }

    /** The real (mask 1) tokens of each row; the placeholder at the first occurrence of the pst id, if any. */
    private TokenBatch batch(JsonNode in) {
        int pst = inputs.get("pst_id").asInt();
        JsonNode ids = in.get("input_ids");
        JsonNode mask = in.get("attention_mask");
        int[][] rows = new int[ids.size()][];
        int[] placeholders = new int[ids.size()];
        for (int r = 0; r < ids.size(); r++) {
            List<Integer> row = new ArrayList<>();
            for (int c = 0; c < ids.get(r).size(); c++) {
                if (mask.get(r).get(c).asInt() == 1) {
                    row.add(ids.get(r).get(c).asInt());
                }
            }
            rows[r] = row.stream().mapToInt(Integer::intValue).toArray();
            placeholders[r] = row.indexOf(pst);
        }
        return TokenBatch.of(rows, placeholders);
    }
}
