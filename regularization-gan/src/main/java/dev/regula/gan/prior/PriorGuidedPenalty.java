package dev.regula.gan.prior;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.features.FaceFeatures;
import java.util.Arrays;
import java.util.Objects;

/**
 * The prior-guided output penalty of the conditional GAN: the generator receives the feature
 * vector c = φ(x) of a real face and pays
 * <pre>
 *   R = λ · (1/N) Σ_n ‖φ(G(z_n, c_n)) − c_n‖²      (mean over the batch, sum over features)
 * </pre>
 * with φ the fixed {@link FaceFeatures} extractor; ∂R/∂G = (2λ/N)·(φ − c)·∂φ/∂G.
 *
 * <p>This is an <em>output</em> regularizer: it acts on generated images, not on parameters, so it
 * is used by the GAN trainer, which adds its gradient to the generator's output gradient before
 * backpropagating. Core's parameter pipeline rejects it (it is none of the parameter or activation
 * kinds). λ is a {@link Schedule}; when it is 0 at a step, {@link #apply} returns 0 without
 * reading the images or touching the gradient, so λ = 0 reproduces an unregularised run bit for bit.
 *
 * <p>Stateless apart from its configuration: thread-safe.
 */
public final class PriorGuidedPenalty implements Regularizer {
    /** The provider name. */
    public static final String NAME = "prior-guided";

    private final Schedule lambda;
    private final FaceFeatures features;

    /**
     * @param lambda the strength λ(step, epoch), values ≥ 0
     * @param features the extractor φ; its image size fixes the size of the generated images
     * @throws IllegalArgumentException if the schedule can go below 0
     */
    public PriorGuidedPenalty(Schedule lambda, FaceFeatures features) {
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        this.features = Objects.requireNonNull(features, "features");
        for (double v : lambda.extremes()) {
            if (!(v >= 0)) throw new IllegalArgumentException(NAME + ": lambda must be >= 0, got schedule " + lambda.text());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spec() {
        return NAME + "(lambda=" + lambda.text() + ", size=" + features.imageSize() + ")";
    }

    /** @return the feature extractor φ */
    public FaceFeatures features() {
        return features;
    }

    /**
     * @param ctx the step
     * @return λ at this step and epoch
     */
    public double lambda(StepContext ctx) {
        return lambda.valueAt(ctx.step(), ctx.epoch());
    }

    /**
     * Computes the penalty and adds its gradient into {@code gradGenerated}.
     *
     * @param generated the generator's output, shape [N, 3, S, S] with S the extractor's size
     * @param condition the condition vectors c, shape [N, D] with D = {@code features().dimension()}
     * @param gradGenerated receives + ∂R/∂generated, same shape as generated; untouched when λ = 0
     * @param ctx the step (λ is read at its step and epoch)
     * @return R at this step, 0 when λ = 0
     * @throws ShapeMismatchException if a shape does not fit (checked also when λ = 0)
     */
    public double apply(Tensor generated, Tensor condition, Tensor gradGenerated, StepContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        int n = checkShapes(generated, condition, gradGenerated);
        double lam = lambda(ctx);
        if (lam == 0 || n == 0) return 0;
        return accumulate(generated, features.extract(generated), condition, gradGenerated, lam, n);
    }

    /**
     * Same as {@link #apply(Tensor, Tensor, Tensor, StepContext)} for a caller that already has
     * φ(generated) (e.g. to measure the feature error as well), so φ is not computed twice.
     *
     * @param generated the generator's output, shape [N, 3, S, S] with S the extractor's size
     * @param phi {@code features().extract(generated)}, shape [N, D]; consumed: when λ ≠ 0 its values
     *     are overwritten with ∂R/∂φ
     * @param condition the condition vectors c, shape [N, D] with D = {@code features().dimension()}
     * @param gradGenerated receives + ∂R/∂generated, same shape as generated; untouched when λ = 0
     * @param ctx the step (λ is read at its step and epoch)
     * @return R at this step, 0 when λ = 0
     * @throws ShapeMismatchException if a shape does not fit (checked also when λ = 0)
     */
    public double apply(Tensor generated, Tensor phi, Tensor condition, Tensor gradGenerated, StepContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        int n = checkShapes(generated, condition, gradGenerated);
        condition.requireSameShape(Objects.requireNonNull(phi, "phi"), NAME + ": phi");
        double lam = lambda(ctx);
        if (lam == 0 || n == 0) return 0;
        return accumulate(generated, phi, condition, gradGenerated, lam, n);
    }

    /** R = λ/N·‖φ − c‖², reusing φ's storage for ∂R/∂φ, and ∂R/∂generated added into the gradient. */
    private double accumulate(Tensor generated, Tensor phi, Tensor condition, Tensor gradGenerated, double lam, int n) {
        float[] f = phi.data();
        float[] c = condition.data();
        double sum = 0;
        double scale = 2 * lam / n;
        for (int i = 0; i < f.length; i++) {
            double d = (double) f[i] - c[i];
            sum += d * d;
            f[i] = (float) (scale * d); // reuse phi as ∂R/∂φ
        }
        features.accumulateGradient(generated, phi, gradGenerated);
        return lam * sum / n;
    }

    private int checkShapes(Tensor generated, Tensor condition, Tensor gradGenerated) {
        Objects.requireNonNull(generated, "generated");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(gradGenerated, "gradGenerated");
        int s = features.imageSize();
        if (generated.rank() != 4 || generated.dim(1) != 3 || generated.dim(2) != s || generated.dim(3) != s) {
            throw new ShapeMismatchException(NAME + ": generated images must have shape [N, 3, " + s + ", " + s
                    + "] (set size= to the generator's image size), got " + Arrays.toString(generated.shape()));
        }
        int n = generated.dim(0);
        if (condition.rank() != 2 || condition.dim(0) != n || condition.dim(1) != features.dimension()) {
            throw new ShapeMismatchException(NAME + ": condition must have shape [" + n + ", " + features.dimension()
                    + "] (one face-feature vector per generated image), got " + Arrays.toString(condition.shape()));
        }
        generated.requireSameShape(gradGenerated, NAME + ": gradGenerated");
        return n;
    }

    @Override
    public String toString() {
        return spec();
    }
}
