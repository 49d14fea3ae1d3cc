package io.github.tokenprepending.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.tokenprepending.models.ToyModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application that only declares {@code tp.embedding.*}: the auto-configured model embeds, and Spring
 * AI's {@link SimpleVectorStore} fed through it finds the right document.
 */
@SpringBootTest(properties = {"tp.embedding.offline=true", "tp.embedding.threads=2"})
class SpringBootEmbeddingTest {
    /**
     * stories260K is a toy (similarities near 1): the passages are in its children's-story language and each query
     * repeats its passage's first sentence; the toy ranks these right (see the langchain4j RAG test for two it
     * misranks, kept here as distractors).
     */
    private static final List<String> PASSAGES = List.of(
            "Tom had a big red ball. He liked to kick the ball in the park.",
            "Lily saw a little cat in the garden. The cat was soft and white.",
            "The sun was hot, so Ben went to swim in the blue sea.",
            "Mom made a yummy cake for the birthday party.",
            "A small bird sang a happy song in the tall tree.",
            "The old man had a boat. He went fishing on the lake every day.");

    @Autowired
    private EmbeddingModel model;

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("tp.embedding.model", () -> ToyModel.directory().toString());
    }

    @Test
    void theAutoConfiguredModelEmbedsAWholeRequestInOrder() {
        EmbeddingResponse response = model.embedForResponse(List.of(PASSAGES.get(0), PASSAGES.get(3)));

        assertThat(model).isInstanceOf(TokenPrependingEmbeddingModel.class);
        assertThat(response.getResults()).hasSize(2);
        assertThat(response.getResults().get(1).getIndex()).isEqualTo(1);
        // alone it is another batch with other padding: equal up to float rounding
        assertThat(response.getResults().get(1).getOutput()).containsExactly(model.embed(PASSAGES.get(3)),
                within(1e-5f));
        assertThat(response.getMetadata().getModel()).isEqualTo(ToyModel.directory().toString());
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isPositive();
    }

    @Test
    void simpleVectorStoreFedThroughTheModelFindsTheRightPassage() {
        SimpleVectorStore store = SimpleVectorStore.builder(model).build();
        store.add(PASSAGES.stream().map(p -> new Document("p" + PASSAGES.indexOf(p), p, java.util.Map.of())).toList());

        for (String[] query : new String[][] {{"Tom had a big red ball.", "p0"},
                {"Lily saw a little cat in the garden.", "p1"}, {"Mom made a yummy cake.", "p3"},
                {"A small bird sang a happy song.", "p4"}}) {
            List<Document> found = store.similaritySearch(SearchRequest.builder().query(query[0]).topK(3).build());
            assertThat(found).as(query[0]).hasSize(3);
            assertThat(found.get(0).getId()).as(query[0]).isEqualTo(query[1]);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }
}
