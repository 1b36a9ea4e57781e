package dev.regula.gan.eval;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.layer.Dense;
import dev.regula.core.layer.Flatten;
import dev.regula.core.layer.ReLU;
import dev.regula.core.layer.Sequential;
import dev.regula.core.loss.BinaryCrossEntropyWithLogits;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The evaluation network of the GAN study: a multi-label attribute classifier trained on real
 * images only, independent of the penalty's feature extractor φ (so the generator cannot have
 * been optimised against it). An MLP on the flattened image, 3·S·S → 256 → ReLU → 64 → ReLU → K
 * logits, trained with sigmoid binary cross-entropy by core's {@link Trainer} (Adam, lr 1e-3,
 * batch 32). Its 64-d penultimate activations are the embedding used by the Fréchet and kernel
 * distances.
 *
 * <p>After {@link #train} the classifier only runs EVAL-mode forwards, which change no state: it is
 * immutable and thread-safe.
 */
public final class AttributeClassifier {
    /** Width of the embedding returned by {@link #embed}. */
    public static final int EMBEDDING = 64;

    private static final int HIDDEN = 256;
    private static final int CHUNK = 256;

    private final List<Layer> embedding;
    private final Layer logits;
    private final int[] imageShape;
    private final int attributes;
    private final Kernels kernels;

    private AttributeClassifier(Sequential model, int[] imageShape, int attributes, Kernels kernels) {
        int last = model.layers().size() - 1;
        this.embedding = model.layers().subList(0, last);
        this.logits = model.layers().get(last);
        this.imageShape = imageShape;
        this.attributes = attributes;
        this.kernels = kernels;
    }

    /**
     * Trains a classifier on real images.
     *
     * @param images real images, shape [N, 3, S, S] in [−1, 1], N ≥ 1
     * @param labels their attributes, shape [N, K], each 0 or 1 (values in [0, 1] are allowed as soft labels)
     * @param epochs passes over the data, ≥ 1
     * @param seed seed of the initialisation and the shuffling
     * @return the trained classifier
     * @throws ShapeMismatchException if the shapes do not fit
     * @throws IllegalArgumentException if epochs &lt; 1 or a label is outside [0, 1]
     */
    public static AttributeClassifier train(Tensor images, Tensor labels, int epochs, long seed) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (images.rank() != 4 || images.dim(1) != 3 || images.dim(0) < 1) {
            throw new ShapeMismatchException("attribute classifier: images must have shape [N >= 1, 3, H, W], got "
                    + Arrays.toString(images.shape()));
        }
        checkLabels(images, labels);
        int[] imageShape = Arrays.copyOfRange(images.shape(), 1, 4);
        int k = labels.dim(1);
        Sequential model = new Sequential("attribute_classifier", imageShape,
                new Flatten("flatten"),
                new Dense("dense1", Tensor.sizeOf(imageShape), HIDDEN, seed),
                new ReLU("relu1"),
                new Dense("dense2", HIDDEN, EMBEDDING, seed + 1),
                new ReLU("relu2"),
                new Dense("logits", EMBEDDING, k, seed + 2));
        Kernels kernels = KernelsSelection.create(1);
        TrainingConfig config = TrainingConfig.builder()
                .optimizer("adam(lr=1e-3)")
                .loss(new BinaryCrossEntropyWithLogits())
                .epochs(epochs)
                .batchSize(32)
                .seed(seed)
                .kernels(kernels)
                .build();
        Trainer trainer = new Trainer(model, config);
        trainer.fit(new Dataset(images, labels, 0), null);
        return new AttributeClassifier(model, imageShape, k, kernels);
    }

    /** @return the number of attributes K */
    public int attributes() {
        return attributes;
    }

    /**
     * @param images shape [N, 3, S, S] with the training images' size
     * @return the attribute probabilities σ(logits), shape [N, K]
     */
    public Tensor predict(Tensor images) {
        return run(images, true).probabilities();
    }

    /**
     * Per-attribute accuracy, thresholding the probabilities and the labels at 0.5.
     *
     * @param images shape [N, 3, S, S], N ≥ 1
     * @param labels shape [N, K]
     * @return K + 1 values: the accuracy of each attribute, then their mean
     */
    public float[] accuracy(Tensor images, Tensor labels) {
        return evaluate(images, labels).accuracy();
    }

    /**
     * @param images shape [N, 3, S, S]
     * @return the penultimate activations (after the second ReLU), N rows of {@value #EMBEDDING}
     */
    public float[][] embed(Tensor images) {
        return rows(run(images, false).embedding());
    }

    /**
     * {@link #accuracy} and {@link #embed} of the same images from one forward pass.
     *
     * @param images shape [N, 3, S, S], N ≥ 1
     * @param labels shape [N, K]
     * @return the accuracies (K + 1 values, as {@link #accuracy}) and the embedding (as {@link #embed})
     */
    public Evaluation evaluate(Tensor images, Tensor labels) {
        checkLabels(images, labels);
        if (labels.dim(1) != attributes) {
            throw new ShapeMismatchException("attribute classifier: labels must have " + attributes + " columns, got "
                    + Arrays.toString(labels.shape()));
        }
        int n = images.dim(0);
        if (n == 0) throw new IllegalArgumentException("accuracy needs at least one image");
        Pass pass = run(images, true);
        float[] p = pass.probabilities().data();
        float[] y = labels.data();
        long[] correct = new long[attributes];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < attributes; a++) {
                if ((p[i * attributes + a] >= 0.5f) == (y[i * attributes + a] >= 0.5f)) correct[a]++;
            }
        }
        float[] out = new float[attributes + 1];
        double mean = 0;
        for (int a = 0; a < attributes; a++) {
            out[a] = (float) (correct[a] / (double) n);
            mean += out[a];
        }
        out[attributes] = (float) (mean / attributes);
        return new Evaluation(out, rows(pass.embedding()));
    }

    /**
     * What {@link #evaluate} measured.
     *
     * @param accuracy the accuracy of each attribute, then their mean (K + 1 values)
     * @param embedding the penultimate activations, one row of {@value #EMBEDDING} per image
     */
    public record Evaluation(float[] accuracy, float[][] embedding) {
    }

    /** The embedding [N, 64] and, when asked, the probabilities σ(logits) [N, K] (else null). */
    private record Pass(Tensor embedding, Tensor probabilities) {
    }

    /** EVAL forward in chunks to bound memory: the embedding layers, then optionally the logits layer. */
    private Pass run(Tensor images, boolean withLogits) {
        Objects.requireNonNull(images, "images");
        if (images.rank() != 4 || !Arrays.equals(Arrays.copyOfRange(images.shape(), 1, 4), imageShape)) {
            throw new ShapeMismatchException("attribute classifier: images must have shape [N, " + imageShape[0] + ", "
                    + imageShape[1] + ", " + imageShape[2] + "], got " + Arrays.toString(images.shape()));
        }
        int n = images.dim(0);
        int per = Tensor.sizeOf(imageShape);
        Tensor emb = Tensor.zeros(n, EMBEDDING);
        Tensor prob = withLogits ? Tensor.zeros(n, attributes) : null;
        StepContext ctx = StepContext.eval(kernels);
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            float[] chunk = Arrays.copyOfRange(images.data(), from * per, to * per);
            Tensor x = Tensor.wrap(chunk, to - from, imageShape[0], imageShape[1], imageShape[2]);
            for (Layer layer : embedding) x = layer.forward(x, ctx);
            System.arraycopy(x.data(), 0, emb.data(), from * EMBEDDING, (to - from) * EMBEDDING);
            if (withLogits) {
                System.arraycopy(logits.forward(x, ctx).data(), 0, prob.data(), from * attributes, (to - from) * attributes);
            }
        }
        if (withLogits) kernels.sigmoid(prob.size(), prob.data(), prob.data());
        return new Pass(emb, prob);
    }

    private static float[][] rows(Tensor h) {
        int n = h.dim(0);
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(h.data(), i * EMBEDDING, (i + 1) * EMBEDDING);
        return out;
    }

    private static void checkLabels(Tensor images, Tensor labels) {
        Objects.requireNonNull(labels, "labels");
        if (labels.rank() != 2 || labels.dim(0) != images.dim(0) || labels.dim(1) < 1) {
            throw new ShapeMismatchException("attribute classifier: labels must have shape [" + images.dim(0)
                    + ", K >= 1] (one 0/1 row per image), got " + Arrays.toString(labels.shape()));
        }
        float[] y = labels.data();
        for (int i = 0; i < y.length; i++) {
            if (!(y[i] >= 0 && y[i] <= 1)) {
                throw new IllegalArgumentException("attribute classifier: label " + y[i] + " at index " + i
                        + " is not in [0, 1]; labels are 0 or 1 per attribute");
            }
        }
    }
}
