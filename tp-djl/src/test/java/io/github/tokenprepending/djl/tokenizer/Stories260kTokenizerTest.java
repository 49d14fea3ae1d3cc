package io.github.tokenprepending.djl.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.prompt.RenderedPrompt;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * stories260K-hf: raw texts to ids with {@code <s>}, from an independent SentencePiece-BPE encoder
 * ({@code tokenizer_expected_ids.tsv}, {@code tokenizer_expected_ids_edge_cases.tsv}; see
 * shared/data/models/stories260K-hf/SOURCES.md).
 */
class Stories260kTokenizerTest {

    @TestFactory
    Stream<DynamicTest> sentences() {
        return lines("tokenizer_expected_ids.tsv").map(line -> {
            String[] columns = line.split("\t");
            return DynamicTest.dynamicTest(columns[0] + ": " + columns[1], () -> check(columns[1], columns[2]));
        });
    }

    @TestFactory
    Stream<DynamicTest> edgeCases() {
        ObjectMapper mapper = new ObjectMapper();
        return lines("tokenizer_expected_ids_edge_cases.tsv").map(line -> {
            String[] columns = line.split("\t");
            return DynamicTest.dynamicTest(columns[0], () -> check(mapper.readValue(columns[1], String.class), columns[2]));
        });
    }

    private static void check(String text, String ids) {
        int[] expected = Arrays.stream(ids.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
        assertThat(BundledTokenizers.shared("stories260K-hf").encode(RenderedPrompt.plain(text)).ids())
                .containsExactly(expected);
    }

    private static Stream<String> lines(String file) {
        String text = new String(BundledTokenizers.resource("stories260K-hf/" + file), StandardCharsets.UTF_8);
        return text.lines().filter(line -> !line.isBlank() && !line.startsWith("#"));
    }
}
