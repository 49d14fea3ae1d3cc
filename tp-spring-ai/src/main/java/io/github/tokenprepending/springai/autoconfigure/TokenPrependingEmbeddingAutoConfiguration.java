package io.github.tokenprepending.springai.autoconfigure;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.InvalidSettingException;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.hub.HubException;
import io.github.tokenprepending.springai.TokenPrependingEmbeddingModel;
import java.io.UncheckedIOException;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Registers a {@link TokenPrependingEmbeddingModel} as the application's Spring AI {@link EmbeddingModel}, opened
 * from {@code tp.embedding.*} and closed with the context. A user-defined {@link EmbeddingModel} bean replaces it;
 * {@code spring.ai.model.embedding} set to anything but {@code token-prepending} turns it off (Spring AI's switch
 * between embedding providers).
 *
 * <p>A bad setting fails the startup naming the property: {@code tp.embedding.tp}, {@code tp.embedding.model}.
 */
@AutoConfiguration
@ConditionalOnClass({EmbeddingModel.class, SentenceEncoder.class})
@ConditionalOnProperty(name = "spring.ai.model.embedding", havingValue = "token-prepending", matchIfMissing = true)
@EnableConfigurationProperties(TokenPrependingProperties.class)
public class TokenPrependingEmbeddingAutoConfiguration {
    private static final String PREFIX = TokenPrependingProperties.PREFIX + ".embedding.";

    /**
     * @param properties the bound {@code tp.embedding.*}
     * @return the model, owning its encoder
     * @throws InvalidConfigurationPropertyValueException naming the property at fault
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(EmbeddingModel.class)
    public TokenPrependingEmbeddingModel tokenPrependingEmbeddingModel(TokenPrependingProperties properties) {
        EncoderSettings settings = EncoderSettings.builder().build();
        try {
            settings = properties.settings();
            return TokenPrependingEmbeddingModel.open(settings);
        } catch (InvalidSettingException e) {
            Object value = settings.asMap().get(e.setting());
            throw new InvalidConfigurationPropertyValueException(PREFIX + e.kebabName(),
                    value != null ? value : properties.given(e.setting()), e.problem());
        } catch (UncheckedIOException | HubException e) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "model", settings.model(),
                    "cannot be loaded: " + e.getMessage());
        }
    }
}
