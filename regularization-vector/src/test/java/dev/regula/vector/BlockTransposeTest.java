package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockTranspose} against its definition, at offsets and strides that are not multiples of
 * the vector width, leaving everything outside the written rows alone. Runs at the width of each
 * test execution (512-bit and 256-bit in CI).
 */
class BlockTransposeTest {
    @Test
    void transposesOneBlockAndWritesNothingElse() {
        // the test class itself needs the incubator module; the other executions skip it
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "jdk.incubator.vector not resolved");
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        assumeTrue(BlockTranspose.supported(), "no block transpose for " + lanes + " lanes (the GEMM gathers)");
        int ld = 3 * lanes + 5;
        int srcOff = 7;
        float[] src = new float[srcOff + lanes * ld];
        for (int i = 0; i < src.length; i++) src[i] = i * 0.5f - 100f;
        int dstStride = 2 * lanes + 3;
        int dstOff = 11;
        float[] dst = new float[dstOff + lanes * dstStride + 4];
        Arrays.fill(dst, Float.NaN);
        BlockTranspose.transpose(src, srcOff, ld, dst, dstOff, dstStride);
        for (int k = 0; k < dst.length; k++) {
            int rel = k - dstOff;
            int j = Math.floorDiv(rel, dstStride);
            int i = Math.floorMod(rel, dstStride);
            if (rel >= 0 && j < lanes && i < lanes) {
                assertEquals(src[srcOff + i * ld + j], dst[k], "dst row " + j + " lane " + i);
            } else {
                assertEquals(Float.floatToRawIntBits(Float.NaN), Float.floatToRawIntBits(dst[k]), "untouched at " + k);
            }
        }
    }
}
