package io.github.tokenprepending.examples;

import io.github.tokenprepending.Cosine;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.models.ToyModel;
import java.util.List;
import java.util.Locale;

/**
 * Embeds a few sentences and prints their pairwise cosine similarities: the smallest useful program on the Java API.
 *
 * <pre>
 * java -cp tp-cli/target/tp.jar \
 *     io.github.tokenprepending.examples.EmbedAndCompare [MODEL]
 * </pre>
 *
 * <p>MODEL is a HuggingFace id (for example {@code meta-llama/Llama-2-7b-hf}, downloaded into the HF cache) or a
 * local checkpoint directory. Without it the bundled toy model runs: it needs no download, but its similarities are
 * all close to 1 and mean nothing. Settings not given (TP range, output layer, prompt) come from the model's preset,
 * the paper's settings for the models it evaluated.
 */
public final class EmbedAndCompare {
    private EmbedAndCompare() {
    }

    /**
     * @param args optional model id or directory
     */
    public static void main(String[] args) {
        List<String> sentences = List.of(
                "A man is playing a guitar.",
                "Someone is making music on a guitar.",
                "A woman is slicing an onion.",
                "The stock market fell sharply today.");

        // The builder resolves the model (local directory, HF cache, or download) and loads it with the engine
        // found on the class path (tp-djl). The encoder holds native memory: close it, here with
        // try-with-resources.
        String model = args.length > 0 ? args[0] : ToyModel.directory().toString();

        try (SentenceEncoder encoder = SentenceEncoder.builder().model(model).build()) {
            // One call embeds the whole list: sentences are batched by length, results come back in input order.
            List<float[]> vectors = encoder.embed(sentences);
            System.out.printf(Locale.ROOT, "%d sentences, %d dimensions, Token Prepending %s%n%n", vectors.size(),
                    encoder.dimension(), encoder.config().tp() == null ? "off" : encoder.config().tp());

            for (int i = 0; i < sentences.size(); i++) {
                for (int j = i + 1; j < sentences.size(); j++) {
                    double cosine = Cosine.similarity(vectors.get(i), vectors.get(j));
                    System.out.printf(Locale.ROOT, "%.4f  %s | %s%n", cosine, sentences.get(i), sentences.get(j));
                }
            }
        }
    }
}
