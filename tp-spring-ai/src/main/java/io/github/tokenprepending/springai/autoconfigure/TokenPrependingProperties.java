package io.github.tokenprepending.springai.autoconfigure;

import io.github.tokenprepending.EncoderSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Binds {@code tp.embedding.*}: every setting of {@link EncoderSettings#ALL} is a property in kebab case
 * ({@code tp.embedding.model}, {@code tp.embedding.tp=1,7}, {@code tp.embedding.output-layer},
 * {@code tp.embedding.batch-size}, ...; {@code TP_EMBEDDING_BATCHSIZE} from the environment). The values are bound
 * as text and read by {@link EncoderSettings#fromTextMap}, so a new setting is a property without a change here.
 */
@ConfigurationProperties(prefix = TokenPrependingProperties.PREFIX)
public class TokenPrependingProperties {
    /** The prefix of every property: {@code tp}. */
    public static final String PREFIX = "tp";

    /** Encoder settings by name, as text; unset ones come from the model's preset. */
    private final Map<String, String> embedding = new LinkedHashMap<>();

    /** @return the {@code tp.embedding.*} values by name, as bound (Spring's binder fills this map) */
    public Map<String, String> getEmbedding() {
        return embedding;
    }

    /**
     * @param name a setting's name in any case
     * @return the text bound for it, or null
     */
    String given(String name) {
        String key = canonical(name);
        return embedding.entrySet().stream().filter(e -> canonical(e.getKey()).equals(key))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static String canonical(String name) {
        return name.replaceAll("[-_.]", "").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @return the bound values as settings
     * @throws io.github.tokenprepending.InvalidSettingException for an unknown name or a malformed value
     */
    public EncoderSettings settings() {
        return EncoderSettings.fromTextMap(embedding);
    }
}
