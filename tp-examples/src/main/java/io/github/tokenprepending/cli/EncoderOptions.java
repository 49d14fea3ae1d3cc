package io.github.tokenprepending.cli;

import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.hub.ModelResolver;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.PlaceholderInit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The model and Token Prepending options every command takes. */
final class EncoderOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "ID|DIR",
            description = "HuggingFace model id or local checkpoint directory (default: the bundled stories260K toy"
                    + " model, which proves the pipeline but is no useful embedding model)")
    String model;

    @Option(names = "--revision", paramLabel = "REV", description = "Hub branch, tag or commit (default: main)")
    String revision;

    @Option(names = "--offline", description = "never contact the Hub (also HF_HUB_OFFLINE=1)")
    boolean offline;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "llama-2-7b, llama-2-13b, llama-3-8b, qwen2-7b, gemma2-9b or default (default: chosen"
                    + " from the model id)")
    String preset;

    @Option(names = "--tp", arity = "2", paramLabel = "N",
            description = "Token Prepending before decoder layers START..EXIT-1 (--tp START EXIT)")
    List<Integer> tp;

    @Option(names = "--vanilla", description = "no Token Prepending: the vanilla prompt, read at hidden_states[-1]"
            + " unless --output-layer says otherwise")
    boolean vanilla;

    @Option(names = "--output-layer", paramLabel = "K",
            description = "hidden_states index as in the paper (27, -1, -2) or after:K for the output of layer K")
    String outputLayer;

    @Option(names = "--prompt", paramLabel = "METHOD|TEMPLATE",
            description = "prompteol, cot, ke, metaeol, or a template with {sentence} and <PST> before it")
    String prompt;

    @Option(names = "--device", paramLabel = "DEV", description = "cpu (default) or cuda:N")
    String device;

    @Option(names = "--dtype", paramLabel = "T", description = "fp32 (CPU default), fp16 or bf16 (GPU default)")
    String dtype;

    @Option(names = "--batch-size", paramLabel = "N", description = "most prompts per batch (default 32)")
    Integer batchSize;

    @Option(names = "--max-batch-tokens", paramLabel = "N", description = "most padded tokens per batch"
            + " (default 8192)")
    Integer maxBatchTokens;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "most tokens per prompt; longer sentences are cut, the template kept (default: the"
                    + " model's limit)")
    Integer maxTokens;

    @Option(names = "--placeholder", paramLabel = "INIT",
            description = "<PST> input vector: zeros (default), gaussian[:SEED], token:ID or checkpoint")
    String placeholder;

    @Option(names = "--normalize", description = "L2-normalise embeddings")
    boolean normalize;

    @Option(names = "--no-prefix-cache", description = "recompute the prompt's shared prefix in every batch")
    boolean noPrefixCache;

    /**
     * @return the encoder these options describe
     * @throws IOException if the bundled model cannot be extracted
     */
    SentenceEncoder open() throws IOException {
        SentenceEncoder.Builder b = SentenceEncoder.builder();
        if (model == null) {
            Path bundled = BundledModel.directory();
            b.model(bundled);
        } else {
            b.model(model);
        }
        ModelResolver.Builder resolver = ModelResolver.builder().listener(TerminalProgress.downloads());
        if (offline) {
            resolver.offline(true);
        }
        if (revision != null) {
            resolver.revision(revision);
        }
        try {
            if (preset != null) {
                b.preset(preset);
            }
            if (prompt != null) {
                if (prompt.contains(PromptTemplate.SENTENCE) || prompt.contains(PromptTemplate.OFFICIAL_SENTENCE)) {
                    b.template(prompt);
                } else {
                    b.prompt(PromptMethod.parse(prompt));
                }
            }
            if (vanilla && tp != null) {
                throw new ParameterException(spec.commandLine(), "--vanilla and --tp exclude each other");
            }
            if (vanilla) {
                b.vanilla();
            }
            if (tp != null) {
                b.tp(tp.get(0), tp.get(1));
            }
            if (outputLayer != null) {
                b.outputLayer(OutputLayer.parse(outputLayer));
            }
            if (device != null) {
                b.device(device);
            }
            if (dtype != null) {
                b.dtype(DType.parse(dtype));
            }
            if (batchSize != null) {
                b.batchSize(batchSize);
            }
            if (maxBatchTokens != null) {
                b.maxBatchTokens(maxBatchTokens);
            }
            if (maxTokens != null) {
                b.maxTokens(maxTokens);
            }
            if (placeholder != null) {
                b.placeholder(PlaceholderInit.parse(placeholder));
            }
            b.normalize(normalize).prefixCache(!noPrefixCache);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try (ModelResolver r = resolver.build()) {
            return b.resolver(r).build();
        }
    }

    /** @return a name for the model in reports */
    String modelName() {
        return model == null ? BundledModel.NAME + " (bundled toy model)" : model;
    }
}
