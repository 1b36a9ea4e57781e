package dev.regula.core.regularizer.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.regularizer.BatchRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RotateTest {
    private static BatchRegularizer create(String spec) {
        return (BatchRegularizer) Regularizers.installed().parse(spec);
    }

    private static StepContext at(long step) {
        return new StepContext(Mode.TRAIN, step, 0, 0.1, 42, new ScalarKernels());
    }

    private static float[] rotated(float[] plane, int h, int w, double degrees, float fill) {
        float[] out = new float[plane.length];
        Rotate.rotate(plane, 0, out, 0, h, w, Math.toRadians(degrees), fill);
        return out;
    }

    @Test
    void rotationByZeroIsTheIdentity() {
        float[] img = GradientCheck.random(1, 1f, 7 * 9).data();
        assertArrayEquals(img, rotated(img, 7, 9, 0, -5f));
        Tensor x = GradientCheck.random(2, 1f, 6, 2, 7, 9);
        Tensor y = x.copy();
        create("rotate(degrees=0)").apply(y, Tensor.zeros(6), at(3));
        assertArrayEquals(x.data(), y.data(), "degrees=0 never changes an image");
    }

    @Test
    void fourQuarterTurnsReturnTheImageAndOneIsTheExactPermutation() {
        for (int n : new int[] {5, 6}) { // odd and even sides: both centres map the grid onto itself
            float[] img = GradientCheck.random(n, 1f, n * n).data();
            float[] r = img;
            for (int i = 0; i < 4; i++) r = rotated(r, n, n, 90, Float.NaN);
            assertArrayEquals(img, r, 1e-6f, "4 x 90 degrees, side " + n);
            float[] quarter = rotated(img, n, n, 90, Float.NaN);
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    // counter-clockwise on screen: the top row's right end goes to the left column's top
                    assertEquals(img[x * n + (n - 1 - y)], quarter[y * n + x], 1e-6f, "(" + y + "," + x + ")");
                }
            }
            float[] minus = rotated(quarter, n, n, -90, Float.NaN);
            assertArrayEquals(img, minus, 1e-6f, "-90 undoes 90");
        }
    }

    @Test
    void aSmallRotationInterpolatesBilinearlyAndFillsTheCorners() {
        // a linear ramp f(y, x) = x is reproduced exactly by bilinear interpolation wherever the source point is inside
        int n = 9;
        float[] ramp = new float[n * n];
        for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) ramp[y * n + x] = x;
        double deg = 10;
        float[] r = rotated(ramp, n, n, deg, -1f);
        double c = (n - 1) / 2.0;
        double t = Math.toRadians(deg);
        int filled = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double sx = Math.cos(t) * (x - c) - Math.sin(t) * (y - c) + c;
                double sy = Math.sin(t) * (x - c) + Math.cos(t) * (y - c) + c;
                boolean inside = sx >= 0 && sx <= n - 1 && sy >= 0 && sy <= n - 1;
                if (inside) assertEquals(sx, r[y * n + x], 1e-5, "(" + y + "," + x + ")");
                else {
                    assertEquals(-1f, r[y * n + x]);
                    filled++;
                }
            }
        }
        assertTrue(filled > 0, "a 10 degree turn brings in corners from outside");
        assertEquals(c, r[(int) c * n + (int) c], 1e-6, "the centre stays");
    }

    @Test
    void anglesAreDeterministicFromTheSeedAndWithinTheBound() {
        Tensor x = GradientCheck.random(5, 1f, 64, 1, 11, 11);
        Tensor a = x.copy();
        Tensor b = x.copy();
        create("rotate(degrees=15)").apply(a, Tensor.zeros(64), at(7));
        create("rotate(degrees=15)").apply(b, Tensor.zeros(64), at(7));
        assertArrayEquals(a.data(), b.data(), "same seed and step, same rotations");
        Tensor c = x.copy();
        create("rotate(degrees=15)").apply(c, Tensor.zeros(64), at(8));
        assertFalse(Arrays.equals(a.data(), c.data()), "another step, other angles");
        // recover each example's angle: compare with rotations by candidate angles in [-15, 15]
        double maxSeen = 0;
        int positive = 0;
        for (int i = 0; i < 64; i++) {
            float[] src = Arrays.copyOfRange(x.data(), i * 121, (i + 1) * 121);
            float[] got = Arrays.copyOfRange(a.data(), i * 121, (i + 1) * 121);
            float min = Float.POSITIVE_INFINITY;
            for (float v : src) min = Math.min(min, v);
            double best = Double.NaN;
            double bestErr = Double.POSITIVE_INFINITY;
            for (int k = -200; k <= 200; k++) {
                double deg = k * 0.1;
                float[] r = rotated(src, 11, 11, deg, min);
                double err = 0;
                for (int j = 0; j < r.length; j++) err += Math.abs(r[j] - got[j]);
                if (err < bestErr) {
                    bestErr = err;
                    best = deg;
                }
            }
            assertTrue(Math.abs(best) <= 15.05, "angle " + best + " beyond degrees=15");
            maxSeen = Math.max(maxSeen, Math.abs(best));
            if (best > 0) positive++;
        }
        assertTrue(maxSeen > 10, "64 uniform angles in [-15, 15] reach beyond 10: " + maxSeen);
        assertTrue(positive > 16 && positive < 48, "both directions: " + positive + " of 64 positive");
    }

    @Test
    void everyChannelTurnsByTheSameAngle() {
        Tensor one = GradientCheck.random(3, 1f, 4, 1, 8, 8);
        Tensor two = Tensor.zeros(4, 2, 8, 8);
        for (int i = 0; i < 4; i++) {
            System.arraycopy(one.data(), i * 64, two.data(), i * 128, 64);
            System.arraycopy(one.data(), i * 64, two.data(), i * 128 + 64, 64);
        }
        create("rotate(degrees=30, fill=zero)").apply(two, Tensor.zeros(4), at(1));
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(Arrays.copyOfRange(two.data(), i * 128, i * 128 + 64), Arrays.copyOfRange(two.data(), i * 128 + 64, i * 128 + 128));
        }
    }

    @Test
    void theAngleBoundIsValidated() {
        for (String bad : new String[] {"rotate(degrees=-1)", "rotate(degrees=181)", "rotate(degrees=NaN)", "rotate(fill=edge)"}) {
            SpecException e = assertThrows(SpecException.class, () -> create(bad), bad);
            assertTrue(e.getMessage().contains(bad.contains("fill") ? "fill" : "degrees"), e.getMessage());
        }
        create("rotate(degrees=180)");
    }
}
