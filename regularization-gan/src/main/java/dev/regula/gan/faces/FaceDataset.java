package dev.regula.gan.faces;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Face images with their binary attribute labels, synthetic or real.
 *
 * <p>The tensors are shared, not copied: callers should treat them as read-only.
 *
 * @param images shape {@code [n, 3, s, s]}, RGB in CHW order scaled to {@code [-1, 1]}
 * @param attributes the full attributes of each image, {@code n} entries for synthetic faces; empty
 *     when they are unknown (CelebA)
 * @param labels shape {@code [n, 4]}, 0 or 1, columns in the order of {@link FaceAttributes#BINARY_NAMES}
 */
public record FaceDataset(Tensor images, List<FaceAttributes> attributes, Tensor labels) {

    /** Checks the shapes and copies the attribute list (it must be empty or have one entry per image). */
    public FaceDataset {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        attributes = List.copyOf(Objects.requireNonNull(attributes, "attributes"));
        int[] s = images.shape();
        if (s.length != 4 || s[1] != 3 || s[2] != s[3]) {
            throw new ShapeMismatchException("images must have shape [n, 3, s, s], got " + Arrays.toString(s));
        }
        int k = FaceAttributes.BINARY_NAMES.size();
        if (labels.rank() != 2 || labels.dim(0) != s[0] || labels.dim(1) != k) {
            throw new ShapeMismatchException("labels must have shape [" + s[0] + ", " + k + "] for "
                    + s[0] + " images (columns " + FaceAttributes.BINARY_NAMES + "), got "
                    + Arrays.toString(labels.shape()));
        }
        if (!attributes.isEmpty() && attributes.size() != s[0]) {
            throw new IllegalArgumentException("attributes must be empty or have one entry per image: "
                    + attributes.size() + " attributes for " + s[0] + " images");
        }
    }

    /** @return the number of images, {@code n} */
    public int size() {
        return images.dim(0);
    }

    /** @return the image side {@code s} in pixels */
    public int imageSize() {
        return images.dim(2);
    }

    /**
     * Copies a contiguous range of examples into a new data set.
     *
     * @param from the first example, inclusive, in {@code [0, size()]}
     * @param to the last example, exclusive, in {@code [from, size()]}
     * @return a data set owning copies of the rows
     */
    public FaceDataset subset(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        int n = to - from;
        int s = imageSize();
        int ir = 3 * s * s; // not rowSize(): that is 0 for an empty tensor
        int lr = labels.dim(1);
        Tensor x = Tensor.wrap(Arrays.copyOfRange(images.data(), from * ir, to * ir), n, 3, s, s);
        Tensor y = Tensor.wrap(Arrays.copyOfRange(labels.data(), from * lr, to * lr), n, lr);
        return new FaceDataset(x, attributes.isEmpty() ? List.of() : attributes.subList(from, to), y);
    }

    @Override
    public String toString() {
        return "FaceDataset[n=" + size() + ", imageSize=" + imageSize() + ", attributes="
                + (attributes.isEmpty() ? "none" : "known") + "]";
    }
}
