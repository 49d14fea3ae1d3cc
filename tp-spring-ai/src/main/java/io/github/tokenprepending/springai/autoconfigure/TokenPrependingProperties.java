package io.github.tokenprepending.springai.autoconfigure;

import io.github.tokenprepending.EncoderSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Binds {@code tp.embedding.*} onto {@link EncoderSettings}, the library's one record of encoder options: every
 * record component is a property in kebab case ({@code tp.embedding.model}, {@code tp.embedding.tp=1,7},
 * {@code tp.embedding.output-layer}, {@code tp.embedding.batch-size}, ...). Nothing is copied or renamed here.
 */
@ConfigurationProperties(prefix = TokenPrependingProperties.PREFIX)
public class TokenPrependingProperties {
    /** The prefix of every property: {@code tp}. */
    public static final String PREFIX = "tp";

    /** Encoder settings; unset ones come from the model's preset. */
    private EncoderSettings embedding;

    /** @return the settings bound from {@code tp.embedding.*}; all unset when none is given */
    public EncoderSettings getEmbedding() {
        return embedding != null ? embedding : EncoderSettings.builder().build();
    }

    /** @param embedding the settings */
    public void setEmbedding(EncoderSettings embedding) {
        this.embedding = embedding;
    }
}
