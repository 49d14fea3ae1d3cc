package io.github.tokenprepending.eval;

/**
 * The correlations of one subset's cosine similarities with its gold scores.
 *
 * @param name the subset
 * @param spearman Spearman's rho (NaN if undefined)
 * @param pearson Pearson's r (NaN if undefined)
 * @param pairs the number of scored pairs
 */
public record StsSubsetResult(String name, double spearman, double pearson, int pairs) {
}
