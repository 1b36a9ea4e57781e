package dev.regula.gan.prior;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.OutputRegularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.eval.GanEvaluator;
import dev.regula.gan.features.AttributeProbe;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The prior-guided output penalty of the conditional GAN. The generator receives a
 * <em>limited</em> prior c: K attribute values a user could state (say smiling, glasses, dark hair,
 * pale skin, each 0 or 1), nothing about the rest of the face, and pays
 * <pre>
 *   fixed:      R = λ · Σ_k  MSE_k                    MSE_k = (1/N) Σ_n band_k(φ_k(G(z_n, c_n)) − c_nk)²
 *   learnable:  R = λ · Σ_k ( e^{s_k} · MSE_k − s_k )
 *   band_k(d) = sign(d) · max(0, |d| − τ_k)
 * </pre>
 * with φ the fixed {@link AttributeProbe} and τ_k a tolerance: a soft constraint that is zero
 * while a generated face reads within τ_k of its condition and quadratic beyond. The default τ_k is
 * the probe's RMS residual on real faces ({@link AttributeProbe#residualRms()}): real faces do not
 * read exactly 0 or 1 either, and a penalty that demanded φ = c exactly would push every face to
 * the most extreme version of its attributes, narrowing the variety the data has. τ = 0 gives the
 * plain squared error. The learnable form learns one log-precision s_k per
 * attribute with the generator (uncertainty weighting, Kendall, Gal &amp; Cipolla 2018): the Gaussian
 * negative log-likelihood of c given φ(G), so attributes the generator can meet reliably get more
 * weight and unreliable ones less; s_k starts at 0 (where both forms agree), takes Adam steps of
 * rate {@code priorLr} on ∂R/∂s_k = λ·(e^{s_k}·MSE_k − 1), and after each step the s_k are
 * shifted to mean 0 (the weights' geometric mean stays 1, so the learnable form redistributes the
 * strength λ among the attributes instead of growing it: without this, errors inside the tolerance
 * band drive every precision to its bound) and kept in
 * [{@value #MIN_LOG_PRECISION}, {@value #MAX_LOG_PRECISION}], so no attribute's weight leaves
 * [e⁻², e²].
 *
 * <p>An {@link OutputRegularizer}: the one regularization pipeline runs it on the generator's output
 * with the condition c, and adds ∂R/∂G = λ·(2/N)·w_k·(φ − c)·∂φ/∂G to the output gradient. When
 * λ = 0 at a step it returns 0 without touching any gradient, and s keeps its value, so λ = 0
 * reproduces an unregularized run bit for bit. Not thread-safe when learnable (it holds s and its
 * optimizer state); a fixed one is stateless.
 */
public final class PriorGuidedPenalty implements OutputRegularizer {
    /** The provider name. */
    public static final String NAME = "prior-guided";
    /** Lower bound of a learned log-precision. */
    public static final double MIN_LOG_PRECISION = -2;
    /** Upper bound of a learned log-precision. */
    public static final double MAX_LOG_PRECISION = 2;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPS = 1e-8;

    private final Schedule lambda;
    private final AttributeProbe probe;
    private final boolean learnable;
    private final double priorLr;
    private final Parameter logPrecision;
    private final double[] tolerance;
    private final double[] m;
    private final double[] v;
    private long updates;
    private double lastLambda;

    /**
     * @param lambda the strength λ(step, epoch), values ≥ 0
     * @param probe the fixed attribute probe φ; its names are the attributes of c, in order
     * @param learnable whether to learn per-attribute log-precisions
     * @param priorLr Adam's learning rate for the log-precisions, &gt; 0 (used when learnable)
     * @throws IllegalArgumentException if the schedule can go below 0 or the rate is not positive
     */
    public PriorGuidedPenalty(Schedule lambda, AttributeProbe probe, boolean learnable, double priorLr) {
        this(lambda, probe, learnable, priorLr, probe.residualRms());
    }

    /**
     * @param lambda the strength λ(step, epoch), values ≥ 0
     * @param probe the fixed attribute probe φ; its names are the attributes of c, in order
     * @param learnable whether to learn per-attribute log-precisions
     * @param priorLr Adam's learning rate for the log-precisions, &gt; 0 (used when learnable)
     * @param tolerance τ_k per attribute, each finite and ≥ 0
     * @throws IllegalArgumentException if a value is out of range
     */
    public PriorGuidedPenalty(Schedule lambda, AttributeProbe probe, boolean learnable, double priorLr, double[] tolerance) {
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        this.probe = Objects.requireNonNull(probe, "probe");
        for (double x : lambda.extremes()) {
            if (!(x >= 0)) throw new IllegalArgumentException(NAME + ": lambda must be >= 0, got schedule " + lambda.text());
        }
        if (!(priorLr > 0) || !Double.isFinite(priorLr)) {
            throw new IllegalArgumentException(NAME + ": prior_lr must be finite and > 0, got " + priorLr);
        }
        this.learnable = learnable;
        this.priorLr = priorLr;
        int k = probe.dimension();
        this.logPrecision = new Parameter("prior", "log_precision", ParameterRole.OTHER, Tensor.zeros(k));
        this.m = new double[k];
        this.v = new double[k];
        if (tolerance.length != k) {
            throw new IllegalArgumentException(NAME + ": one tolerance per attribute " + probe.names() + ", got " + tolerance.length);
        }
        for (double t : tolerance) {
            if (!(t >= 0) || !Double.isFinite(t)) throw new IllegalArgumentException(NAME + ": tolerance must be finite and >= 0, got " + t);
        }
        this.tolerance = tolerance.clone();
    }

    /**
     * A fixed (not learnable) penalty with the plain squared error (τ = 0).
     *
     * @param lambda the strength
     * @param probe the probe φ
     */
    public PriorGuidedPenalty(Schedule lambda, AttributeProbe probe) {
        this(lambda, probe, false, 0.01, new double[probe.dimension()]);
    }

    /** @return τ_k per attribute */
    public double[] tolerance() {
        return tolerance.clone();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spec() {
        return NAME + "(lambda=" + lambda.text() + ", learnable=" + learnable + (learnable ? ", prior_lr=" + priorLr : "")
                + ", attributes=" + String.join("+", probe.names()) + ", tolerance=" + toleranceText() + ", size=" + probe.imageSize() + ")";
    }

    private String toleranceText() {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < tolerance.length; j++) b.append(j == 0 ? "" : "+").append(String.format(java.util.Locale.ROOT, "%.3g", tolerance[j]));
        return b.toString();
    }

    /** @return the probe φ */
    public AttributeProbe probe() {
        return probe;
    }

    /** @return whether the per-attribute precisions are learned */
    public boolean learnable() {
        return learnable;
    }

    /** @return the per-attribute weights e^{s_k} (all 1 for a fixed penalty) */
    public double[] weights() {
        double[] w = new double[probe.dimension()];
        for (int k = 0; k < w.length; k++) w[k] = Math.exp(logPrecision.value().data()[k]);
        return w;
    }

    /** @return the learned log-precisions s, shape [K], as a checkpoint stores them (empty list when fixed) */
    @Override
    public List<Parameter> ownParameters() {
        return learnable ? List.of(logPrecision) : List.of();
    }

    /**
     * @param generated the generator's output [N, 3, S, S], S the probe's size
     * @param condition c, [N, K] with K the probe's dimension
     * @param gradGenerated receives + ∂R/∂generated; untouched when λ = 0
     * @param ctx the step (λ is read at its step and epoch)
     * @return R, 0 when λ = 0
     * @throws ShapeMismatchException if a shape does not fit (checked also when λ = 0)
     */
    @Override
    public double apply(Tensor generated, Tensor condition, Tensor gradGenerated, StepContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        int n = checkShapes(generated, condition, gradGenerated);
        double lam = lambda.valueAt(ctx.step(), ctx.epoch());
        lastLambda = lam;
        logPrecision.zeroGrad();
        if (lam == 0 || n == 0) return 0;
        Tensor phi = probe.extract(generated);
        int k = probe.dimension();
        float[] f = phi.data();
        float[] c = condition.data();
        float[] s = logPrecision.value().data();
        double[] mse = new double[k];
        double[] band = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            double d = (double) f[i] - c[i];
            double over = Math.max(0, Math.abs(d) - tolerance[i % k]);
            band[i] = Math.copySign(over, d);
            mse[i % k] += over * over / n;
        }
        double r = 0;
        for (int j = 0; j < k; j++) r += Math.exp(s[j]) * mse[j] - (learnable ? s[j] : 0);
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (lam * 2 * Math.exp(s[i % k]) * band[i] / n); // reuse φ as ∂R/∂φ
        }
        probe.accumulateGradient(phi, gradGenerated);
        if (learnable) {
            float[] gs = logPrecision.grad().data();
            for (int j = 0; j < k; j++) gs[j] = (float) (lam * (Math.exp(s[j]) * mse[j] - 1));
        }
        return lam * r;
    }

    /**
     * The own Adam's state of the learnable prior, exactly: {@code updates} (one value) and the
     * moments {@code moment1}, {@code moment2}; empty for the fixed prior.
     */
    @Override
    public Map<String, double[]> ownOptimizerState() {
        if (!learnable) return Map.of();
        Map<String, double[]> state = new LinkedHashMap<>();
        state.put("updates", new double[] {updates});
        state.put("moment1", m.clone());
        state.put("moment2", v.clone());
        return state;
    }

    /** @throws IllegalArgumentException naming the key that is unknown, missing, of the wrong length or out of range */
    @Override
    public void checkOwnOptimizerState(Map<String, double[]> state) {
        if (state.isEmpty()) return;
        if (!ownOptimizerState().keySet().equals(state.keySet())) {
            throw new IllegalArgumentException(name() + ": optimizer state keys " + state.keySet() + " do not match the expected "
                    + ownOptimizerState().keySet() + (learnable ? "" : " (the fixed prior keeps none)"));
        }
        double[] count = state.get("updates");
        if (count.length != 1 || !(count[0] >= 0) || count[0] > 0x1p53 || count[0] != Math.rint(count[0])) {
            throw new IllegalArgumentException(name() + ": optimizer state 'updates' must be one whole number in [0, 2^53], got "
                    + java.util.Arrays.toString(count));
        }
        checked("moment1", state.get("moment1"), m.length, false);
        checked("moment2", state.get("moment2"), v.length, true);
    }

    @Override
    public void restoreOwnOptimizerState(Map<String, double[]> state) {
        checkOwnOptimizerState(state);
        if (state.isEmpty()) return;
        double[] count = state.get("updates");
        double[] m1 = state.get("moment1");
        double[] m2 = state.get("moment2");
        System.arraycopy(m1, 0, m, 0, m.length);
        System.arraycopy(m2, 0, v, 0, v.length);
        updates = (long) count[0];
    }

    private double[] checked(String key, double[] values, int length, boolean nonNegative) {
        if (values.length != length) {
            throw new IllegalArgumentException(name() + ": optimizer state '" + key + "' has " + values.length + " values, expected " + length);
        }
        for (double x : values) {
            if (!Double.isFinite(x) || (nonNegative && x < 0)) {
                throw new IllegalArgumentException(name() + ": optimizer state '" + key + "' holds " + x + ", expected finite values"
                        + (nonNegative ? " >= 0" : ""));
            }
        }
        return values;
    }

    /** One Adam step on the log-precisions (learnable only), from the gradient of the last {@link #apply}. */
    @Override
    public void updateOwnParameters(StepContext ctx) {
        if (!learnable || lastLambda == 0) return;
        updates++;
        float[] s = logPrecision.value().data();
        float[] g = logPrecision.grad().data();
        double c1 = 1 - Math.pow(BETA1, updates);
        double c2 = 1 - Math.pow(BETA2, updates);
        double[] next = new double[s.length];
        double mean = 0;
        for (int j = 0; j < s.length; j++) {
            m[j] = BETA1 * m[j] + (1 - BETA1) * g[j];
            v[j] = BETA2 * v[j] + (1 - BETA2) * g[j] * g[j];
            next[j] = s[j] - priorLr * (m[j] / c1) / (Math.sqrt(v[j] / c2) + ADAM_EPS);
            mean += next[j] / s.length;
        }
        // Σ s_k = 0: the weights' geometric mean stays 1, so λ alone sets the prior's strength
        for (int j = 0; j < s.length; j++) {
            s[j] = (float) Math.max(MIN_LOG_PRECISION, Math.min(MAX_LOG_PRECISION, next[j] - mean));
        }
    }

    /**
     * The mean over rows of ‖φ(images) − c‖, how far generated faces are from their conditions.
     *
     * @param images [N, 3, S, S]
     * @param condition [N, K]
     * @return the mean Euclidean distance
     */
    public double featureError(Tensor images, Tensor condition) {
        return GanEvaluator.featureError(probe.extract(images), condition);
    }

    private int checkShapes(Tensor generated, Tensor condition, Tensor gradGenerated) {
        Objects.requireNonNull(generated, "generated");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(gradGenerated, "gradGenerated");
        int s = probe.imageSize();
        if (generated.rank() != 4 || generated.dim(1) != 3 || generated.dim(2) != s || generated.dim(3) != s) {
            throw new ShapeMismatchException(NAME + ": the model's outputs must be images of shape [N, 3, " + s + ", " + s
                    + "] (set size= to the generator's image size; this penalty is for image generators), got "
                    + Arrays.toString(generated.shape()));
        }
        int n = generated.dim(0);
        if (condition.rank() != 2 || condition.dim(0) != n || condition.dim(1) != probe.dimension()) {
            throw new ShapeMismatchException(NAME + ": condition must have shape [" + n + ", " + probe.dimension()
                    + "] (one value per attribute " + probe.names() + "), got " + Arrays.toString(condition.shape()));
        }
        generated.requireSameShape(gradGenerated, NAME + ": gradGenerated");
        return n;
    }

    @Override
    public String toString() {
        return spec();
    }
}
