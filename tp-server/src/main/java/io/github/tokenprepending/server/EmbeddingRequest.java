package io.github.tokenprepending.server;

import java.util.List;

/** What every embedding API's request has, whatever its field names: the sentences and how to size them. */
interface EmbeddingRequest {
    /** @return the sentences, at least one, none empty */
    List<String> inputs();

    /** @return the name of the inputs' field, for refusals ({@code input[3] has 700 tokens...}) */
    String inputField();

    /** @return whether inputs over the token limit are cut, or null to let {@code --auto-truncate} decide */
    Boolean truncate();

    /** @return the named prompt ({@code prompt_name}: a trained embedder's {@code query}, ...), or null */
    String promptName();

    /** @return the components kept (Matryoshka), or 0 for all */
    default int dimensions() {
        return 0;
    }

    /**
     * What a request is checked against.
     *
     * @param maxClientBatchSize most inputs per request
     * @param dimension the model's embedding dimension
     */
    record Limits(int maxClientBatchSize, int dimension) {
    }
}
