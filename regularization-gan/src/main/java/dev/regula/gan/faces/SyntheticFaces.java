package dev.regula.gan.faces;

import dev.regula.api.kernels.CounterRng;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Procedurally rendered faces whose attributes are known, the stand-in for CelebA when it is not
 * installed.
 *
 * <p>Example {@code i} of seed {@code s} is a pure function of {@code (s, i)} (and the image
 * size): its attributes are drawn by {@link FaceAttributes#random} from a generator seeded with a
 * mix of both, and {@link FaceRenderer} draws them. So a data set is the same on every run and
 * every thread count, and {@code generate(10, size, s)} is a prefix of {@code generate(20, size, s)}.
 */
public final class SyntheticFaces {
    /** The largest number of floats one tensor can hold. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private SyntheticFaces() {}

    /**
     * Draws the attributes of example {@code index} of a seed.
     *
     * @param seed the data set seed
     * @param index the example index, >= 0
     * @return the attributes {@link #generate} renders at that index
     */
    public static FaceAttributes attributes(long seed, long index) {
        if (index < 0) throw new IllegalArgumentException("index must be >= 0, got " + index);
        return FaceAttributes.random(new SplittableRandom(CounterRng.key(seed, CounterRng.stream("synthetic-faces"), index)));
    }

    /**
     * Renders {@code count} faces (in parallel; the result does not depend on the thread count).
     *
     * @param count the number of faces, >= 0
     * @param size the image side, as for {@link FaceRenderer#FaceRenderer(int)}
     * @param seed the data set seed
     * @return images {@code [count, 3, size, size]} in {@code [-1, 1]}, their attributes and labels
     */
    public static FaceDataset generate(int count, int size, long seed) {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        FaceRenderer renderer = new FaceRenderer(size);
        int len = renderer.imageLength();
        if ((long) count * len > MAX_ELEMENTS) {
            throw new IllegalArgumentException(count + " faces of " + size + "x" + size + " need " + (long) count * len
                    + " floats, more than one tensor holds (" + MAX_ELEMENTS + "); generate fewer or smaller faces");
        }
        FaceAttributes[] attrs = new FaceAttributes[count];
        float[] images = new float[count * len];
        int k = FaceAttributes.BINARY_NAMES.size();
        float[] labels = new float[count * k];
        IntStream.range(0, count).parallel().forEach(i -> {
            FaceAttributes a = attributes(seed, i);
            attrs[i] = a;
            renderer.render(a, images, i * len);
            System.arraycopy(a.binaryLabels(), 0, labels, i * k, k);
        });
        return new FaceDataset(Tensor.wrap(images, count, 3, size, size), Arrays.asList(attrs),
                Tensor.wrap(labels, count, k));
    }
}
