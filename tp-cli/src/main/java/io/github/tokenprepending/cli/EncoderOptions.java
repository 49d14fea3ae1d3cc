package io.github.tokenprepending.cli;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.InvalidSettingException;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.models.ToyModel;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelOptions;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The model and Token Prepending options every command takes, listed in their own section of each command's help.
 */
final class EncoderOptions {
    private static final Pattern DEVICE = Pattern.compile("cpu|(?:cuda|gpu)(?::\\d+)?");
    /** Printed once on stderr by every command that runs without {@code --model}. */
    static final String TOY_MODEL_NOTE = "note: no --model given, running the bundled " + ToyModel.NAME
            + " toy model: it proves the pipeline, but its embeddings mean nothing (--model ID|DIR for a real one)";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @ArgGroup(validate = false, order = 100, heading = "%nModel and Token Prepending options:%n")
    Settings settings = new Settings();

    /** The options themselves (an argument group, so that the help shows them under a heading of their own). */
    static final class Settings {
        @Option(names = "--model", paramLabel = "ID|DIR", order = 1,
                description = "HuggingFace model id (looked up in the HF cache, else downloaded) or local checkpoint"
                        + " directory (default: the bundled stories260K toy model)")
        String model;

        @Option(names = "--revision", paramLabel = "REV", order = 2,
                description = "Hub branch, tag or commit (default: main)")
        String revision;

        @Option(names = "--offline", order = 3, description = "never contact the Hub (also HF_HUB_OFFLINE=1)")
        boolean offline;

        @Option(names = "--preset", paramLabel = "NAME", order = 4,
                description = "the paper's settings for llama-2-7b, llama-2-13b, llama-3-8b, qwen2-7b or gemma2-9b;"
                        + " qwen3-0.6b .. qwen3-32b (depth rule); or default (default: chosen from the model id)")
        String preset;

        @Option(names = "--tp", arity = "2", paramLabel = "START EXIT", hideParamSyntax = true, order = 5,
                description = "Token Prepending at the inputs of decoder layers START to EXIT-1, counted from 0"
                        + " (default: from the preset)")
        List<Integer> tp;

        @Option(names = "--vanilla", order = 6,
                description = "no Token Prepending: the plain prompt, read at hidden_states[-1] unless"
                        + " --output-layer says otherwise")
        boolean vanilla;

        @Option(names = "--output-layer", paramLabel = "K", order = 7,
                description = "where embeddings are read: a hidden_states index as in the paper (27, -1, -2) or"
                        + " after:K for the output of layer K (default: from the preset)")
        String outputLayer;

        @Option(names = "--prompt", paramLabel = "METHOD|TEMPLATE", order = 8,
                description = "prompteol, cot, ke or metaeol, or a template with {sentence} where the sentence goes"
                        + " and <PST> before it, e.g. 'This sentence: <PST> \"{sentence}\" means in one word:\"'"
                        + " (default: from the preset)")
        String prompt;

        @Option(names = "--placeholder", paramLabel = "INIT", order = 9,
                description = "<PST> input vector: zeros (default), gaussian, gaussian:SEED, token:ID or checkpoint")
        String placeholder;

        @Option(names = "--normalize", order = 10, description = "L2-normalise embeddings")
        boolean normalize;

        @Option(names = "--device", paramLabel = "DEV", order = 11,
                description = "cpu (default) or cuda:N (needs libtorch 2.7.1 for CUDA 12.8 through PYTORCH_LIBRARY_PATH:"
                        + " the bundled one is for CPUs, see docs/gpu.md)")
        String device;

        @Option(names = "--dtype", paramLabel = "T", order = 12,
                description = "fp32 (CPU default), fp16 or bf16 (GPU default)")
        String dtype;

        @Option(names = "--batch-size", paramLabel = "N", order = 13,
                description = "most prompts per batch (default 32)")
        Integer batchSize;

        @Option(names = "--max-batch-tokens", paramLabel = "N", order = 14,
                description = "most padded tokens per batch (default 8192)")
        Integer maxBatchTokens;

        @Option(names = "--max-tokens", paramLabel = "N", order = 15,
                description = "most tokens per prompt; longer sentences are cut, the template kept (default: the"
                        + " model's limit)")
        Integer maxTokens;

