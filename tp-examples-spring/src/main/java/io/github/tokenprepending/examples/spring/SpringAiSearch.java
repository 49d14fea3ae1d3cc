package io.github.tokenprepending.examples.spring;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application whose Spring AI {@link EmbeddingModel} comes from {@code tp-spring-boot-starter},
 * configured only by {@code tp.embedding.*} in {@code application.properties}: it fills Spring AI's
 * {@link SimpleVectorStore} and prints the passages closest to a query.
 *
 * <pre>
 * java -jar tp-examples-spring/target/tp-spring-example.jar [--tp.embedding.model=MODEL] [QUERY...]
 * </pre>
 *
 * <p>{@code application.properties} names the bundled demo model, {@code tp.embedding.model=stories260k}; the
 * environment ({@code TP_EMBEDDING_MODEL}) or the command line overrides it.
 */
@SpringBootApplication
public class SpringAiSearch {
    private static final List<String> PASSAGES = List.of(
            "Tom had a big red ball. He liked to kick the ball in the park.",
            "Lily saw a little cat in the garden. The cat was soft and white.",
            "The sun was hot, so Ben went to swim in the blue sea.",
            "Mom made a yummy cake for the birthday party.",
            "A small bird sang a happy song in the tall tree.",
            "The old man had a boat. He went fishing on the lake every day.");

    /**
     * @param args Spring arguments ({@code --name=value}), then query words
     */
    public static void main(String[] args) {
        SpringApplication.run(SpringAiSearch.class, args).close();
    }

    /**
     * @param embeddingModel the auto-configured model
     * @return prints the three passages closest to the query
     */
    @Bean
    ApplicationRunner search(EmbeddingModel embeddingModel) {
        return args -> {
            List<String> words = args.getNonOptionArgs();
            String query = words.isEmpty() ? "A small bird sang a happy song." : String.join(" ", words);
            SimpleVectorStore store = SimpleVectorStore.builder(embeddingModel).build();
            store.add(PASSAGES.stream().map(p -> new Document(p, Map.of("passage", PASSAGES.indexOf(p)))).toList());
            List<Document> found = store.similaritySearch(SearchRequest.builder().query(query).topK(3).build());
            System.out.println("query: " + query);
            for (int r = 0; r < found.size(); r++) {
                System.out.printf(Locale.ROOT, "%d. %.4f  %s%n", r + 1, found.get(r).getScore(),
                        found.get(r).getText());
            }
        };
    }

}
