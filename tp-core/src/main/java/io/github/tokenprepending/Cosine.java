package io.github.tokenprepending;

/** Cosine similarity of embeddings, computed in double precision like SentEval's {@code senteval.utils.cosine}. */
public final class Cosine {
    private Cosine() {
    }

    /**
     * {@code dot(u, v) / (sqrt(dot(u, u)) * sqrt(dot(v, v)))}. A zero vector has similarity 0 with everything (SentEval
     * maps the undefined 0/0 to 0 with {@code nan_to_num}).
     *
     * @param u an embedding
     * @param v an embedding of the same dimension
     * @return the cosine similarity
     * @throws IllegalArgumentException if the dimensions differ or a component is not finite
     */
    public static double similarity(float[] u, float[] v) {
        if (u.length != v.length) {
            throw new IllegalArgumentException("embeddings of different dimensions: " + u.length + " and " + v.length);
        }
        double uv = 0;
        double uu = 0;
        double vv = 0;
        for (int i = 0; i < u.length; i++) {
            double a = u[i];
            double b = v[i];
            if (!Double.isFinite(a) || !Double.isFinite(b)) {
                throw new IllegalArgumentException("component " + i + " is not finite: (" + a + ", " + b + ")");
            }
            uv += a * b;
            uu += a * a;
            vv += b * b;
        }
        if (uu == 0 || vv == 0) {
            return 0;
        }
        return uv / (Math.sqrt(uu) * Math.sqrt(vv));
    }
}
