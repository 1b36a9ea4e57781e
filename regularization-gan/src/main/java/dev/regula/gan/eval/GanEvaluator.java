package dev.regula.gan.eval;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.faces.FaceAttributes;
import dev.regula.gan.faces.FaceDataset;
import dev.regula.gan.features.AttributeProbe;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores generated faces without any pretrained network, fairly: three disjoint sets of real faces
 * play three roles.
 * <ul>
 *   <li>the <b>classifier set</b> trains the independent {@link AttributeClassifier} (an MLP on
 *       pixels, a different model from the penalty's probe φ);</li>
 *   <li>the <b>reference set</b> is the target distribution: its standardised classifier embedding
 *       is what Fréchet distance, KID, precision and recall compare with;</li>
 *   <li>the <b>held-out set</b>, whose labels are the conditions the generator is evaluated on, gives
 *       the real-vs-real baseline: the scores of real faces the generator never saw.</li>
 * </ul>
 * Generated faces are scored on conditions of the held-out set only, so no generated face is
 * asked to reproduce a face of the classifier or reference sets.
 *
 * <p>Immutable and thread-safe after construction.
 */
public final class GanEvaluator {
    /** Classifier epochs unless configured otherwise. */
    public static final int DEFAULT_EPOCHS = 15;
    /** Side of the pooled view in which diversity is measured. */
    public static final int DIVERSITY_VIEW = 8;

    private final List<String> attributes;
    private final int[] columns;
    private final AttributeProbe probe;
    private final AttributeClassifier classifier;
    private final FeatureStandardizer standardizer;
    private final float[][] reference;
    private final GanScores baseline;

    /**
     * @param classifierSet real faces that train the evaluation classifier (≥ 8)
     * @param referenceSet real faces of the target distribution (≥ 8), disjoint from the others
     * @param heldOut real faces whose labels are the evaluation conditions (≥ 8), disjoint from the others
     * @param attributes the prior's attributes (names of {@link FaceAttributes#BINARY_NAMES}), in c's order
     * @param probe the prior's probe φ, for the feature error (its names must be {@code attributes}), or
     *     null to report NaN
     * @param seed seed of the classifier
     * @param classifierEpochs epochs of classifier training, ≥ 1
     * @throws IllegalArgumentException if a set is too small or an attribute unknown
     */
    public GanEvaluator(FaceDataset classifierSet, FaceDataset referenceSet, FaceDataset heldOut, List<String> attributes,
                        AttributeProbe probe, long seed, int classifierEpochs) {
        for (FaceDataset d : List.of(classifierSet, referenceSet, heldOut)) {
            if (d.size() < 8) throw new IllegalArgumentException("every evaluation set needs at least 8 faces, got " + d.size());
        }
        this.attributes = List.copyOf(attributes);
        this.columns = attributes.stream().mapToInt(FaceAttributes.BINARY_NAMES::indexOf).toArray();
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] < 0) throw new IllegalArgumentException("unknown attribute '" + attributes.get(i) + "'");
        }
        if (probe != null && !probe.names().equals(this.attributes)) {
            throw new IllegalArgumentException("the probe reads " + probe.names() + " but the prior is " + attributes);
        }
        this.probe = probe;
        this.classifier = AttributeClassifier.train(classifierSet.images(), classifierSet.labels(), classifierEpochs, seed);
        float[][] refEmbedding = classifier.embed(referenceSet.images());
        this.standardizer = FeatureStandardizer.fit(refEmbedding);
        this.reference = standardizer.apply(refEmbedding);
        this.baseline = score(heldOut.images(), select(heldOut.labels()), groupsOf(heldOut.labels()));
    }

    /** @return the trained evaluation classifier */
    public AttributeClassifier classifier() {
        return classifier;
    }

    /** @return the prior's attributes, in the order of the conditions and of {@link GanScores#attributeAccuracy()} */
    public List<String> attributes() {
        return attributes;
    }

    /**
     * @return the scores of the held-out real faces: the classifier's accuracy on unseen real faces
     *     (the ceiling for generated ones), the distances between two real samples (the floor), and
     *     the diversity of real faces that share all four labels
     */
    public GanScores realBaseline() {
        return baseline;
    }

    /**
     * @param labels [N, 4] binary labels
     * @return [N, K] the prior's columns
     */
    public Tensor select(Tensor labels) {
        int all = FaceAttributes.BINARY_NAMES.size();
        if (labels.rank() != 2 || labels.dim(1) != all) {
            throw new ShapeMismatchException("labels must have shape [N, " + all + "], got " + Arrays.toString(labels.shape()));
        }
        int n = labels.dim(0);
        float[] out = new float[n * columns.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < columns.length; j++) out[i * columns.length + j] = labels.data()[i * all + columns[j]];
        }
        return Tensor.wrap(out, n, columns.length);
    }

    /**
     * Scores images.
     *
     * @param images images, shape [M, 3, S, S], M ≥ 8
     * @param conditions the conditions they were generated from, [M, K] in the prior's attribute order
     * @param groups M group ids: images generated from the same condition (with different z) share one
     * @return the scores
     * @throws ShapeMismatchException if a shape does not fit
     */
    public GanScores score(Tensor images, Tensor conditions, int[] groups) {
        Objects.requireNonNull(images, "images");
        int m = images.dim(0);
        if (images.rank() != 4 || images.dim(1) != 3 || m < 8) {
            throw new ShapeMismatchException("scoring needs images of shape [M >= 8, 3, S, S], got " + Arrays.toString(images.shape()));
        }
        int k = columns.length;
        if (conditions.rank() != 2 || conditions.dim(0) != m || conditions.dim(1) != k) {
            throw new ShapeMismatchException("conditions must have shape [" + m + ", " + k + "], got " + Arrays.toString(conditions.shape()));
        }
        if (groups.length != m) throw new IllegalArgumentException("groups must have " + m + " entries, got " + groups.length);
        Tensor predicted = classifier.predict(images);
        int all = predicted.dim(1);
        double[] acc = new double[k];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                boolean p = predicted.data()[i * all + columns[j]] > 0.5f;
                boolean t = conditions.data()[i * k + j] > 0.5f;
                if (p == t) acc[j]++;
            }
        }
        double mean = 0;
        for (int j = 0; j < k; j++) {
            acc[j] /= m;
            mean += acc[j] / k;
        }
        float[][] emb = standardizer.apply(classifier.embed(images));
        boolean flat = standardizer.keptDimension() == 0;
        double frechet = flat ? 0 : FrechetDistance.between(emb, reference);
        double kid = flat ? 0 : KernelDistance.between(emb, reference);
        PrecisionRecall.Result pr = flat ? new PrecisionRecall.Result(1, 1) : PrecisionRecall.between(reference, emb);
        double diversity = Diversity.withinGroups(pooled(images), groups);
        double error = probe == null ? Double.NaN : featureError(probe.extract(images), conditions);
        return new GanScores(error, acc, mean, frechet, kid, pr.precision(), pr.recall(), diversity);
    }

    /**
     * The mean over rows of ‖features − condition‖ (Euclidean).
     *
     * @param features [N, D], N ≥ 1
     * @param condition [N, D]
     * @return the mean distance
     */
    public static double featureError(Tensor features, Tensor condition) {
        int n = features.dim(0);
        int d = features.dim(1);
        float[] f = features.data();
        float[] c = condition.data();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int q = i * d; q < (i + 1) * d; q++) {
                double diff = (double) f[q] - c[q];
                s += diff * diff;
            }
            total += Math.sqrt(s);
        }
        return total / n;
    }

    /** One group per distinct label row (all four labels). */
    private static int[] groupsOf(Tensor labels) {
        int n = labels.dim(0);
        int k = labels.dim(1);
        Map<String, Integer> ids = new HashMap<>();
        int[] g = new int[n];
        for (int i = 0; i < n; i++) {
            String key = Arrays.toString(Arrays.copyOfRange(labels.data(), i * k, (i + 1) * k));
            g[i] = ids.computeIfAbsent(key, x -> ids.size());
        }
        return g;
    }

    /** Each image average-pooled to {@value #DIVERSITY_VIEW}×{@value #DIVERSITY_VIEW} per channel. */
    static float[][] pooled(Tensor images) {
        int n = images.dim(0);
        int s = images.dim(2);
        int v = DIVERSITY_VIEW;
        int f = Math.max(1, s / v);
        int side = s / f;
        float[][] out = new float[n][3 * side * side];
        float[] x = images.data();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < side * f; y++) {
                    for (int xx = 0; xx < side * f; xx++) {
                        out[i][c * side * side + (y / f) * side + xx / f] += x[((i * 3 + c) * s + y) * s + xx] / (float) (f * f);
                    }
                }
            }
        }
        return out;
    }
}
