package io.github.tokenprepending.djl.family;

import io.github.tokenprepending.djl.checkpoint.HfConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small config.json files for the family tests. */
public final class FamilyConfigs {
    /** The shared fields of a tiny model; families' tests add their own. */
    public static final String COMMON = "\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,"
            + "\"num_key_value_heads\":2,\"intermediate_size\":128,\"vocab_size\":300";

    private FamilyConfigs() {
    }

    /**
     * @param dir a directory
     * @param modelType config.json's model_type
     * @param extra more fields, JSON without braces (may be empty)
     * @return the config read back
     * @throws IOException if it cannot be written or read
     */
    public static HfConfig write(Path dir, String modelType, String extra) throws IOException {
        String json = "{\"model_type\":\"" + modelType + "\"," + COMMON + (extra.isEmpty() ? "" : "," + extra) + "}";
        Files.writeString(dir.resolve("config.json"), json, StandardCharsets.UTF_8);
        return HfConfig.read(dir);
    }
}
