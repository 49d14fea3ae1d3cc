package io.github.tokenprepending.server;

import java.util.List;

/**
 * text-embeddings-inference's {@code POST /embed} request, checked. A new field is a component here and its line in
 * {@link #parse}.
 *
 * @param inputs the sentences
 * @param normalize whether to answer unit vectors (TEI's default: true)
 * @param truncate whether inputs over the token limit are cut; null when not given ({@code --auto-truncate} decides)
 * @param promptName TEI's {@code prompt_name}: the named prompt, or null for the model's default
 */
record TeiRequest(List<String> inputs, boolean normalize, Boolean truncate, String promptName)
        implements EmbeddingRequest {
    private static final String INPUTS = "inputs";

    /**
     * @param body the request body
     * @param limits the server's limits
     * @return the checked request
     * @throws ApiException naming the field at fault
     */
    static TeiRequest parse(JsonBody body, EmbeddingRequest.Limits limits) {
        List<String> inputs = body.inputs(INPUTS, limits.maxClientBatchSize());
        boolean normalize = body.flag("normalize", true);
        Boolean truncate = body.flag("truncate", null);
        return new TeiRequest(inputs, normalize, truncate, body.text("prompt_name"));
    }

    @Override
    public String inputField() {
        return INPUTS;
    }
}
