package dev.regula.gan.celeba;

/** Centre crop and area-averaging resize of packed RGB pixels (package-private helper). */
final class Resampler {
    private Resampler() {}

    /**
     * Crops the centred square of side {@code fraction·min(w, h)} and resizes it to
     * {@code size×size} by area averaging, writing CHW values in {@code [-1, 1]}.
     *
     * @param argb packed pixels, row-major, {@code w·h} entries (alpha ignored)
     * @param w the source width
     * @param h the source height
     * @param fraction the crop side as a fraction of the shorter side, in {@code (0, 1]}
     * @param size the output side
     * @param out the destination
     * @param offset the index of the first red value in {@code out}
     */
    static void cropResize(int[] argb, int w, int h, double fraction, int size, float[] out, int offset) {
        double side = fraction * Math.min(w, h);
        double x0 = (w - side) / 2;
        double y0 = (h - side) / 2;
        Weights wx = Weights.of(x0, side, size, w);
        Weights wy = Weights.of(y0, side, size, h);
        int plane = size * size;
        double[] acc = new double[3];
        for (int oy = 0; oy < size; oy++) {
            for (int ox = 0; ox < size; ox++) {
                acc[0] = acc[1] = acc[2] = 0;
                double total = 0;
                for (int a = 0; a < wy.count[oy]; a++) {
                    int sy = wy.first[oy] + a;
                    double fy = wy.weight[oy][a];
                    for (int b = 0; b < wx.count[ox]; b++) {
                        double f = fy * wx.weight[ox][b];
                        int p = argb[sy * w + wx.first[ox] + b];
                        acc[0] += f * ((p >> 16) & 0xFF);
                        acc[1] += f * ((p >> 8) & 0xFF);
                        acc[2] += f * (p & 0xFF);
                        total += f;
                    }
                }
                int i = offset + oy * size + ox;
                for (int c = 0; c < 3; c++) out[i + c * plane] = (float) (acc[c] / total / 127.5 - 1);
            }
        }
    }

    /** For each output index: the first source pixel it overlaps and the overlap lengths. */
    private record Weights(int[] first, int[] count, double[][] weight) {
        static Weights of(double start, double side, int size, int limit) {
            int[] first = new int[size];
            int[] count = new int[size];
            double[][] weight = new double[size][];
            double step = side / size;
            for (int o = 0; o < size; o++) {
                double lo = start + o * step;
                double hi = lo + step;
                int a = Math.max(0, (int) Math.floor(lo));
                int b = Math.min(limit - 1, Math.max(a, (int) Math.ceil(hi) - 1));
                first[o] = a;
                count[o] = b - a + 1;
                weight[o] = new double[count[o]];
                double sum = 0;
                for (int s = a; s <= b; s++) {
                    double overlap = Math.max(0, Math.min(hi, s + 1) - Math.max(lo, s));
                    weight[o][s - a] = overlap;
                    sum += overlap;
                }
                if (sum <= 0) java.util.Arrays.fill(weight[o], 1); // degenerate: fall back to nearest pixels
            }
            return new Weights(first, count, weight);
        }
    }
}
