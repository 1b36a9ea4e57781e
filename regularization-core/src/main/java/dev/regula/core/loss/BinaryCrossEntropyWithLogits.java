package dev.regula.core.loss;

/**
 * Binary cross-entropy on logits, averaged over all elements (PyTorch's
 * {@code BCEWithLogitsLoss} with {@code reduction='mean'}; for the usual [batch, 1] output this is
 * the mean over the batch).
 *
 * <p>Output: logits x of any shape [batch, ...]. Target: probabilities t in [0, 1] of the same
 * shape (soft labels such as 0.9 are allowed). Per element, in the stable form
 * ℓ = max(x, 0) − x·t + log(1 + e^−|x|); the gradient is (σ(x) − t)/N, N the number of elements.
 */
public final class BinaryCrossEntropyWithLogits extends ElementwiseLoss {
    /** Creates the loss. */
    public BinaryCrossEntropyWithLogits() {
    }

    @Override
    public String name() {
        return "binary-cross-entropy-with-logits";
    }

    /** @throws IllegalArgumentException naming the index of a target outside [0, 1] */
    @Override
    double term(double x, double t, int i, float[] g, double invN) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException(name() + ": target " + (float) t + " at index " + i
                    + " is not a probability; allowed: [0, 1]");
        }
        double e = Math.exp(-Math.abs(x)); // e^−x for x ≥ 0, e^x below: σ(x) in its stable form needs no second exp
        double sig = x >= 0 ? 1 / (1 + e) : e / (1 + e);
        g[i] = (float) ((sig - t) * invN);
        return Math.max(x, 0) - x * t + Math.log1p(e);
    }
}
