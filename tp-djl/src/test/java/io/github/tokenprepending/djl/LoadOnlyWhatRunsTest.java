package io.github.tokenprepending.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.LayerLoop;
import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.TpRange;
import io.github.tokenprepending.conformance.HashingTokenizer;
import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import io.github.tokenprepending.djl.family.Activation;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.LlamaLike;
import io.github.tokenprepending.djl.family.RopeSpec;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.LayerwiseModelProvider;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.PlaceholderInit;
import io.github.tokenprepending.spi.TokenBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers past the output layer are never loaded; an encoder that needs more layers than were loaded fails clearly;
 * a model that will not fit fails before loading, naming what would make it fit.
 */
class LoadOnlyWhatRunsTest {
    private static final TokenBatch BATCH = TokenBatch.of(new int[][] {{1, 5, 9, 299, 40, 41, 42}, {1, 7, 299, 8}},
            new int[] {3, 2});

    @Test
    void aTruncatedModelComputesItsLayersExactlyAsTheFullOne() throws Exception {
        ModelOptions options = ModelOptions.defaults().withPlaceholder(PlaceholderInit.checkpointRow());
        try (DjlLayerwiseModel full = DjlModels.load(GoldenModels.dir("llama"), tokenizer(), options);
                DjlLayerwiseModel two = DjlModels.load(GoldenModels.dir("llama"), tokenizer(), options.withLayers(2))) {
            assertThat(full.loadedLayers()).isEqualTo(4);
            assertThat(two.loadedLayers()).isEqualTo(2);
            assertThat(two.info().numLayers()).isEqualTo(4);
            PassPlan plan = PassPlan.layers(2).withLastTokenOnly();
            assertThat(LayerLoop.run(two, BATCH, plan, new TpRange(1, 3)))
                    .isDeepEqualTo(LayerLoop.run(full, BATCH, plan, new TpRange(1, 3)));
            assertThatThrownBy(() -> two.start(BATCH, PassPlan.layers(3)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the plan runs 3 layers; the model has 4, of which 2 are loaded");
            assertThatThrownBy(() -> two.cachePrefix(new int[] {1, 5}, 3))
                    .hasMessageContaining("cannot cache 3 layers of 4 (2 loaded)");
        }
    }

    @Test
    void theBuilderLoadsUpToTheOutputLayerAndRejectsALaterOne(@TempDir Path dir) {
        Stories260k.writeTo(dir);
        RecordingProvider provider = new RecordingProvider();
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(dir.toString()).provider(provider)
                .outputLayer(3).tp(1, 2).build()) {
            assertThat(provider.options).extracting(ModelOptions::layers).containsExactly(3);
            assertThat(encoder.layersRun()).isEqualTo(3);
            assertThat(encoder.embed("A cat sat.")).hasSize(64);
            assertThatThrownBy(() -> encoder.variant(c -> c.outputLayer(OutputLayer.last())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("output layer -1 needs 5 decoder layers, but the model was loaded with only 3 of"
                            + " its 5 (for an earlier output layer): load it for this output layer, or with"
                            + " SentenceEncoder.Builder.loadLayersFor(...) when variants read later layers");
        }
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(dir.toString()).provider(provider)
                .outputLayer(-2).loadLayersFor(OutputLayer.last()).build();
                SentenceEncoder vanilla = encoder.variant(c -> c.vanilla().outputLayer(OutputLayer.last()))) {
            assertThat(provider.options.get(1).layers()).isEqualTo(5);
            assertThat(encoder.layersRun()).isEqualTo(4);
            assertThat(vanilla.layersRun()).isEqualTo(5);
        }
    }

    @Test
    void aModelThatWillNotFitFailsBeforeLoadingAndSaysWhatWouldFit() {
        // 200 layers of hidden 8192: about 2.6 TB of float32 weights
        Architecture huge = llama(8192, 200, 64, 21888);
        assertThatThrownBy(() -> DjlLayerwiseModel.create(huge, NO_WEIGHTS, tokenizer(), ModelOptions.defaults()
                .withWeightsDtype(io.github.tokenprepending.spi.DType.FLOAT32)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the model will not fit: 200 of 200 decoder layers (hidden 8192, vocabulary"
                        + " 32001) with FLOAT32 weights and FLOAT32 compute need about ")
                .hasMessageContaining("--weights-dtype bf16 / .weightsDtype(DType.BFLOAT16)")
                .hasMessageContaining("--output-layer ")
                .hasMessageContaining("--device cuda:0")
                .hasMessageContaining("-Dtp.memoryCheck=false");
    }

    @Test
    void memoryEstimateCountsWeightsInTheirDtypes() {
        Architecture llama7b = llama(4096, 32, 32, 11008);
        ModelMemory fp16 = ModelMemory.estimate(llama7b, 27, io.github.tokenprepending.spi.DType.FLOAT16,
                io.github.tokenprepending.spi.DType.FLOAT32, name -> !name.endsWith(".bias"), 0);
        // per layer: q, k, v, o 4096 x 4096 and gate, up, down 11008 x 4096 in fp16, two norms in fp32
        long layer = (4L * 4096 * 4096 + 3L * 11008 * 4096) * 2 + 2L * 4096 * 4;
        assertThat(fp16.bytesPerLayer()).isEqualTo(layer);
        assertThat(fp16.weightBytes()).isEqualTo(27 * layer + 32001L * 4096 * 2 + 4096L * 4);
    }

    @Test
    void widenedLayersCountTheirMatricesInFloat32AndEndThePerProductConversionWhenAllAre() {
        Architecture llama7b = llama(4096, 32, 32, 11008);
        io.github.tokenprepending.spi.DType fp16 = io.github.tokenprepending.spi.DType.FLOAT16;
        io.github.tokenprepending.spi.DType fp32 = io.github.tokenprepending.spi.DType.FLOAT32;
        ModelMemory none = ModelMemory.estimate(llama7b, 27, fp16, fp32, name -> !name.endsWith(".bias"), 0);
        ModelMemory ten = ModelMemory.estimate(llama7b, 27, fp16, fp32, name -> !name.endsWith(".bias"), 10);
        ModelMemory all = ModelMemory.estimate(llama7b, 27, fp16, fp32, name -> !name.endsWith(".bias"), 27);
        // a widened layer's matrices take 2 more bytes an element: 4 x 4096 x 4096 + 3 x 11008 x 4096 of them
        long extra = (4L * 4096 * 4096 + 3L * 11008 * 4096) * 2;
        assertThat(ten.weightBytes()).isEqualTo(none.weightBytes() + 10 * extra);
        assertThat(ten.workingBytes()).isEqualTo(none.workingBytes());
        assertThat(all.weightBytes()).isEqualTo(none.weightBytes() + 27 * extra);
        // no layer left narrow: the largest matrix (the 32001 x 4096 embedding's size) is never converted
        assertThat(all.workingBytes()).isEqualTo(none.workingBytes() - 32001L * 4096 * 4);
    }

    /** A weight source that holds nothing: the fit check runs before anything is read. */
    private static final WeightSource NO_WEIGHTS = new WeightSource() {
        @Override
        public boolean contains(String name) {
            return false;
        }

        @Override
        public TensorDtype dtype(String name, long[] expectedShape) throws IOException {
            throw new IOException("no tensor " + name);
        }

        @Override
        public void read(String name, long first, int count, ByteBuffer dst) throws IOException {
            throw new IOException("no tensor " + name);
        }

        @Override
        public String describe() {
            return "no weights";
        }

        @Override
        public void close() {
        }
    };

    /** A Llama-shaped architecture with a 32001-token vocabulary. */
    private static Architecture llama(int hidden, int layers, int heads, int intermediate) {
        DecoderSpec spec = DecoderSpec.builder().modelType("llama").hiddenSize(hidden).numLayers(layers)
                .numHeads(heads).numKvHeads(heads).headDim(hidden / heads).intermediateSize(intermediate)
                .vocabSize(32001).maxPositions(4096).rmsEps(1e-5).rope(RopeSpec.plain(10000.0)).activation(Activation.SILU).bosId(1).build();
        return LlamaLike.architecture("llama", spec, LlamaLike.block(0), false);
    }

    private static HashingTokenizer tokenizer() {
        return new HashingTokenizer(299, 3, 1, 299);
    }

    /** The DJL provider, remembering the options it was asked to load with. */
    private static final class RecordingProvider implements LayerwiseModelProvider {
        private final DjlModelProvider djl = new DjlModelProvider();
        private final List<ModelOptions> options = new ArrayList<>();

        @Override
        public String name() {
            return "recording djl";
        }

        @Override
        public boolean supports(Path modelDir) {
            return djl.supports(modelDir);
        }

        @Override
        public LayerwiseModel load(Path modelDir, ModelOptions options) throws IOException {
            this.options.add(options);
            return djl.load(modelDir, options);
        }
    }
}
