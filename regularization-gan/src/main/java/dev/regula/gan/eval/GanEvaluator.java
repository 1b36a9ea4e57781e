package dev.regula.gan.eval;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.gan.features.FaceFeatures;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Scores generated faces without any pretrained network. Built once from real data: the real
 * images are shuffled (by the seed) and split in two halves. An {@link AttributeClassifier} is
 * trained on the reference half; its standardised embedding of the reference half is the target
 * distribution for the Fréchet and kernel distances. The held-out half gives the real-vs-real
 * baseline: the scores a generator that reproduced unseen real faces would get.
 *
 * <p>Immutable and thread-safe after construction.
 */
public final class GanEvaluator {
    /** Classifier epochs of the four-argument constructor. */
    public static final int DEFAULT_EPOCHS = 15;

    private final FaceFeatures phi;
    private final AttributeClassifier classifier;
    private final FeatureStandardizer standardizer;
    private final float[][] reference;
    private final GanScores baseline;

    /**
     * Same as {@link #GanEvaluator(Tensor, Tensor, FaceFeatures, long, int)} with {@value #DEFAULT_EPOCHS} epochs.
     *
     * @param realImages real faces, shape [N, 3, S, S] in [−1, 1], N ≥ 8
     * @param realLabels their binary attributes, shape [N, K]
     * @param phi the feature extractor of the penalty, for the feature error (its size must be S)
     * @param seed seed of the split and of the classifier
     */
    public GanEvaluator(Tensor realImages, Tensor realLabels, FaceFeatures phi, long seed) {
        this(realImages, realLabels, phi, seed, DEFAULT_EPOCHS);
    }

    /**
     * @param realImages real faces, shape [N, 3, S, S] in [−1, 1], N ≥ 8
     * @param realLabels their binary attributes, shape [N, K]
     * @param phi the feature extractor of the penalty, for the feature error (its size must be S)
     * @param seed seed of the split and of the classifier
     * @param classifierEpochs epochs of classifier training, ≥ 1
     * @throws ShapeMismatchException if the shapes do not fit
     * @throws IllegalArgumentException if there are fewer than 8 real images
     */
    public GanEvaluator(Tensor realImages, Tensor realLabels, FaceFeatures phi, long seed, int classifierEpochs) {
        Objects.requireNonNull(realImages, "realImages");
        Objects.requireNonNull(realLabels, "realLabels");
        this.phi = Objects.requireNonNull(phi, "phi");
        checkImages(realImages, "realImages");
        int n = realImages.dim(0);
        if (n < 8) throw new IllegalArgumentException("the evaluator needs at least 8 real images (two halves of >= 4), got " + n);
        if (realLabels.rank() != 2 || realLabels.dim(0) != n) {
            throw new ShapeMismatchException("realLabels must have shape [" + n + ", K], got " + Arrays.toString(realLabels.shape()));
        }
        int[] order = shuffled(n, seed);
        int half = n / 2;
        Dataset real = new Dataset(realImages, realLabels, 0);
        Dataset ref = real.batch(order, 0, half);
        Dataset held = real.batch(order, half, n);
        this.classifier = AttributeClassifier.train(ref.features(), ref.labels(), classifierEpochs, seed);
        float[][] refEmbedding = classifier.embed(ref.features());
        this.standardizer = FeatureStandardizer.fit(refEmbedding);
        this.reference = standardizer.apply(refEmbedding);
        AttributeClassifier.Evaluation heldOut = classifier.evaluate(held.features(), held.labels());
        float[] acc = heldOut.accuracy();
        float[][] heldEmbedding = standardizer.apply(heldOut.embedding());
        // A real face reproduces its own features exactly, so its feature error is 0.
        this.baseline = new GanScores(0, acc[acc.length - 1], distance(heldEmbedding, true), distance(heldEmbedding, false));
    }

    /** @return the trained evaluation classifier */
    public AttributeClassifier classifier() {
        return classifier;
    }

    /**
     * @return the scores of the held-out real half against the reference half: featureError 0,
     *     the classifier's accuracy on unseen real faces (the ceiling for generated ones), and the
     *     Fréchet and kernel distances between two real samples (the floor)
     */
    public GanScores realBaseline() {
        return baseline;
    }

    /**
     * Scores generated images.
     *
     * @param generated generated images, shape [M, 3, S, S], M ≥ 2
     * @param conditionFeatures the condition vectors c given to the generator, shape [M, D]
     * @param conditionLabels the binary attributes of the real faces whose c was used, shape [M, K]
     * @return the scores
     * @throws ShapeMismatchException if a shape does not fit
     */
    public GanScores score(Tensor generated, Tensor conditionFeatures, Tensor conditionLabels) {
        checkImages(generated, "generated");
        int m = generated.dim(0);
        if (m < 2) throw new IllegalArgumentException("scoring needs at least 2 generated images, got " + m);
        if (conditionFeatures.rank() != 2 || conditionFeatures.dim(0) != m || conditionFeatures.dim(1) != phi.dimension()) {
            throw new ShapeMismatchException("conditionFeatures must have shape [" + m + ", " + phi.dimension() + "], got "
                    + Arrays.toString(conditionFeatures.shape()));
        }
        double error = featureError(phi.extract(generated), conditionFeatures);
        AttributeClassifier.Evaluation e = classifier.evaluate(generated, conditionLabels);
        float[] acc = e.accuracy();
        float[][] emb = standardizer.apply(e.embedding());
        return new GanScores(error, acc[acc.length - 1], distance(emb, true), distance(emb, false));
    }

    /**
     * The feature error of generated images: how far φ of each image is from the condition it was
     * generated from.
     *
     * @param features φ of the generated images, shape [N, D], N ≥ 1
     * @param condition the conditions, shape [N, D]
     * @return the mean over rows of ‖features − condition‖ (Euclidean)
     */
    public static double featureError(Tensor features, Tensor condition) {
        int n = features.dim(0);
        int d = features.dim(1);
        float[] f = features.data();
        float[] c = condition.data();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = i * d; k < (i + 1) * d; k++) {
                double diff = (double) f[k] - c[k];
                s += diff * diff;
            }
            total += Math.sqrt(s);
        }
        return total / n;
    }

    private double distance(float[][] x, boolean frechet) {
        if (standardizer.keptDimension() == 0) return 0; // every real embedding is constant: nothing to compare
        return frechet ? FrechetDistance.between(x, reference) : KernelDistance.between(x, reference);
    }

    private void checkImages(Tensor images, String what) {
        Objects.requireNonNull(images, what);
        int s = phi.imageSize();
        if (images.rank() != 4 || images.dim(1) != 3 || images.dim(2) != s || images.dim(3) != s) {
            throw new ShapeMismatchException(what + " must have shape [N, 3, " + s + ", " + s + "] (the size of phi), got "
                    + Arrays.toString(images.shape()));
        }
    }

    private static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
