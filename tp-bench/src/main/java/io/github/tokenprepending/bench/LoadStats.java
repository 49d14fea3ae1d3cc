package io.github.tokenprepending.bench;

import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.djl.DjlLayerwiseModel;

/**
 * How loading the model under test went.
 *
 * @param seconds load time
 * @param peakResidentMb peak resident memory while loading (VmHWM), MB
 * @param residentMb resident memory after loading (VmRSS), MB
 * @param layers decoder layers loaded, -1 when the engine loaded what it needed
 * @param weightsDtype the weights' dtype, empty when as in the checkpoint
 * @param computeDtype the compute dtype
 * @param widenedLayers the leading layers whose 16-bit matrices were kept in float32 ({@code ModelInfo})
 */
public record LoadStats(double seconds, long peakResidentMb, long residentMb, int layers, String weightsDtype,
        String computeDtype, int widenedLayers) {
    /**
     * Measures a load that began with {@link Memory#resetPeaks()} at {@code startNanos}.
     *
     * @param startNanos {@link System#nanoTime()} when loading began
     * @param encoder the loaded encoder
     * @param model its model when the bench built it (a synthetic one), else null
     * @return the load's figures
     */
    public static LoadStats measure(long startNanos, SentenceEncoder encoder, DjlLayerwiseModel model) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new LoadStats(seconds, Memory.peakResidentMb(), Memory.residentMb(),
                model == null ? -1 : model.loadedLayers(), model == null ? "" : model.weightsDtype().toString(),
                encoder.modelInfo().dtype().toString(), encoder.modelInfo().widenedLayers());
    }
}
