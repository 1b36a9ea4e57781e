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
 * <p><b>Measured the same way as the baseline.</b> The distribution scores (accuracy, Fréchet, KID,
 * precision, recall) of a generator are taken on one generated image per held-out face, from that
 * face's condition ({@link #heldOutConditions()}): the same number of images with the same
 * conditions as the baseline's real faces, so a generator that draws real faces scores the
 * baseline, up to sampling noise. (Scoring 128 conditions × 8 latents instead, as this class did
 * until 2026-12, puts a generator that draws real faces at 3–4× the baseline's Fréchet distance:
 * 128 draws of the conditions spread less evenly over the attributes than 1,024.) Within-condition
 * diversity needs several images per condition and is taken on a second set, images generated
 * with different latents from shared conditions.
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
    private final Tensor heldOutConditions;

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
        this.heldOutConditions = select(heldOut.labels());
        this.baseline = score(heldOut.images(), heldOutConditions, heldOut.images(), groupsOf(heldOut.labels()));
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
     * @return the held-out faces' conditions [H, K] in the prior's attribute order: generate one image
     *     from each row, in this order, for {@link #score} (a new tensor)
     */
    public Tensor heldOutConditions() {
        return heldOutConditions.copy();
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
     * Scores a generator the way {@link #realBaseline()} scores the held-out faces.
     *
     * @param images one generated image per held-out face, generated from its row of
     *     {@link #heldOutConditions()} (same order), shape [H, 3, S, S]: accuracy, feature error,
     *     Fréchet, KID, precision and recall are taken on these
     * @param conditions the conditions they were generated from: {@link #heldOutConditions()}, row for row
     * @param variants images generated with different latents from shared conditions, [M, 3, S, S]
     *     with the images' S: within-condition diversity is taken on these
     * @param groups M group ids: variants generated from the same condition share one
     * @return the scores
     * @throws ShapeMismatchException if a shape does not fit, or the images are not one per held-out face
     * @throws IllegalArgumentException if the conditions are not the held-out faces' in their order,
     *     or the groups are not one per variant
     */
    public GanScores score(Tensor images, Tensor conditions, Tensor variants, int[] groups) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(conditions, "conditions");
        Objects.requireNonNull(variants, "variants");
        Objects.requireNonNull(groups, "groups");
        int h = heldOutConditions.dim(0);
        if (images.rank() != 4 || images.dim(0) != h || images.dim(1) != 3 || images.dim(2) != images.dim(3)) {
            throw new ShapeMismatchException("scoring needs one image per held-out face, shape [" + h + ", 3, S, S], got "
                    + Arrays.toString(images.shape()));
        }
        int m = h;
        int k = columns.length;
        if (conditions.rank() != 2 || conditions.dim(0) != m || conditions.dim(1) != k) {
            throw new ShapeMismatchException("conditions must have shape [" + m + ", " + k + "], got " + Arrays.toString(conditions.shape()));
        }
        float[] expected = heldOutConditions.data();
        float[] given = conditions.data();
        for (int i = 0; i < m; i++) {
            if (!Arrays.equals(given, i * k, (i + 1) * k, expected, i * k, (i + 1) * k)) {
                // other conditions would not be scored the way the baseline is (see the class comment)
                throw new IllegalArgumentException("conditions must be heldOutConditions(), row for row: row " + i + " is "
                        + Arrays.toString(Arrays.copyOfRange(given, i * k, (i + 1) * k)) + " but held-out face " + i + " has "
                        + Arrays.toString(Arrays.copyOfRange(expected, i * k, (i + 1) * k)));
            }
        }
        int s = images.dim(2);
        if (variants.rank() != 4 || variants.dim(1) != 3 || variants.dim(2) != s || variants.dim(3) != s) {
            throw new ShapeMismatchException("variants must have shape [M, 3, " + s + ", " + s + "] (the images' size), got "
                    + Arrays.toString(variants.shape()));
        }
        if (groups.length != variants.dim(0)) {
            throw new IllegalArgumentException("groups must have one entry per variant (" + variants.dim(0) + "), got " + groups.length);
        }
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
        double diversity = Diversity.withinGroups(pooled(variants), groups);
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

    /**
     * Numbers the distinct rows of a matrix: rows with the same values share a group.
     *
     * @param labels [N, K], e.g. labels or conditions
     * @return N group ids, 0, 1, … in the order each distinct row first appears
     */
    public static int[] groupsOf(Tensor labels) {
        int n = labels.dim(0);
        int k = n == 0 ? 0 : labels.size() / n;
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
