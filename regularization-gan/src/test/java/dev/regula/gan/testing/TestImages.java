package dev.regula.gan.testing;

import dev.regula.api.tensor.Tensor;
import java.util.SplittableRandom;

/** Small image tensors [N, 3, S, S] in [−1, 1] for the GAN tests (no renderer needed). */
public final class TestImages {
    /** Colours of the corner marks of {@link #labelled}: red, green, blue, yellow. */
    private static final float[][] MARKS = {{1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}, {1, 1, -1}};

    private TestImages() {
    }

    /** @return n images of one solid colour */
    public static Tensor solid(int n, int size, float r, float g, float b) {
        Tensor t = Tensor.zeros(n, 3, size, size);
        float[] d = t.data();
        int plane = size * size;
        float[] c = {r, g, b};
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < 3; ch++) java.util.Arrays.fill(d, (i * 3 + ch) * plane, (i * 3 + ch + 1) * plane, c[ch]);
        }
        return t;
    }

    /** @return n images of smooth colour gradients plus noise, values inside (−1, 1) */
    public static Tensor random(long seed, int n, int size) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(n, 3, size, size);
        float[] d = t.data();
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < 3; ch++) {
                double a = r.nextDouble(-0.5, 0.5);
                double bx = r.nextDouble(-0.4, 0.4);
                double by = r.nextDouble(-0.4, 0.4);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double v = a + bx * x / size + by * y / size + r.nextDouble(-0.3, 0.3);
                        d[((i * 3 + ch) * size + y) * size + x] = (float) v;
                    }
                }
            }
        }
        return t;
    }

    /**
     * Images whose four binary labels are visible: a noisy grey background and, for each label
     * that is 1, a coloured square (red, green, blue, yellow) in one corner.
     *
     * @param seed seed of labels and noise
     * @param n number of images
     * @param size image side
     * @return {images [n, 3, size, size], labels [n, 4]}
     */
    public static Tensor[] labelled(long seed, int n, int size) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor images = Tensor.zeros(n, 3, size, size);
        Tensor labels = Tensor.zeros(n, 4);
        float[] d = images.data();
        int box = Math.max(2, size / 4);
        for (int i = 0; i < n; i++) {
            float grey = (float) r.nextDouble(-0.3, 0.3);
            for (int k = 0; k < 3 * size * size; k++) d[i * 3 * size * size + k] = grey + (float) r.nextDouble(-0.2, 0.2);
            for (int a = 0; a < 4; a++) {
                boolean on = r.nextBoolean();
                labels.set(i, a, on ? 1 : 0);
                if (!on) continue;
                int y0 = a < 2 ? 0 : size - box;
                int x0 = a % 2 == 0 ? 0 : size - box;
                for (int ch = 0; ch < 3; ch++) {
                    for (int y = y0; y < y0 + box; y++) {
                        for (int x = x0; x < x0 + box; x++) d[((i * 3 + ch) * size + y) * size + x] = MARKS[a][ch] * 0.9f;
                    }
                }
            }
        }
        return new Tensor[] {images, labels};
    }

    /** @return a random tensor with values uniform in [−scale, scale] */
    public static Tensor uniform(long seed, float scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextDouble(-scale, scale);
        return t;
    }
}
