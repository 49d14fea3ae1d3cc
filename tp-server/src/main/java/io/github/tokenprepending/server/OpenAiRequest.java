package io.github.tokenprepending.server;

import java.util.List;

/**
 * OpenAI's {@code POST /v1/embeddings} request, checked. {@code model} and {@code user} are accepted and ignored (one
 * model per server). {@code prompt_name} is this server's extension (OpenAI clients send it as an extra body field). A
 * new field is a component here and its line in {@link #parse}.
 *
 * @param input the sentences
 * @param base64 true for {@code "encoding_format": "base64"} (little-endian float32 bytes), false for floats
 * @param dimensions the first components kept (Matryoshka), or 0 for all
 * @param promptName the named prompt, or null for the model's default
 */
record OpenAiRequest(List<String> input, boolean base64, int dimensions, String promptName)
        implements EmbeddingRequest {
    private static final String INPUT = "input";

    /**
     * @param body the request body
     * @param limits the server's limits and the model's dimension
     * @return the checked request
     * @throws ApiException naming the field at fault
     */
    static OpenAiRequest parse(JsonBody body, EmbeddingRequest.Limits limits) {
        List<String> input = body.inputs(INPUT, limits.maxClientBatchSize());
        String format = body.choice("encoding_format", "float", List.of("float", "base64"));
        String range = "an integer from 1 to " + limits.dimension() + " (this model's embeddings have "
                + limits.dimension() + " dimensions)";
        Integer dimensions = body.integer("dimensions", range);
        if (dimensions != null && (dimensions < 1 || dimensions > limits.dimension())) {
            throw ApiException.validation(422, "dimensions: " + range + ", got " + dimensions);
        }
        return new OpenAiRequest(input, format.equals("base64"), dimensions == null ? 0 : dimensions,
                body.text("prompt_name"));
    }

    @Override
    public List<String> inputs() {
        return input;
    }

    @Override
    public String inputField() {
        return INPUT;
    }

    /** @return null: OpenAI's API has no truncation field, so {@code --auto-truncate} decides */
    @Override
    public Boolean truncate() {
        return null;
    }
}
