package io.github.tokenprepending.djl.checkpoint;

import static io.github.tokenprepending.djl.checkpoint.Float32Conversion.bf16ToF32;
import static io.github.tokenprepending.djl.checkpoint.Float32Conversion.f16ToF32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Expected values are IEEE 754 facts about the bit patterns, worked out by hand. */
class Float32ConversionTest {

    @Test
    void halfPrecisionKnownPatterns() {
        assertThat(f16ToF32((short) 0x3C00)).isEqualTo(1.0f);
        assertThat(f16ToF32((short) 0xC000)).isEqualTo(-2.0f);
        assertThat(f16ToF32((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(f16ToF32((short) 0x7BFF)).isEqualTo(65504.0f);
        assertThat(f16ToF32((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(f16ToF32((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(f16ToF32((short) 0x03FF)).isEqualTo(1023 * 0x1p-24f);
        assertThat(f16ToF32((short) 0x8001)).isEqualTo(-0x1p-24f);
        assertThat(f16ToF32((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(f16ToF32((short) 0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(f16ToF32((short) 0x7E00)).isNaN();
        assertThat(f16ToF32((short) 0xFC01)).isNaN();
        assertThat(Float.floatToRawIntBits(f16ToF32((short) 0x0000))).isEqualTo(0x0000_0000);
        assertThat(Float.floatToRawIntBits(f16ToF32((short) 0x8000))).isEqualTo(0x8000_0000);
    }

    @Test
    void everyHalfRoundTripsThroughFloat() {
        for (int h = 0; h < 0x10000; h++) {
            float f = f16ToF32((short) h);
            if (Float.isNaN(f)) {
                assertThat(h & 0x7C00).isEqualTo(0x7C00);
                assertThat(h & 0x03FF).isNotZero();
                continue;
            }
            // independent re-encoding: exact value = (-1)^s * 2^(e-15) * (1 + m/1024), or 2^-14 * m/1024
            int s = h >>> 15;
            int e = (h >>> 10) & 0x1F;
            int m = h & 0x3FF;
            double expected = e == 0x1F ? Double.POSITIVE_INFINITY
                    : e == 0 ? Math.scalb((double) m, -24) : Math.scalb(1024.0 + m, e - 25);
            assertThat((double) f).as("0x%04x", h).isEqualTo(s == 1 ? -expected : expected);
        }
    }

    @Test
    void bfloat16KnownPatterns() {
        assertThat(bf16ToF32((short) 0x3F80)).isEqualTo(1.0f);
        assertThat(bf16ToF32((short) 0xC049)).isEqualTo(-3.140625f);
        assertThat(bf16ToF32((short) 0x7F7F)).isEqualTo(Float.intBitsToFloat(0x7F7F_0000));
        assertThat(bf16ToF32((short) 0x0001)).isEqualTo(Float.intBitsToFloat(0x0001_0000));
        assertThat(bf16ToF32((short) 0xFF80)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(bf16ToF32((short) 0x7FC0)).isNaN();
        assertThat(Float.floatToRawIntBits(bf16ToF32((short) 0x8000))).isEqualTo(0x8000_0000);
    }

    @Test
    void bufferConversionWritesNativeOrderWhateverTheBufferSays() {
        ByteBuffer src = ByteBuffer.wrap(new byte[] {0x00, 0x3C, (byte) 0xFF, 0x7B, 0x00, (byte) 0xC0})
                .order(ByteOrder.BIG_ENDIAN);
        ByteBuffer dst = ByteBuffer.allocateDirect(4 + 12).order(ByteOrder.BIG_ENDIAN);
        dst.position(4);
        assertThat(Float32Conversion.toF32(src, TensorDtype.F16, dst)).isEqualTo(3);
        assertThat(src.hasRemaining()).isFalse();
        assertThat(dst.position()).isEqualTo(16);
        dst.order(ByteOrder.nativeOrder());
        assertThat(new float[] {dst.getFloat(4), dst.getFloat(8), dst.getFloat(12)})
                .containsExactly(1.0f, 65504.0f, -2.0f);
    }

    @Test
    void bufferConversionOfBf16AndF32() {
        ByteBuffer bf16 = ByteBuffer.wrap(new byte[] {(byte) 0x80, 0x3F, 0x49, (byte) 0xC0});
        float[] widened = new float[2];
        assertThat(Float32Conversion.toF32(bf16, TensorDtype.BF16, widened, 0)).isEqualTo(2);
        assertThat(widened).containsExactly(1.0f, -3.140625f);
        assertThat(bf16.hasRemaining()).isFalse();
        ByteBuffer f32 = ByteBuffer.wrap(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0});
        float[] out = new float[3];
        assertThat(Float32Conversion.toF32(f32, TensorDtype.F32, out, 1)).isEqualTo(2);
        assertThat(out).containsExactly(0f, 1.0f, -2.5f);
    }

    @Test
    void rejectsOtherDtypesPartialElementsAndSmallDestinations() {
        ByteBuffer three = ByteBuffer.allocate(3);
        assertThatThrownBy(() -> Float32Conversion.toF32(three, TensorDtype.F16, new float[2], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not whole F16 elements");
        assertThatThrownBy(() -> Float32Conversion.toF32(ByteBuffer.allocate(8), TensorDtype.I64, new float[1], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot convert I64");
        assertThatThrownBy(() -> Float32Conversion.toF32(ByteBuffer.allocate(8), TensorDtype.BF16,
                ByteBuffer.allocateDirect(12))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("room for 3 floats, 4 needed");
        assertThatThrownBy(() -> Float32Conversion.toF32(ByteBuffer.allocate(8), TensorDtype.F32, new float[3], 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
