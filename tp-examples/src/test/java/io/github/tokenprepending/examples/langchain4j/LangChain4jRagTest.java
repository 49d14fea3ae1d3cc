package io.github.tokenprepending.examples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The langchain4j RAG example runs offline on the bundled model and prints the augmented message. */
class LangChain4jRagTest {
    @Test
    void theAugmentedMessageHoldsTheQuestionAndTheRetrievedPassageFirst() {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            LangChain4jRag.main(new String[] {"-", "Mom", "made", "a", "yummy", "cake."});
        } finally {
            System.setOut(original);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).startsWith("Mom made a yummy cake.");
        assertThat(out).contains("Answer using the following information:");
        String info = out.substring(out.indexOf("Answer using the following information:"));
        assertThat(info.lines().filter(l -> !l.isBlank()).skip(1).findFirst())
                .hasValue("Mom made a yummy cake for the birthday party.");
    }
}
