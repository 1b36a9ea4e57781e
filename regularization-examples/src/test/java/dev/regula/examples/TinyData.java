package dev.regula.examples;

import java.util.Locale;
import java.util.SplittableRandom;

/** Tiny data sets for the command-line tests. */
public final class TinyData {
    private TinyData() {
    }

    /**
     * Three well-separated classes in 4 features: class c has mean 2 in feature c, Gaussian noise
     * of standard deviation 0.5, labels cycling 0, 1, 2.
     *
     * @param n examples
     * @param seed seed of the noise
     * @return the examples as CSV with a header row, label in the last column
     */
    public static String blobsCsv(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            for (int d = 0; d < 4; d++) sb.append(String.format(Locale.ROOT, "%.4f,", (d == c ? 2.0 : 0.0) + r.nextGaussian() * 0.5));
            sb.append(c).append('\n');
        }
        return sb.toString();
    }
}
