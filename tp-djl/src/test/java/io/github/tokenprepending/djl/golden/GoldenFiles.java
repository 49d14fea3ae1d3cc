package io.github.tokenprepending.djl.golden;

import java.io.IOException;
import java.nio.file.Path;

/** Reading golden arrays from tests in other packages. */
public final class GoldenFiles {
    private GoldenFiles() {
    }

    /**
     * @param file a {@code last_token.npy} [L+1, B, H]
     * @return its values as {@code [k][row][h]}
     * @throws IOException if the file is not float32 .npy
     */
    public static float[][][] lastToken(Path file) throws IOException {
        Npy npy = Npy.read(file);
        long[] s = npy.shape();
        float[][][] out = new float[(int) s[0]][(int) s[1]][];
        for (int k = 0; k < s[0]; k++) {
            for (int r = 0; r < s[1]; r++) {
                out[k][r] = npy.vector(k, r);
            }
        }
        return out;
    }
}
