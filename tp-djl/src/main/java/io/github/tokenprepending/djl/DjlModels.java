package io.github.tokenprepending.djl;

import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.ModelFamilies;
import io.github.tokenprepending.djl.family.ModelFamily;
import io.github.tokenprepending.djl.tokenizer.HfTextTokenizer;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;

/** Loads HuggingFace checkpoint directories as {@link DjlLayerwiseModel}s; config.json is read once per load. */
public final class DjlModels {
    private DjlModels() {
    }

    /**
     * @param dir a checkpoint directory
     * @return the family that runs it (from config.json's {@code model_type})
     * @throws IOException if config.json is missing or malformed, or its {@code model_type} is unsupported
     */
    public static ModelFamily family(Path dir) throws IOException {
        return ModelFamilies.forConfig(HfConfig.read(dir));
    }

    /**
     * @param dir a checkpoint directory
     * @return its architecture, from config.json alone (nothing is loaded)
     * @throws IOException if config.json is missing, malformed or names an unsupported family
     */
    public static Architecture architecture(Path dir) throws IOException {
        return ModelFamilies.architecture(HfConfig.read(dir));
    }

    /**
     * Loads a checkpoint directory in HuggingFace layout with its own tokenizer ({@code tokenizer.json},
     * {@code tokenizer_config.json}).
     *
     * @param dir the checkpoint directory
     * @param options device, dtype, weights dtype, layers to load, placeholder vector
     * @return the model
     * @throws IOException naming the file and the problem
     */
    public static DjlLayerwiseModel load(Path dir, ModelOptions options) throws IOException {
        return load(dir, architecture(dir), options);
    }

    /**
     * Loads a checkpoint directory whose config.json was read already ({@link #architecture(Path)}), with its own
     * tokenizer.
     *
     * @param dir the checkpoint directory
     * @param architecture what its family read from config.json
     * @param options device, dtype, weights dtype, layers to load, placeholder vector
     * @return the model
     * @throws IOException naming the file and the problem
     */
    public static DjlLayerwiseModel load(Path dir, Architecture architecture, ModelOptions options)
            throws IOException {
        return load(dir, architecture, HfTextTokenizer.load(dir), options);
    }

    /**
     * Loads a checkpoint with a given tokenizer (owned by the model from now on).
     *
     * @param dir the checkpoint directory (config.json and safetensors)
     * @param tokenizer the tokenizer
     * @param options device, dtype, weights dtype, layers to load, placeholder vector
     * @return the model
     * @throws IOException naming the file and the problem
     */
    public static DjlLayerwiseModel load(Path dir, TextTokenizer tokenizer, ModelOptions options) throws IOException {
        Architecture architecture;
        try {
            architecture = architecture(dir);
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        return load(dir, architecture, tokenizer, options);
    }

    private static DjlLayerwiseModel load(Path dir, Architecture architecture, TextTokenizer tokenizer,
            ModelOptions options) throws IOException {
        try (CheckpointWeights weights = CheckpointWeights.open(dir)) {
            return DjlLayerwiseModel.create(architecture, weights, tokenizer, options);
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }
}
