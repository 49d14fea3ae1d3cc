package io.github.tokenprepending.cli;

import ai.djl.engine.Engine;
import io.github.tokenprepending.DType;
import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.PlaceholderInit;
import io.github.tokenprepending.PromptMethod;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.examples.ToyModel;
import io.github.tokenprepending.hub.ModelResolver;
import io.github.tokenprepending.prompt.PromptSet;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelOptions;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
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
    private static final Pattern GPU = Pattern.compile("(?:cuda|gpu)(?::(\\d+))?");

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
                description = "cpu (default) or cuda:N (needs a CUDA build of libtorch: the bundled one is for CPUs)")
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
    }

    /**
     * @return the encoder these options describe
     * @throws ParameterException for options that are wrong in themselves (exit code 2)
     */
    SentenceEncoder open() {
        SentenceEncoder.Builder b = configure(SentenceEncoder.builder());
        checkDevice();
        b.model(settings.model == null ? ToyModel.directory().toString() : settings.model);
        ModelResolver.Builder resolver = ModelResolver.builder().listener(TerminalProgress.downloads());
        if (settings.offline) {
            resolver.offline(true);
        }
        if (settings.revision != null) {
            resolver.revision(settings.revision);
        }
        try (ModelResolver r = resolver.build()) {
            return b.resolver(r).build();
        }
    }

    /**
     * @param model a model already loaded with {@link #modelOptions()} (owned from now on, closed on failure)
     * @return an encoder over it with these options' Token Prepending settings
     * @throws ParameterException for options that are wrong in themselves (exit code 2)
     */
    SentenceEncoder open(LayerwiseModel model) {
        SentenceEncoder.Builder b;
        try {
            b = configure(SentenceEncoder.builder());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return b.model(model).build();
    }

    /**
     * @return device, dtype and placeholder vector as these options say
     * @throws ParameterException for a malformed dtype or placeholder (exit code 2)
     */
    ModelOptions modelOptions() {
        Settings s = settings;
        try {
            ModelOptions options = ModelOptions.defaults().withDtype(s.dtype == null ? null : DType.parse(s.dtype));
            if (s.device != null) {
                options = options.withDevice(s.device);
            }
            return s.placeholder == null ? options : options.withPlaceholder(PlaceholderInit.parse(s.placeholder));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Applies every option but the model and where it comes from. */
    private SentenceEncoder.Builder configure(SentenceEncoder.Builder b) {
        Settings s = settings;
        ModelOptions model = modelOptions();
        b.device(model.device()).dtype(model.dtype()).placeholder(model.placeholder());
        try {
            if (s.preset != null) {
                b.preset(s.preset);
            }
            if (s.prompt != null) {
                prompt(b, s.prompt, !s.vanilla);
            }
            if (s.vanilla && s.tp != null) {
                throw usage("--vanilla and --tp exclude each other");
            }
            if (s.vanilla) {
                b.vanilla();
            }
            if (s.tp != null) {
                if (s.tp.size() != 2) {
                    throw usage("--tp takes START EXIT once, got " + s.tp.size() + " numbers");
                }
                b.tp(s.tp.get(0), s.tp.get(1));
            }
            if (s.outputLayer != null) {
                b.outputLayer(OutputLayer.parse(s.outputLayer));
            }
            if (s.batchSize != null) {
                b.batchSize(s.batchSize);
            }
            if (s.maxBatchTokens != null) {
                b.maxBatchTokens(s.maxBatchTokens);
            }
            if (s.maxTokens != null) {
                b.maxTokens(s.maxTokens);
            }
            b.normalize(s.normalize).prefixCache(!s.noPrefixCache);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return b;
    }

    private static void prompt(SentenceEncoder.Builder b, String prompt, boolean tokenPrepending) {
        if (prompt.contains(PromptTemplate.SENTENCE) || prompt.contains(PromptTemplate.OFFICIAL_SENTENCE)) {
            PromptSet custom = PromptSet.custom(prompt);
            if (tokenPrepending) {
                try {
                    custom.requirePlaceholders();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + " (add " + RenderedPrompt.PLACEHOLDER
                            + " or pass --vanilla)", e);
                }
            }
            b.prompts(custom);
            return;
        }
        try {
            b.prompt(PromptMethod.parse(prompt));
        } catch (IllegalArgumentException e) {
            if (prompt.isBlank() || prompt.matches("[\\w-]+")) {
                throw e;
            }
            // not a method name: meant as a template
            throw new IllegalArgumentException("--prompt template lacks " + PromptTemplate.SENTENCE + ", the place"
                    + " of the sentence (e.g. 'This sentence: " + RenderedPrompt.PLACEHOLDER + " \""
                    + PromptTemplate.SENTENCE + "\" means in one word:\"'): " + prompt, e);
        }
    }

    /** A CUDA device asked of a libtorch that has none fails deep in the engine with pages of text: say it first. */
    private void checkDevice() {
        String device = settings.device;
        if (device == null) {
            return;
        }
        String d = device.trim().toLowerCase(Locale.ROOT);
        if (d.equals("cpu")) {
            return;
        }
        Matcher m = GPU.matcher(d);
        if (!m.matches()) {
            throw usage("unknown --device '" + device + "' (cpu, cuda or cuda:N)");
        }
        int index = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (index >= gpus) {
            throw new IllegalStateException("--device " + device + ": libtorch sees " + gpus + " CUDA device"
                    + (gpus == 1 ? "" : "s") + (gpus == 0 ? " (tp.jar bundles the CPU build of libtorch; a GPU"
                            + " needs an application with a CUDA native such as pytorch-native-cu124)" : ""));
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
