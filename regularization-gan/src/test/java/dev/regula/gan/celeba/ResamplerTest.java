package dev.regula.gan.celeba;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ResamplerTest {
    /** Grey pixels: red = green = blue = v. */
    private static int[] grey(int... v) {
        int[] p = new int[v.length];
        for (int i = 0; i < v.length; i++) p[i] = 0xFF000000 | v[i] << 16 | v[i] << 8 | v[i];
        return p;
    }

    private static float scaled(double byteValue) {
        return (float) (byteValue / 127.5 - 1);
    }

    @Test
    void halvingAveragesTwoByTwoBlocks() {
        int[] img = grey(
                0, 10, 100, 100,
                20, 30, 100, 100,
                255, 255, 0, 0,
                255, 255, 0, 4);
        float[] out = new float[3 * 4];
        Resampler.cropResize(img, 4, 4, 1.0, 2, out, 0);
        float[] expected = {scaled(15), scaled(100), scaled(255), scaled(1)};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) assertEquals(expected[i], out[c * 4 + i], 1e-6, "channel " + c + " pixel " + i);
        }
    }

    @Test
    void cropsTheCentredSquareOfATallImage() {
        // 2 wide, 4 tall: the centred 2x2 square is rows 1 and 2
        int[] img = grey(
                9, 9,
                1, 2,
                3, 4,
                9, 9);
        float[] out = new float[3 * 4 + 1];
        Resampler.cropResize(img, 2, 4, 1.0, 2, out, 1);
        assertEquals(0f, out[0]);
        assertEquals(scaled(1), out[1], 1e-6);
        assertEquals(scaled(2), out[2], 1e-6);
        assertEquals(scaled(3), out[3], 1e-6);
        assertEquals(scaled(4), out[4], 1e-6);
    }

    @Test
    void weighsFractionalPixelsByOverlap() {
        // 3x3 to 2x2: output (0, 0) covers [0, 1.5) x [0, 1.5)
        int[] img = grey(
                0, 90, 0,
                30, 120, 0,
                0, 0, 0);
        float[] out = new float[12];
        Resampler.cropResize(img, 3, 3, 1.0, 2, out, 0);
        double expected = (0 * 1 + 90 * 0.5 + 30 * 0.5 + 120 * 0.25) / 2.25;
        assertEquals(scaled(expected), out[0], 1e-6);
    }

    @Test
    void keepsColourChannelsApart() {
        int[] img = {0xFF102030, 0xFF102030, 0xFF102030, 0xFF102030};
        float[] out = new float[3];
        Resampler.cropResize(img, 2, 2, 1.0, 1, out, 0);
        assertEquals(scaled(0x10), out[0], 1e-6);
        assertEquals(scaled(0x20), out[1], 1e-6);
        assertEquals(scaled(0x30), out[2], 1e-6);
    }
}
