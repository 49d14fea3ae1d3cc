package io.github.tokenprepending.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.TpRange;
import io.github.tokenprepending.djl.sentencetransformers.StModels;
import io.github.tokenprepending.models.ToyModel;
import io.github.tokenprepending.springai.autoconfigure.TokenPrependingEmbeddingAutoConfiguration;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration in real application contexts, on the bundled stories260K model. */
class TokenPrependingAutoConfigurationTest {
    private static final String MODEL = "tp.embedding.model=" + ToyModel.directory();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TokenPrependingEmbeddingAutoConfiguration.class))
            .withPropertyValues("tp.embedding.offline=true", "tp.embedding.threads=2");

    /** A trained embedder with its query prompt and 16 dimensions from properties: sentence-transformers' vectors. */
    @Test
    void promptNameAndDimensionsPropertiesGiveSentenceTransformersVectors(@TempDir Path tmp) {
        StModels.Golden golden = StModels.golden("qwen3-embedding");
        StModels.Case expected = golden.find("truncate_dim");
        Path dir = StModels.unpack("qwen3-embedding", tmp);
        runner.withPropertyValues("tp.embedding.model=" + dir, "tp.embedding.prompt-name=query", "tp.embedding.dtype=fp32",
                "tp.embedding.dimensions=" + expected.truncateDim()).run(context -> {
                    EmbeddingModel model = context.getBean(EmbeddingModel.class);
                    List<float[]> vectors = model.embed(golden.sentences());
                    for (int i = 0; i < vectors.size(); i++) {
                        assertThat(vectors.get(i)).hasSize(expected.truncateDim());
                        for (int d = 0; d < expected.truncateDim(); d++) {
                            assertThat((double) vectors.get(i)[d]).as("sentence %d component %d", i, d)
                                    .isCloseTo(expected.embeddings()[i][d], org.assertj.core.data.Offset.offset(1e-5));
                        }
                    }
                });
    }

    @Test
    void theModelIsOpenedWithThePropertiesAndServesAsTheEmbeddingModel() {
        runner.withPropertyValues(MODEL, "tp.embedding.tp=1,2", "tp.embedding.output-layer=-2",
                "tp.embedding.normalize=true", "tp.embedding.batch-size=8").run(context -> {
                    assertThat(context).hasSingleBean(EmbeddingModel.class);
                    TokenPrependingEmbeddingModel model = context.getBean(TokenPrependingEmbeddingModel.class);
                    assertThat(model.dimensions()).isEqualTo(64);
                    assertThat(model.encoder().config().tp()).isEqualTo(new TpRange(1, 2));
                    assertThat(model.encoder().config().outputLayer()).isEqualTo(OutputLayer.parse("-2"));
                    assertThat(model.encoder().config().batchSize()).isEqualTo(8);
                    float[] v = model.embed("The dog ran.");
                    double norm = 0;
                    for (float x : v) {
                        norm += x * x;
                    }
                    assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                });
    }

    @Test
    void aUserDefinedEmbeddingModelReplacesIt() {
        runner.withPropertyValues(MODEL).withUserConfiguration(UserModel.class).run(context -> {
            assertThat(context).hasSingleBean(EmbeddingModel.class);
            assertThat(context).doesNotHaveBean(TokenPrependingEmbeddingModel.class);
            assertThat(context.getBean(EmbeddingModel.class).dimensions()).isEqualTo(3);
        });
    }

    @Test
    void anotherSpringAiEmbeddingProviderTurnsItOff() {
        runner.withPropertyValues(MODEL, "spring.ai.model.embedding=openai")
                .run(context -> assertThat(context).doesNotHaveBean(EmbeddingModel.class));
    }

    @Test
    void aBadModelPathFailsTheStartupNamingTheProperty() {
        runner.withPropertyValues("tp.embedding.model=/no/such/model-dir").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("tp.embedding.model").hasMessageContaining("/no/such/model-dir");
        });
    }

    @Test
    void aMissingModelFailsTheStartupNamingTheProperty() {
        runner.run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("tp.embedding.model").hasMessageContaining("is required"));
    }

    @Test
    void anInvertedTpRangeFailsTheStartupNamingTheProperty() {
        runner.withPropertyValues(MODEL, "tp.embedding.tp=5,2").run(context -> assertThat(context.getStartupFailure())
                .rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("tp.embedding.tp").hasMessageContaining("[5, 2]"));
        runner.withPropertyValues(MODEL, "tp.embedding.output-layer=top").run(context -> assertThat(
                context.getStartupFailure()).rootCause().hasMessageContaining("tp.embedding.output-layer"));
    }

    @Test
    void closingTheContextFreesTheModelsNativeMemory() {
        NDManager system;
        try (NDManager probe = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            system = probe.getParentManager();
        }
        int before = system.getManagedArrays().size();
        AtomicReference<TokenPrependingEmbeddingModel> bean = new AtomicReference<>();

        runner.withPropertyValues(MODEL).run(context -> {
            bean.set(context.getBean(TokenPrependingEmbeddingModel.class));
            assertThat(bean.get().embed("The dog ran.")).hasSize(64);
            assertThat(system.getManagedArrays().size()).isGreaterThan(before);
        });

        assertThat(system.getManagedArrays().size()).isEqualTo(before);
        assertThatThrownBy(() -> bean.get().embed("The dog ran.")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Configuration(proxyBeanMethods = false)
    static class UserModel {
        @Bean
        EmbeddingModel userEmbeddingModel() {
            return new EmbeddingModel() {
                @Override
                public EmbeddingResponse call(EmbeddingRequest request) {
                    return new EmbeddingResponse(List.of());
                }

                @Override
                public float[] embed(Document document) {
                    return new float[3];
                }

                @Override
                public int dimensions() {
                    return 3;
                }
            };
        }
    }
}
