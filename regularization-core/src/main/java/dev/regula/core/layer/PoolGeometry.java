package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * The window geometry shared by {@link MaxPool2d} and {@link AvgPool2d}: a square kernel moved by
 * a stride over each channel of an NCHW batch without padding, so OH = (H − kernel)/stride + 1
 * (rounded down, as PyTorch's default {@code ceil_mode=False}) and OW likewise.
 */
record PoolGeometry(String layer, int kernel, int stride) {
    /** Largest accepted kernel or stride. */
    static final int MAX = 1 << 12;

    PoolGeometry {
        Shapes.checkName(layer);
        if (kernel < 1 || kernel > MAX) {
            throw new IllegalArgumentException("layer '" + layer + "': pooling kernel must be in [1, " + MAX + "], got " + kernel);
        }
        if (stride < 1 || stride > MAX) {
            throw new IllegalArgumentException("layer '" + layer + "': pooling stride must be in [1, " + MAX + "], got " + stride);
        }
    }

    /**
     * @param example [C, H, W]
     * @return [C, OH, OW]
     * @throws ShapeMismatchException if the shape is not of rank 3 or the image is smaller than the kernel
     */
    int[] outputShape(int[] example) {
        if (example.length != 3) {
            throw new ShapeMismatchException("layer '" + layer + "': expects examples of shape [C, H, W], got "
                    + Arrays.toString(example));
        }
        if (example[1] < kernel || example[2] < kernel) {
            throw new ShapeMismatchException("layer '" + layer + "': examples of shape " + Arrays.toString(example)
                    + " are smaller than the pooling kernel " + kernel + "; height and width must be >= kernel");
        }
        return new int[] {example[0], (example[1] - kernel) / stride + 1, (example[2] - kernel) / stride + 1};
    }

    /**
     * @param input a batch [N, C, H, W]
     * @return its shape
     * @throws ShapeMismatchException if the input is not of rank 4 or too small for the kernel
     */
    int[] requireImageBatch(Tensor input) {
        if (input.rank() != 4) {
            throw new ShapeMismatchException("layer '" + layer + "': expects NCHW input of rank 4, got shape "
                    + Arrays.toString(input.shape()));
        }
        int[] s = input.shape();
        outputShape(new int[] {s[1], s[2], s[3]});
        return s;
    }
}
