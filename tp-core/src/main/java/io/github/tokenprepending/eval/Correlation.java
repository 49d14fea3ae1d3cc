package io.github.tokenprepending.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Pearson and Spearman correlation in double precision, as {@code scipy.stats.pearsonr} and
 * {@code scipy.stats.spearmanr} compute them: Spearman is the Pearson correlation of the ranks, tied values sharing
 * the average of their ranks. A constant input has no correlation: the result is NaN, as in scipy.
 */
public final class Correlation {
    private Correlation() {
    }

    /**
     * @param x first sample
     * @param y second sample, as long as {@code x}
     * @return Pearson's r in [-1, 1], or NaN if either sample is constant
     * @throws IllegalArgumentException if the lengths differ, there are fewer than 2 values, or a value is not finite
     */
    public static double pearson(double[] x, double[] y) {
        check(x, y);
        if (isConstant(x) || isConstant(y)) {
            return Double.NaN;
        }
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        double r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
        return Math.max(-1.0, Math.min(1.0, r));
    }

    /**
     * @param x first sample
     * @param y second sample, as long as {@code x}
     * @return Spearman's rho in [-1, 1], or NaN if either sample is constant
     * @throws IllegalArgumentException if the lengths differ, there are fewer than 2 values, or a value is not finite
     */
    public static double spearman(double[] x, double[] y) {
        check(x, y);
        return pearson(averageRanks(x), averageRanks(y));
    }

    /**
     * {@code scipy.stats.rankdata(values, method='average')}.
     *
     * @param values the values
     * @return 1-based ranks; tied values get the mean of the ranks they span
     */
    public static double[] averageRanks(double[] values) {
        Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        int i = 0;
        while (i < order.length) {
            int j = i + 1;
            while (j < order.length && values[order[j]] == values[order[i]]) {
                j++;
            }
            double rank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) {
                ranks[order[k]] = rank;
            }
            i = j;
        }
        return ranks;
    }

    private static void check(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("samples of different lengths: " + x.length + " and " + y.length);
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("a correlation needs at least 2 values, got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("value " + i + " is not finite: (" + x[i] + ", " + y[i] + ")");
            }
        }
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double d : v) {
            sum += d;
        }
        return sum / v.length;
    }

    private static boolean isConstant(double[] v) {
        for (double d : v) {
            if (d != v[0]) {
                return false;
            }
        }
        return true;
    }
}
