package io.github.tokenprepending.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the CPU offers for 16-bit compute, read from the {@code flags} line of {@code /proc/cpuinfo} (Linux; other
 * systems report nothing). {@code avx512_bf16} (Intel Cooper Lake and later, AMD Zen 4) and {@code amx_bf16} (Intel
 * Sapphire Rapids) are the instructions oneDNN, libtorch's CPU backend, uses for fast bfloat16 matrix products;
 * without them bfloat16 products are emulated and slower than float32. libtorch has no public query for this, so
 * the flags are read directly.
 */
public final class CpuFeatures {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuFeatures() {
    }

    /** @return the CPU flags, or an empty set where {@code /proc/cpuinfo} is unavailable */
    public static Set<String> flags() {
        try {
            return Files.readAllLines(CPUINFO).stream()
                    .filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))
                            .collect(Collectors.toUnmodifiableSet()))
                    .orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /** @return the fast bfloat16 instructions this CPU has ({@code avx512_bf16}, {@code amx_bf16}), as text */
    public static String bf16Support() {
        Set<String> flags = flags();
        String found = Arrays.stream(new String[] {"avx512_bf16", "amx_bf16"}).filter(flags::contains)
                .collect(Collectors.joining(", "));
        return found.isEmpty() ? "none" : found;
    }

    /** @return whether bfloat16 matrix products run natively (AVX512-BF16 or AMX-BF16) */
    public static boolean fastBf16() {
        return !bf16Support().equals("none");
    }

    /**
     * Whether int8 products must quantize activations to 7 bits instead of 8 ({@code reduce_range} of
     * {@code quantized::linear_dynamic}). FBGEMM's AVX2 kernels add pairs of uint8 x int8 products in 16 bits,
     * which can saturate with full-range activations; its AVX512-VNNI kernels accumulate in 32 bits and need no such
     * margin. Where the flags are unknown the safe answer, true, is given.
     *
     * @return whether to reduce the activations' range
     */
    public static boolean int8ReduceRange() {
        return !flags().contains("avx512_vnni");
    }
}
