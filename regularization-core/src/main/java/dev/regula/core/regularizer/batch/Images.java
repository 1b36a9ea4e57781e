package dev.regula.core.regularizer.batch;

import dev.regula.api.UnsupportedShapeException;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * The image layout of a batch: C planes of H × W values per example, channels first.
 *
 * <p>The {@code image} key of the image regularizers says how to read an example: {@code auto}
 * (the default) takes the last two dimensions of examples of rank ≥ 2 as H and W (leading ones
 * as channels) and reads a flat example of n values as one square √n × √n plane, as the flattened
 * 28 × 28 Fashion-MNIST images are; {@code HxW} or {@code CxHxW} states the layout.
 *
 * @param batch examples
 * @param channels planes per example
 * @param height rows
 * @param width columns
 */
record Images(int batch, int channels, int height, int width) {
    /** The {@code image} key. */
    static SpecKey key() {
        return SpecKey.text("image", "auto",
                "example layout: auto (last two dims, or a square plane for flat examples), HxW or CxHxW");
    }

    /**
     * @param who the regularizer, for messages
     * @param text {@code auto}, {@code HxW} or {@code CxHxW}
     * @return {C, H, W}, or null for auto
     * @throws SpecException naming the value and what is allowed
     */
    static int[] parse(String who, String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("auto")) return null;
        String[] parts = t.split("x", -1);
        int[] d = new int[parts.length];
        boolean ok = parts.length == 2 || parts.length == 3;
        for (int i = 0; ok && i < parts.length; i++) {
            ok = parts[i].matches("\\d{1,5}") && (d[i] = Integer.parseInt(parts[i])) >= 1;
        }
        if (!ok) {
            throw new SpecException("regularizer '" + who + "': image=" + text
                    + " is not a layout; allowed: auto, HxW or CxHxW with whole numbers >= 1, e.g. image=28x28");
        }
        return parts.length == 2 ? new int[] {1, d[0], d[1]} : d;
    }

    /**
     * @param who the regularizer, for the message
     * @param features the batch
     * @param declared {C, H, W} from {@link #parse}, or null for auto
     * @return its layout
     * @throws UnsupportedShapeException if the examples do not have that layout, or (auto) are flat
     *     and not square
     */
    static Images of(String who, Tensor features, int[] declared) {
        int[] s = features.shape();
        int n = features.rowSize();
        if (declared != null) {
            if (declared[0] * declared[1] * declared[2] != n) {
                throw new UnsupportedShapeException(who + ": image=" + declared[0] + "x" + declared[1] + "x" + declared[2]
                        + " has " + declared[0] * declared[1] * declared[2] + " values but the examples have " + n
                        + " (batch shape " + Arrays.toString(s) + ")");
            }
            return new Images(s[0], declared[0], declared[1], declared[2]);
        }
        if (s.length >= 3) {
            int h = s[s.length - 2];
            int w = s[s.length - 1];
            return new Images(s[0], n / (h * w), h, w);
        }
        int side = (int) Math.round(Math.sqrt(n));
        if (s.length != 2 || side * side != n) {
            throw new UnsupportedShapeException(who + ": needs image examples; batch shape " + Arrays.toString(s)
                    + " is neither [batch, (C,) H, W] nor flat square images; give the layout with image=HxW or image=CxHxW");
        }
        return new Images(s[0], 1, side, side);
    }

    /** @return values per plane */
    int plane() {
        return height * width;
    }

    /** @return values per example */
    int example() {
        return channels * plane();
    }
}
