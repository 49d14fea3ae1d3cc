package io.github.tokenprepending.djl.checkpoint;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The element types a safetensors header can name, by their header spelling, with their sizes in bytes. */
public enum TensorDtype {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), F8_E8M0(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    I64(8), U64(8), F64(8);

    private final int byteSize;

    TensorDtype(int byteSize) {
        this.byteSize = byteSize;
    }

    /** @return bytes per element */
    public int byteSize() {
        return byteSize;
    }

    /** @return true for F32, F16 and BF16: the weight types {@link Float32Conversion} turns into float32 */
    public boolean isFloat32Convertible() {
        return this == F32 || this == F16 || this == BF16;
    }

    /**
     * @param headerName the name as a safetensors header writes it, e.g. {@code "BF16"}
     * @return the dtype, or empty for a name this reader does not know (including sub-byte types such as F4)
     */
    public static Optional<TensorDtype> fromHeaderName(String headerName) {
        for (TensorDtype d : values()) {
            if (d.name().equals(headerName)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** @return the known header names, comma separated, for error messages */
    static String knownNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
