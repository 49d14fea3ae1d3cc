package io.github.tokenprepending.djl.sentencetransformers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.djl.sentencetransformers.StModels.Case;
import io.github.tokenprepending.djl.sentencetransformers.StModels.Golden;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token Prepending on top of a trained embedder: the {@code <PST>} goes between the named prompt and the text, the
 * head pools at the model's own output, the result differs from the model as trained and does not depend on the
 * batch. (No reference implementation runs this combination: these are the method's rules, not a golden.)
 */
class TokenPrependingOnEmbedderTest {
    @TempDir
    Path tmp;

    @Test
    void placeholderSitsAfterThePromptAndChangesTheLastTokenVector() {
        Golden golden = StModels.golden("qwen3-embedding");
        Case query = golden.find("prompt_query");
        try (SentenceEncoder tp = SentenceEncoder.builder().model(StModels.unpack("qwen3-embedding", tmp)).dtype(DType.FLOAT32).tp(1, 2)
                .build()) {
            TokenizedPrompt prompt = tp.tokenize("Hi", "query").get(0);
            int[] vanilla = query.tokenIds()[0];
            int promptTokens = vanilla.length - 2; // the golden row is prompt tokens, "Hi", EOS
            assertThat(prompt.placeholderIndex()).isEqualTo(promptTokens);
            assertThat(prompt.ids()[promptTokens]).isEqualTo(tp.modelInfo().placeholderId());
            assertThat(prompt.ids()[prompt.length() - 1]).as("EOS still appended").isEqualTo(151643);

            List<float[]> batched = tp.embed(golden.sentences(), "query");
            List<float[]> alone = new ArrayList<>();
            for (String s : golden.sentences()) {
                alone.add(tp.embed(s, "query"));
            }
            SentenceTransformersParityTest.assertClose(alone, batched.toArray(new float[0][]), "TP alone vs batched");
            for (int i = 0; i < batched.size(); i++) {
                assertThat(maxDifference(batched.get(i), query.embeddings()[i]))
                        .as("sentence %d: TP differs from the model as trained", i).isGreaterThan(1e-3);
            }
        }
    }

    @Test
    void meanPoolingLeavesThePromptAndThePlaceholderOut() {
        Golden golden = StModels.golden("mistral-embed");
        try (SentenceEncoder tp = SentenceEncoder.builder().model(StModels.unpack("mistral-embed", tmp)).dtype(DType.FLOAT32).tp(1, 2)
                .build()) {
            List<float[]> batched = tp.embed(golden.sentences(), "query");
            List<float[]> alone = new ArrayList<>();
            for (String s : golden.sentences()) {
                alone.add(tp.embed(s, "query"));
            }
            SentenceTransformersParityTest.assertClose(alone, batched.toArray(new float[0][]), "TP mean alone vs batched");
            Case query = golden.find("prompt_query");
            for (int i = 0; i < batched.size(); i++) {
                assertThat(maxDifference(batched.get(i), query.embeddings()[i])).isGreaterThan(1e-3);
            }
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
