package io.github.tokenprepending.eval;

import io.github.tokenprepending.Cosine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a sentence embedder on STS tasks as the paper does (SentEval as forked by SimCSE / PromptEOL): each
 * pair is scored by the cosine similarity of the raw embeddings of its two sentences; a task's score is the
 * Spearman correlation of these similarities with the gold scores over all its pairs, for STS12-16 the pairs of
 * every subset concatenated ("all"), for STS-B and SICK-R the test split; there is no regressor.
 *
 * <p>Each distinct sentence of a task is embedded once, by one call to the embedder per task, so a task's
 * embeddings are held in memory while it is scored. The embeddings must be finite: a NaN or infinite component
 * fails the evaluation, naming the sentence, where SentEval would silently replace it.
 */
public final class StsEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(StsEvaluator.class);

    private final SentenceEmbedder embedder;

    /** @param embedder the embedder under evaluation */
    public StsEvaluator(SentenceEmbedder embedder) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    /**
     * Reads the data of every task first, so that missing or malformed data fails before any embedding, then
     * evaluates the tasks one after the other.
     *
     * @param dataRoot the directory in SentEval's layout ({@code STS12-en-test}, ..., {@code STSBenchmark},
     *     {@code SICK})
     * @param tasks the tasks; run in the paper's order, each once
     * @return the results in the paper's order
     * @throws IOException if a task's data is missing or malformed (see {@link StsTask#load(Path)})
     * @throws IllegalArgumentException if no task is given
     * @throws IllegalStateException if the embedder breaks its contract
     */
    public StsReport evaluate(Path dataRoot, Collection<StsTask> tasks) throws IOException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no STS task to evaluate");
        }
        List<StsDataset> datasets = new ArrayList<>();
        for (StsTask task : EnumSet.copyOf(tasks)) {
            datasets.add(task.load(dataRoot));
        }
        List<StsTaskResult> results = new ArrayList<>();
        for (StsDataset dataset : datasets) {
            results.add(evaluate(dataset));
        }
        return new StsReport(results);
    }

    /**
     * Evaluates one task's data.
     *
     * @param dataset the data
     * @return the correlations over all pairs and per subset
     * @throws IllegalArgumentException if a subset has fewer than 2 pairs
     * @throws IllegalStateException if the embedder returns the wrong number of embeddings, embeddings of different
     *     dimensions, or a component that is not finite
     */
    public StsTaskResult evaluate(StsDataset dataset) {
        for (StsSubset subset : dataset.subsets()) {
            if (subset.pairs().size() < 2) {
                throw new IllegalArgumentException(dataset.task().label() + " subset " + subset.name()
                        + " has 1 pair; a correlation needs at least 2");
            }
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (StsPair pair : dataset.pairs()) {
            index.putIfAbsent(pair.sentence1(), index.size());
            index.putIfAbsent(pair.sentence2(), index.size());
        }
        List<String> sentences = List.copyOf(index.keySet());
        List<float[]> embeddings = embed(sentences);

        int total = dataset.size();
        double[] allSystem = new double[total];
        double[] allGold = new double[total];
        int k = 0;
        List<StsSubsetResult> subsets = new ArrayList<>();
        for (StsSubset subset : dataset.subsets()) {
            List<StsPair> pairs = subset.pairs();
            double[] system = new double[pairs.size()];
            double[] gold = new double[pairs.size()];
            for (int i = 0; i < pairs.size(); i++) {
                StsPair pair = pairs.get(i);
                system[i] = Cosine.similarity(embeddings.get(index.get(pair.sentence1())),
                        embeddings.get(index.get(pair.sentence2())));
                gold[i] = pair.score();
                allSystem[k] = system[i];
                allGold[k++] = gold[i];
            }
            StsSubsetResult result = new StsSubsetResult(subset.name(), Correlation.spearman(system, gold),
                    Correlation.pearson(system, gold), pairs.size());
            LOG.debug("{} {}: Spearman {}, Pearson {} ({} pairs)", dataset.task().label(), subset.name(),
                    result.spearman(), result.pearson(), result.pairs());
            subsets.add(result);
        }
        StsTaskResult result = new StsTaskResult(dataset.task(), Correlation.spearman(allSystem, allGold),
                Correlation.pearson(allSystem, allGold), total, subsets);
        LOG.info("{}: Spearman {} ({} pairs, {} sentences)", dataset.task().label(),
                StsTable.percent(result.spearman()), total, sentences.size());
        return result;
    }

    private List<float[]> embed(List<String> sentences) {
        List<float[]> embeddings = embedder.embed(sentences);
        if (embeddings == null || embeddings.size() != sentences.size()) {
            throw new IllegalStateException("the embedder returned " + (embeddings == null ? "null" : embeddings.size()
                    + " embeddings") + " for " + sentences.size() + " sentences");
        }
        int dim = -1;
        for (int i = 0; i < embeddings.size(); i++) {
            float[] e = embeddings.get(i);
            if (e == null) {
                throw new IllegalStateException("no embedding for sentence " + i + ": '" + sentences.get(i) + "'");
            }
            if (dim >= 0 && e.length != dim) {
                throw new IllegalStateException("the embedding of sentence " + i + " ('" + sentences.get(i)
                        + "') has dimension " + e.length + ", the first had " + dim);
            }
            dim = e.length;
            for (int d = 0; d < e.length; d++) {
                if (!Float.isFinite(e[d])) {
                    throw new IllegalStateException("the embedding of sentence " + i + " ('" + sentences.get(i)
                            + "') has " + e[d] + " at dimension " + d);
                }
            }
        }
        return embeddings;
    }
}
