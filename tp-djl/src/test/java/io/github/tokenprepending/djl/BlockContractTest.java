package io.github.tokenprepending.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.pytorch.jni.IValue;
import io.github.tokenprepending.LayerLoop;
import io.github.tokenprepending.TpRange;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.Activation;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.LayerBlock;
import io.github.tokenprepending.djl.family.ModelFamilies;
import io.github.tokenprepending.djl.family.ModelFamily;
import io.github.tokenprepending.djl.family.RopeSpec;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.TokenBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java side and the blocks' manifest.json (written by export_blocks.py beside the .pt files) agree: every
 * family fills exactly its block's weight slots and extra arguments, every Java enum has its code, every block in
 * the manifest ships as a .pt, and a real call of every block with Java's arguments goes through.
 */
class BlockContractTest {
    private static final BlockContract CONTRACT = BlockContract.bundled();
    private static final List<String> GOLDEN = List.of("llama", "llama3", "qwen2", "qwen3", "gemma2");

    @Test
    void everyFamilyIsCoveredByAGoldenCheckpoint() throws IOException {
        Set<String> covered = new HashSet<>();
        for (String name : GOLDEN) {
            covered.add(ModelFamilies.architecture(HfConfig.read(GoldenModels.dir(name))).family());
        }
        assertThat(covered).containsExactlyInAnyOrderElementsOf(
                ModelFamilies.all().stream().map(ModelFamily::name).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "llama3", "qwen2", "qwen3", "gemma2"})
    void familiesFillExactlyTheirBlocksWeightSlotsAndExtraArguments(String golden) throws IOException {
        Architecture architecture = ModelFamilies.architecture(HfConfig.read(GoldenModels.dir(golden)));
        LayerBlock block = architecture.block();
        BlockContract.Signature signature = CONTRACT.block(block.resource());
        for (int layer = 0; layer < architecture.spec().numLayers(); layer++) {
            assertThat(architecture.layerInputs(layer).stream().map(BlockInput::slot).toList())
                    .as("%s layer %d weight slots of %s", architecture.family(), layer, block.resource())
                    .isEqualTo(signature.weights());
            List<String> notWeights = new ArrayList<>(signature.arguments());
            notWeights.removeAll(signature.weights());
            assertThat(notWeights).as("%s: arguments of %s beyond the weights", architecture.family(),
                    block.resource()).containsAll(block.extraArguments(layer).keySet());
        }
    }

    @Test
    void everyJavaEnumHasItsCode() {
        assertThat(CONTRACT.codes().keySet()).containsExactlyInAnyOrder("dtype", "activation", "norm", "rope_type");
        for (DType d : DType.values()) {
            if (d.computes()) {
                assertThat(CONTRACT.code("dtype", d)).isBetween(0L, 2L);
            }
        }
        assertThat(CONTRACT.packed()).containsExactly("qkv", "o", "gate_up", "down");
        assertThat(CONTRACT.code("dtype", DType.FLOAT32)).isEqualTo(0);
        for (Activation a : Activation.values()) {
            CONTRACT.code("activation", a);
        }
        for (LayerBlock.FinalNorm n : LayerBlock.FinalNorm.values()) {
            assertThat(CONTRACT.code("norm", n)).isNotEqualTo(CONTRACT.code("norm", "none"));
        }
        for (RopeSpec.Type t : RopeSpec.Type.values()) {
            CONTRACT.code("rope_type", t);
        }
        assertThat(CONTRACT.codes().get("activation")).hasSize(Activation.values().length);
        assertThat(CONTRACT.codes().get("rope_type")).hasSize(RopeSpec.Type.values().length);
        assertThat(CONTRACT.codes().get("norm")).hasSize(LayerBlock.FinalNorm.values().length + 1);
    }

    @Test
    void everyBlockOfTheManifestShipsAsATorchScriptFile() {
        assertThat(CONTRACT.blocks().keySet()).contains("prepare.pt", "rope.pt", "pool.pt", "cast.pt");
        for (String file : CONTRACT.blocks().keySet()) {
            assertThat(BlockContract.class.getResource(BlockContract.ROOT + file)).as(file).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen3", "gemma2"})
    void javaFillsEveryArgumentOfARealCall(String golden) throws IOException {
        try (DjlLayerwiseModel model = GoldenModels.withHashingTokenizer(golden)) {
            TokenBatch batch = TokenBatch.of(new int[][] {{1, 299, 5, 6}, {1, 7, 299, 8, 9}}, new int[] {1, 2});
            float[][] rows = LayerLoop.run(model, batch, PassPlan.layers(model.info().numLayers()), new TpRange(1, 2));
            assertThat(rows).hasNumberOfRows(2);
            assertThat(rows[0]).hasSize(model.info().hiddenSize());
        }
    }

    @Test
    void aCallNamesUnknownAndMissingArguments() {
        BlockContract.Signature pool = CONTRACT.block("pool.pt");
        assertThatThrownBy(() -> pool.call().set("hidden", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pool.pt has no argument 'hidden'");
        try (IValue eps = IValue.from(1e-6)) {
            assertThatThrownBy(() -> pool.call().set("eps", eps).values())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("[h, cols, norm_weight, norm]");
        }
        assertThatThrownBy(() -> CONTRACT.block("mamba_layer.pt")).hasMessageContaining("re-run export_blocks.py");
    }
}
