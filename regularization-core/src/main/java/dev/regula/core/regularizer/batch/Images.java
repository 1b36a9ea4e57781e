package dev.regula.core.regularizer.batch;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * The image layout of a batch: [batch, H, W] or [batch, C, H, W] (channels first; any leading
 * example dimensions count as channels), the last two dimensions being height and width.
 *
 * @param batch examples
 * @param channels planes per example
 * @param height rows
 * @param width columns
 */
record Images(int batch, int channels, int height, int width) {
    /**
     * @param who the regularizer, for the message
     * @param features the batch
     * @return its layout
     * @throws ShapeMismatchException if the examples are not images (rank below 2)
     */
    static Images of(String who, Tensor features) {
        int[] s = features.shape();
        if (s.length < 3) {
            throw new ShapeMismatchException(who + ": needs image examples [H, W] or [C, H, W], got batch shape "
                    + Arrays.toString(s) + "; it does not apply to flat feature vectors");
        }
        int h = s[s.length - 2];
        int w = s[s.length - 1];
        return new Images(s[0], features.rowSize() / (h * w), h, w);
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