        @Option(names = "--no-prefix-cache", order = 16,
                description = "recompute the prompt's shared prefix in every batch")
        boolean noPrefixCache;

        @Option(names = "--threads", paramLabel = "N", order = 17,
                description = "CPU threads of libtorch (default: the cores the JVM sees, ${sys:tp.cores} here)")
        Integer threads;

        @Option(names = "--weights-dtype", paramLabel = "T", order = 18,
                description = "dtype the weight matrices stay in: fp32, fp16 or bf16 (default: --dtype when 16-bit,"
                        + " else the checkpoint's own 16-bit dtype, else fp32); converted to --dtype per product")
        String weightsDtype;
    }

    /**
     * @return these options as settings (the model unset: the bundled toy model stands in at {@link #open()})
     */
    EncoderSettings settings() {
        Settings s = settings;
        return EncoderSettings.builder().model(s.model).revision(s.revision).offline(s.offline ? true : null)
                .preset(s.preset).tp(s.tp).vanilla(s.vanilla ? true : null).outputLayer(s.outputLayer)
                .prompt(s.prompt).placeholder(s.placeholder).device(s.device).dtype(s.dtype).batchSize(s.batchSize)
                .maxBatchTokens(s.maxBatchTokens).maxTokens(s.maxTokens).normalize(s.normalize ? true : null)
                .prefixCache(s.noPrefixCache ? false : null).threads(s.threads).weightsDtype(s.weightsDtype)
                .build();
    }

    /**
     * Checks these options without loading anything, for commands that read their data first.
     *
     * @throws ParameterException for options that are wrong in themselves (exit code 2)
     */
    void validate() {
        EncoderSettings s = settings();
        checked(s::validate);
    }

    /**
     * @return the encoder these options describe
     * @throws ParameterException for options that are wrong in themselves (exit code 2)
     */
    SentenceEncoder open() {
        return open(b -> { });
    }

    /**
     * @param more builder calls that are no option (such as {@code loadLayersFor} for a variant)
     * @return the encoder these options describe
     * @throws ParameterException for options that are wrong in themselves (exit code 2)
     */
    SentenceEncoder open(Consumer<SentenceEncoder.Builder> more) {
        EncoderSettings s = settings();
        checked(s::validate);
        checkDevice();
        if (s.model() == null) {
            System.err.println(TOY_MODEL_NOTE);
            s = s.toBuilder().model(ToyModel.directory().toString()).build();
        }
        EncoderSettings resolved = s;
        return checked(() -> resolved.open(TerminalProgress.downloads(), more));
    }

    /**
     * @param model a model already loaded with {@link #modelOptions()} (owned from now on, closed on failure)
     * @return an encoder over it with these options' Token Prepending settings
     * @throws ParameterException for options that are wrong in themselves (exit code 2)
     */
    SentenceEncoder open(LayerwiseModel model) {
        EncoderSettings s = settings();
        return checked(() -> s.open(model));
    }

    /**
     * @return device, dtype, placeholder vector and threads as these options say
     * @throws ParameterException for a malformed value (exit code 2)
     */
    ModelOptions modelOptions() {
        EncoderSettings s = settings();
        return checked(s::modelOptions);
    }

    /** Runs a settings step, turning a bad setting into a usage error that names its option. */
    private <T> T checked(Supplier<T> step) {
        try {
            return step.get();
        } catch (InvalidSettingException e) {
            String flag = e.setting().equals("prefixCache") ? "--no-prefix-cache" : "--" + e.kebabName();
            throw usage(flag + ": " + e.problem());
        }
    }

    /** An unknown device name is a usage error; whether libtorch sees the GPU is the engine's to say, at load. */
    private void checkDevice() {
        String device = settings.device;
        if (device != null && !DEVICE.matcher(device.trim().toLowerCase(Locale.ROOT)).matches()) {
            throw usage("unknown --device '" + device + "' (cpu, cuda or cuda:N)");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** @return a name for the model in reports */
    String modelName() {
        return settings.model == null ? ToyModel.NAME + " (bundled toy model)" : settings.model;
    }
}
