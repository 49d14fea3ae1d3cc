/**
 * Retrieval evaluation as MTEB scores BEIR data sets: readers for the BEIR layout ({@link
 * io.github.tokenprepending.eval.retrieval.BeirDataset}), exact cosine search over a streamed corpus ({@link
 * io.github.tokenprepending.eval.retrieval.ExactSearch}), trec_eval's metrics ({@link
 * io.github.tokenprepending.eval.retrieval.Metric}), a cache of corpus embeddings ({@link
 * io.github.tokenprepending.eval.retrieval.CorpusEmbeddingCache}) and a results table.
 *
 * <p>Typical use: {@code RetrievalEvaluator.builder().embedder(encoder::embed).build().evaluate(
 * BeirDataset.load(dir, "test"))}, then {@code new RetrievalTable().add("PromptEOL + TP", report).toText()}.
 */
package io.github.tokenprepending.eval.retrieval;
