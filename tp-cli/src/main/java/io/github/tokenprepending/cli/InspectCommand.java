package io.github.tokenprepending.cli;

import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.spi.ModelInfo;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tp inspect}: model facts and the tokens of a rendered prompt. */
@Command(name = "inspect", abbreviateSynopsis = true,
        description = {"Show the model, the settings in use, and a sentence's prompt token by token.",
            "",
            "Marks the <PST> placeholder and the token whose hidden state becomes the embedding."})
final class InspectCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "SENTENCE", defaultValue = "A girl is styling her hair.",
            description = "the sentence to tokenize (default: \"${DEFAULT-VALUE}\")")
    String sentence;

    @Mixin
    EncoderOptions options;

    @Override
    public Integer call() throws Exception {
        try (SentenceEncoder encoder = options.open()) {
            ModelInfo info = encoder.modelInfo();
            System.out.println("model         " + options.modelName());
            System.out.println("directory     " + encoder.modelDirectory());
            System.out.println("family        " + info.family() + " (model_type " + info.modelType() + ")");
            System.out.println("layers        " + info.numLayers());
            System.out.println("hidden size   " + info.hiddenSize() + " (the embedding dimension)");
            System.out.println("vocabulary    " + info.vocabSize() + " embedding rows");
            System.out.println("max positions " + info.maxPositions());
            System.out.println("dtype         " + info.dtype() + " (" + info.dtypeReason() + ")");
            System.out.println("weights dtype " + info.weightsDtype());
            System.out.println("widened layers " + info.widenedLayers() + " of " + info.numLayers()
                    + (info.widenedLayers() > 0 ? " (16-bit matrices kept in float32 for float32 compute)" : ""));
            System.out.println("device        " + info.device());
            System.out.println("<PST> id      " + info.placeholderId());
            System.out.println("BOS id        " + (info.bosId() < 0 ? "none" : info.bosId()));
            System.out.println("settings      " + SimilarityCommand.describe(encoder));
            System.out.println("layers run    " + encoder.layersRun() + " of " + info.numLayers());
            List<TokenizedPrompt> prompts = encoder.tokenize(sentence);
            for (int p = 0; p < prompts.size(); p++) {
                TokenizedPrompt prompt = prompts.get(p);
                System.out.printf(Locale.ROOT, "%nprompt %d: %d tokens, <PST> at %s%n", p, prompt.length(),
                        prompt.placeholderIndex() < 0 ? "none" : Integer.toString(prompt.placeholderIndex()));
                int[] ids = prompt.ids();
                for (int t = 0; t < ids.length; t++) {
                    String token = t < prompt.tokens().size() ? prompt.tokens().get(t) : "";
                    System.out.printf(Locale.ROOT, "%5d %8d  %s%s%n", t, ids[t], token,
                            t == prompt.placeholderIndex() ? "   <-- placeholder"
                                    : t == ids.length - 1 ? "   <-- embedding read here" : "");
                }
            }
        }
        return 0;
    }
}
