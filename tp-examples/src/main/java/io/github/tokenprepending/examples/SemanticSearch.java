package io.github.tokenprepending.examples;

import io.github.tokenprepending.Cosine;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.models.ToyModel;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * A tiny semantic search: embeds a corpus once, then ranks it by cosine similarity to a query.
 *
 * <pre>
 * java -cp tp-cli/target/tp.jar \
 *     io.github.tokenprepending.examples.SemanticSearch [MODEL [QUERY...]]
 * </pre>
 *
 * <p>MODEL is a HuggingFace id or a local checkpoint directory; {@code -} or nothing means the bundled toy model
 * (no download, meaningless rankings). The remaining arguments form the query.
 */
public final class SemanticSearch {
    private static final int TOP_K = 3;

    private static final List<String> CORPUS = List.of(
            "A man is playing a guitar on stage.",
            "A chef is chopping vegetables in the kitchen.",
            "The children are building a sandcastle on the beach.",
            "A dog is running across a grassy field.",
            "Two people are hiking up a snowy mountain.",
            "The orchestra performed a symphony last night.",
            "A woman is reading a book in the library.",
            "The cat is sleeping on the windowsill.",
            "Stock prices dropped after the announcement.",
            "A boy is riding his bicycle down the street.",
            "Heavy rain caused flooding in the city.",
            "The team celebrated their victory with a parade.");

    private SemanticSearch() {
    }

    /**
     * @param args optional model id or directory ({@code -} for the toy model), then optional query words
     */
    public static void main(String[] args) {
        String model = args.length > 0 && !args[0].equals("-") ? args[0] : ToyModel.directory().toString();
        String query = args.length > 1 ? String.join(" ", Arrays.copyOfRange(args, 1, args.length))
                : "Someone is performing music.";

        try (SentenceEncoder encoder = SentenceEncoder.builder().model(model).build()) {
            // Index: one embedding per document, in corpus order. A real application would compute these once and
            // store them (tp embed --output corpus.npy does that from the command line).
            List<float[]> index = encoder.embed(CORPUS);

            // Query: embedded the same way, with the same prompt and layers, so the vectors are comparable.
            float[] q = encoder.embed(query);
            double[] scores = index.stream().mapToDouble(doc -> Cosine.similarity(q, doc)).toArray();

            List<Integer> ranked = IntStream.range(0, CORPUS.size()).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
                    .limit(TOP_K)
                    .toList();
            System.out.println("query: " + query);
            for (int r = 0; r < ranked.size(); r++) {
                int i = ranked.get(r);
                System.out.printf(Locale.ROOT, "%d. %.4f  %s%n", r + 1, scores[i], CORPUS.get(i));
            }
        }
    }
}
