package io.github.tokenprepending.djl.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Widening of F16 and BF16 (and copying of F32) into float32, for engines that cannot hold the narrow types on
 * the host. Works on buffers so a huge tensor can be converted chunk by chunk into a reused direct buffer.
 */
public final class Float32Conversion {

    private Float32Conversion() {
    }

    /**
     * @param bits an IEEE 754 binary16 value
     * @return the same value as a float (exact: every half is a float), including subnormals, infinities and NaN
     */
    public static float f16ToF32(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * @param bits a bfloat16 value: the top 16 bits of a float
     * @return the same value as a float
     */
    public static float bf16ToF32(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * Converts every element between {@code src}'s position and limit, read little-endian whatever
     * {@code src.order()} says, and writes them as floats in NATIVE byte order (whatever {@code dst.order()}
     * says) at {@code dst}'s position. Both positions advance past what was read and written.
     *
     * @param src the source elements
     * @param dtype their type: F32, F16 or BF16
     * @param dst where the floats go; a direct buffer can be handed to native code as is
     * @return the number of elements converted
     * @throws IllegalArgumentException for another dtype, a source that is not whole elements, or too little
     *     room in {@code dst}
     */
    public static int toF32(ByteBuffer src, TensorDtype dtype, ByteBuffer dst) {
        int count = elementCount(src, dtype);
        if (dst.remaining() / Float.BYTES < count) {
            throw new IllegalArgumentException("destination has room for " + dst.remaining() / Float.BYTES
                    + " floats, " + count + " needed");
        }
        convert(src, dtype, dst.slice().order(ByteOrder.nativeOrder()).asFloatBuffer(), count);
        src.position(src.limit());
        dst.position(dst.position() + count * Float.BYTES);
        return count;
    }

    /**
     * Converts every element between {@code src}'s position and limit, read little-endian whatever
     * {@code src.order()} says, into {@code dst} from {@code offset} on. {@code src}'s position advances to its
     * limit.
     *
     * @param src the source elements
     * @param dtype their type: F32, F16 or BF16
     * @param dst where the floats go
     * @param offset first index of {@code dst} written
     * @return the number of elements converted
     * @throws IllegalArgumentException for another dtype or a source that is not whole elements
     * @throws IndexOutOfBoundsException if {@code dst} has too little room from {@code offset} on
     */
    public static int toF32(ByteBuffer src, TensorDtype dtype, float[] dst, int offset) {
        int count = elementCount(src, dtype);
        convert(src, dtype, FloatBuffer.wrap(dst, offset, count).slice(), count);
        src.position(src.limit());
        return count;
    }

    private static int elementCount(ByteBuffer src, TensorDtype dtype) {
        if (!dtype.isFloat32Convertible()) {
            throw new IllegalArgumentException("cannot convert " + dtype + " to F32 (only F32, F16, BF16)");
        }
        if (src.remaining() % dtype.byteSize() != 0) {
            throw new IllegalArgumentException(src.remaining() + " source bytes are not whole " + dtype
                    + " elements");
        }
        return src.remaining() / dtype.byteSize();
    }

    private static void convert(ByteBuffer src, TensorDtype dtype, FloatBuffer out, int count) {
        ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == TensorDtype.F32) {
            out.put(in.asFloatBuffer());
            return;
        }
        ShortBuffer halves = in.asShortBuffer();
        boolean bf16 = dtype == TensorDtype.BF16;
        for (int i = 0; i < count; i++) {
            short h = halves.get(i);
            out.put(i, bf16 ? bf16ToF32(h) : f16ToF32(h));
        }
    }
}
