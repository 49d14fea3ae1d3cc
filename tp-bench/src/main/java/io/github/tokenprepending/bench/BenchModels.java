package io.github.tokenprepending.bench;

import io.github.tokenprepending.LayerLoop;
import io.github.tokenprepending.TpRange;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.tokenizer.HfTextTokenizer;
import io.github.tokenprepending.djl.tokenizer.SpecialTokenText;
import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.TextTokenizer;
import io.github.tokenprepending.spi.TokenBatch;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * What a benchmark runs on without downloading anything: random-weight models with the real Llama-2 tokenizer,
 * the default input sentences, and a probe of the per-call overhead.
 */
public final class BenchModels {
    private static final String RESOURCES = "/io/github/tokenprepending/bench/";

    private BenchModels() {
    }

    /**
     * @param description a {@link SyntheticModels#parse} description, e.g.
     *        {@code llama:hidden=512,layers=8,heads=8,kv-heads=8,intermediate=1376,vocab=32001}
     * @param options device, dtype, placeholder, threads
     * @param seed weight seed
     * @return a random-weight model with the Llama-2 tokenizer (its {@code <PST>} is id 32000)
     * @throws IllegalArgumentException for a malformed description or a vocabulary too small for the tokenizer
     */
    public static LayerwiseModel synthetic(String description, ModelOptions options, long seed) {
        DecoderSpec decoder = SyntheticModels.parse(description);
        HfTextTokenizer tokenizer = llama2Tokenizer();
        if (tokenizer.placeholderId() >= decoder.vocabSize()) {
            tokenizer.close();
            throw new IllegalArgumentException("synthetic model: vocab must exceed the Llama-2 tokenizer's <PST> id "
                    + tokenizer.placeholderId() + " (use vocab=32001)");
        }
        try {
            return SyntheticModels.create(decoder, tokenizer, options, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the Llama-2 tokenizer with a {@code <PST>} token added (id 32000) */
    public static HfTextTokenizer llama2Tokenizer() {
        return HfTextTokenizer.fromJson(resource("llama2-tokenizer.json.gz", true),
                resource("llama2-tokenizer_config.json", false), SpecialTokenText.AS_CONFIGURED);
    }

    /** @return the first 512 sentence-A entries of the STS-B test set */
    public static List<String> stsbSentences() {
        return List.of(new String(resource("stsb-test-sentence-a-512.txt", false), StandardCharsets.UTF_8)
                .split("\n"));
    }

    /**
     * What the calls cost beyond their arithmetic: a 3-token batch through a tiny model (hidden 16, 8 layers), whose
     * arithmetic is negligible, timed with 0 layers (the pass's setup and pooling) and with 8.
     *
     * @return microseconds per layer call, and per pass for setup plus pooling
     */
    public static double[] callOverheadMicros() {
        DecoderSpec tiny = SyntheticModels.parse("llama:hidden=16,layers=8,heads=2,intermediate=32,vocab=64");
        TextTokenizer none = new TextTokenizer() {
            @Override
            public TokenizedPrompt encode(RenderedPrompt prompt) {
                throw new UnsupportedOperationException("the overhead probe feeds ids");
            }

            @Override
            public int placeholderId() {
                return 63;
            }

            @Override
            public void close() {
            }
        };
        try (LayerwiseModel model = SyntheticModels.create(tiny, none, ModelOptions.defaults(), 1)) {
            TokenBatch batch = TokenBatch.of(new int[][] {{1, 63, 5}}, new int[] {1});
            double setup = microsPerPass(model, batch, 0);
            double full = microsPerPass(model, batch, 8);
            return new double[] {(full - setup) / 8, setup};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Warm-up then timing, each stopped at a count or a time budget, whichever comes first (busy machines). */
    private static double microsPerPass(LayerwiseModel model, TokenBatch batch, int layers) {
        TpRange tp = new TpRange(1, 2);
        PassPlan plan = PassPlan.layers(layers).withLastTokenOnly();
        long warmUpEnd = System.nanoTime() + 200_000_000L;
        for (int i = 0; i < 300 && System.nanoTime() < warmUpEnd; i++) {
            LayerLoop.run(model, batch, plan, tp);
        }
        long start = System.nanoTime();
        long end = start + 500_000_000L;
        int n = 0;
        while (n < 2000 && (n < 20 || System.nanoTime() < end)) {
            LayerLoop.run(model, batch, plan, tp);
            n++;
        }
        return (System.nanoTime() - start) / 1e3 / n;
    }

    private static byte[] resource(String name, boolean gzip) {
        InputStream raw = Objects.requireNonNull(BenchModels.class.getResourceAsStream(RESOURCES + name), name);
        try (InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + name, e);
        }
    }
}
