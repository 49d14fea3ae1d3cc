package io.github.tokenprepending.langchain4j;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.models.ToyModel;

/** Settings of the bundled stories260K model shared by the tests. */
final class ToyEncoder {
    /** A query prompt: PromptEOL's template with another noun, so queries and documents embed differently. */
    static final String QUERY_PROMPT = "This query : <PST> \"{sentence}\" means in one word:\"";

    private ToyEncoder() {
    }

    /** @return settings of the bundled model (its default preset: PromptEOL, TP 1..2 of 5 layers) */
    static EncoderSettings settings() {
        return EncoderSettings.builder().model(ToyModel.directory().toString()).offline(true).threads(2).build();
    }
}
