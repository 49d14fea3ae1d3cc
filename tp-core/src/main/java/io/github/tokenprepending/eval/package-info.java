/**
 * STS evaluation as in the paper: SentEval's STS12-16, STS-B and SICK-R readers, Spearman and Pearson correlation
 * of the cosine similarity of raw embeddings with the gold scores, aggregated like the SimCSE / PromptEOL fork of
 * SentEval ("all" pairs of STS12-16 concatenated; the test split of STS-B and SICK-R, no regressor), and the
 * paper's results table.
 *
 * <p>Typical use: {@code new StsEvaluator(encoder::embed).evaluate(dataDir, EnumSet.allOf(StsTask.class))}, then
 * {@code new StsTable().add("PromptEOL + TP", report).toText()}.
 */
package io.github.tokenprepending.eval;
