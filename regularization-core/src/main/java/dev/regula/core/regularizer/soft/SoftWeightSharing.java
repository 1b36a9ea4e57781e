package dev.regula.core.regularizer.soft;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.LearnableRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Soft weight sharing (Nowlan &amp; Hinton 1992; Ullrich, Meeds &amp; Welling 2017): a Gaussian-mixture
 * prior over the individual weights, learned with the model. The penalty of a parameter is
 * <pre>R(θ) = −λ · Σ_i log Σ_k π_k · N(θ_i | μ_k, 1/τ_k)</pre>
 * a negative log-density, so it may be negative when components are narrow. It is computed with
 * a log-sum-exp over components, in double precision.
 *
 * <p><b>Own parameters</b> (role OTHER, see {@link #ownParameters()}):
 * <ul>
 *   <li>{@code soft-weight-sharing.means} [K]: μ_k; μ_0 = 0 is fixed (its gradient is discarded);</li>
 *   <li>{@code soft-weight-sharing.log_precisions} [K]: s_k = log τ_k, all learned;</li>
 *   <li>{@code soft-weight-sharing.logits} [K−1]: ℓ_k for k ≥ 1, with π_k = (1 − π_0)·softmax(ℓ)_k
 *       and π_0 fixed.</li>
 * </ul>
 * {@link #apply} adds ∂R/∂θ to the model gradient and accumulates ∂R/∂μ, ∂R/∂s, ∂R/∂ℓ;
 * {@link #updateOwnParameters} then takes one step with the separate rates {@code lr_means},
 * {@code lr_log_precisions} and {@code lr_logits} (Adam with β = (0.9, 0.999), ε = 1e-8, or plain
 * SGD with {@code own_optimizer=sgd}) and zeroes the gradients.
 *
 * <p><b>Optional Gamma hyperprior</b> on the precisions: with {@code gamma_shape} = α &gt; 0 and
 * {@code gamma_rate} = β &gt; 0, the update also descends λ·Σ_k −log Gamma(τ_k | α, β) =
 * λ·Σ_k [β·τ_k − (α − 1)·s_k] + const, which keeps components from collapsing. This term involves
 * only the own parameters and is not part of {@link #penalty} (which is per model parameter).
 *
 * <p><b>Initialisation</b>, deterministic, on the first {@link #penalty} or {@link #apply}: with
 * {@code init_range} = r (0 = max |θ| of the first parameter seen), μ_1..μ_{K−1} are evenly spaced
 * over [−r, r]; every σ_k is {@code init_sigma} (0 = that spacing); logits are 0. If some μ_k
 * (k ≥ 1) is already non-zero at that point, the own parameters were set from outside (restored
 * from a checkpoint through {@link #ownParameters()}) and are kept as they are.
 *
 * <p>Settings that work (Ullrich et al.): 16 components, π_0 = 0.99, λ = 0.003/N for a data loss
 * averaged over N training examples, lr 1e-4 for means and 3e-3 for log-precisions and logits.
 */
public final class SoftWeightSharing implements LearnableRegularizer {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    /** Terms of the penalty's log-sum-exp this far (in nats) below the largest are left out. */
    private static final double NEGLIGIBLE_LOG_TERM = 50;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPS = 1e-8;
    private static final String NAME = "soft-weight-sharing";
    /** The own parameters' names, in the order of {@link #moment1} and {@link #moment2}. */
    private static final String[] OWN_NAMES = {"means", "log_precisions", "logits"};

    private final Schedule lambda;
    private final int k;
    private final double logPi0;
    private final double logRest;
    private final double initSigma;
    private final double initRange;
    private final double[] rates;
    private final boolean adam;
    private final double gammaShape;
    private final double gammaRate;
    private final ParameterSelector selector;
    private final String spec;

    private final Parameter means;
    private final Parameter logPrecisions;
    private final Parameter logits;
    private final double[][] moment1;
    private final double[][] moment2;
    private long updates;
    private boolean initialized;

    /** Settings of the mixture prior. */
    record Settings(int components, double pi0, double initSigma, double initRange, double lrMeans,
                    double lrLogPrecisions, double lrLogits, boolean adam, double gammaShape, double gammaRate) {
        Settings {
            if (components < 2) throw new IllegalArgumentException("soft-weight-sharing: components must be >= 2, got " + components);
            if (!(pi0 > 0 && pi0 < 1)) throw new IllegalArgumentException("soft-weight-sharing: pi0 must be in (0, 1), got " + pi0);
            if ((gammaShape > 0) != (gammaRate > 0)) {
                throw new SpecException("regularizer 'soft-weight-sharing': gamma_shape=" + gammaShape + " and gamma_rate="
                        + gammaRate + " must be both > 0 (Gamma hyperprior on) or both 0 (off)");
            }
        }
    }

    SoftWeightSharing(Schedule lambda, Settings s, ParameterSelector selector, String spec) {
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        this.k = s.components();
        this.logPi0 = Math.log(s.pi0());
        this.logRest = Math.log1p(-s.pi0());
        this.initSigma = s.initSigma();
        this.initRange = s.initRange();
        this.rates = new double[] {s.lrMeans(), s.lrLogPrecisions(), s.lrLogits()};
        this.adam = s.adam();
        this.gammaShape = s.gammaShape();
        this.gammaRate = s.gammaRate();
        this.selector = Objects.requireNonNull(selector, "selector");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.means = new Parameter(name(), OWN_NAMES[0], ParameterRole.OTHER, Tensor.zeros(k));
        this.logPrecisions = new Parameter(name(), OWN_NAMES[1], ParameterRole.OTHER, Tensor.zeros(k));
        this.logits = new Parameter(name(), OWN_NAMES[2], ParameterRole.OTHER, Tensor.zeros(k - 1));
        this.moment1 = new double[][] {new double[k], new double[k], new double[k - 1]};
        this.moment2 = new double[][] {new double[k], new double[k], new double[k - 1]};
        if (initRange > 0) initialize(initRange);
    }

    static SoftWeightSharing create(SpecArguments a) {
        Settings s = new Settings((int) a.integer("components"), a.number("pi0"), a.number("init_sigma"),
                a.number("init_range"), a.number("lr_means"), a.number("lr_log_precisions"), a.number("lr_logits"),
                a.text("own_optimizer").toLowerCase(Locale.ROOT).equals("adam"), a.number("gamma_shape"), a.number("gamma_rate"));
        return new SoftWeightSharing(a.schedule("lambda"), s, a.selector("on"), a.toSpec().toString());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Stage stage() {
        return Stage.GRADIENT;
    }

    @Override
    public ParameterSelector selector() {
        return selector;
    }

    /** @return means [K], log-precisions [K] and logits [K−1], in that order */
    @Override
    public List<Parameter> ownParameters() {
        return List.of(means, logPrecisions, logits);
    }

    /** @return the mixing proportions π (K values summing to 1), a new array */
    public double[] mixingProportions() {
        double[] logPi = logPi();
        double[] pi = new double[k];
        for (int j = 0; j < k; j++) pi[j] = Math.exp(logPi[j]);
        return pi;
    }

    /** @return −λ_t·Σ_i log p(θ_i) under the current mixture */
    @Override
    public double penalty(Parameter p, StepContext ctx) {
        ensureInitialized(p);
        double lam = lambda.valueAt(ctx.step(), ctx.epoch());
        if (lam == 0) return 0;
        double[] mu = toDouble(means.value());
        double[] tau = precisions();
        double[] c = logNormalisers();
        double[] a = new double[k];
        double sum = 0;
        for (float x : p.value().data()) sum += logDensity(x, c, mu, tau, a);
        return -lam * sum;
    }

    /**
     * Adds ∂R/∂θ to the model gradient and accumulates the own parameters' gradients.
     *
     * <p>The per-weight work, one exponential per weight and component, is
     * {@link dev.regula.api.kernels.Kernels#mixturePriorGradient} of the step's kernels: core's
     * scalar reference computes it in double, the SIMD kernels in float lanes with an exponential
     * of their own (see docs/soft-regularizers.md). The per-component constants (τ_j/2,
     * log π_j + s_j/2 − log(2π)/2) are computed once per call; nothing is skipped over time: the
     * mixture and its gradient are those of this very step.
     */
    @Override
    public void apply(Parameter p, StepContext ctx) {
        ensureInitialized(p);
        double lam = lambda.valueAt(ctx.step(), ctx.epoch());
        if (lam == 0) return;
        double[] mu = toDouble(means.value());
        double[] tau = precisions();
        double[] c = logNormalisers();
        double[] halfTau = new double[k];
        for (int j = 0; j < k; j++) halfTau[j] = 0.5 * tau[j];
        double[] sums = new double[3 * k];
        float[] v = p.value().data();
        ctx.kernels().mixturePriorGradient(v.length, v, 0, p.grad().data(), 0, lam, k, mu, halfTau, c, sums);
        double[] gMu = new double[k];
        double[] gS = new double[k];
        double[] resp = new double[k];
        for (int j = 0; j < k; j++) {
            gMu[j] = -sums[j];
            gS[j] = -(0.5 * sums[2 * k + j] - sums[k + j]);
            resp[j] = sums[2 * k + j];
        }
        // ∂(−log p)/∂ℓ_j = −(r_j − q_j·Σ_{k≥1} r_k), q = softmax(ℓ), summed over the elements.
        double[] q = softmaxOfLogits();
        double restResp = 0;
        for (int j = 1; j < k; j++) restResp += resp[j];
        float[] gm = means.grad().data();
        float[] gs = logPrecisions.grad().data();
        float[] gl = logits.grad().data();
        for (int j = 0; j < k; j++) {
            if (j > 0) gm[j] += (float) (lam * gMu[j]);
            gs[j] += (float) (lam * gS[j]);
            if (j > 0) gl[j - 1] += (float) (-lam * (resp[j] - q[j - 1] * restResp));
        }
    }

    /**
     * One step on μ (k ≥ 1), log-precisions and logits with their own rates, including the Gamma
     * hyperprior's gradient when it is on; then zeroes their gradients.
     */
    @Override
    public void updateOwnParameters(StepContext ctx) {
        if (!initialized) {
            zeroOwnGradients();
            return;
        }
        if (gammaShape > 0) {
            double lam = lambda.valueAt(ctx.step(), ctx.epoch());
            float[] s = logPrecisions.value().data();
            float[] gs = logPrecisions.grad().data();
            for (int j = 0; j < k; j++) gs[j] += (float) (lam * (gammaRate * Math.exp(s[j]) - (gammaShape - 1)));
        }
        means.grad().set(0, 0f);
        updates++;
        Parameter[] own = {means, logPrecisions, logits};
        for (int t = 0; t < own.length; t++) {
            float[] w = own[t].value().data();
            float[] g = own[t].grad().data();
            for (int i = 0; i < w.length; i++) {
                double step;
                if (adam) {
                    moment1[t][i] = BETA1 * moment1[t][i] + (1 - BETA1) * g[i];
                    moment2[t][i] = BETA2 * moment2[t][i] + (1 - BETA2) * (double) g[i] * g[i];
                    double mHat = moment1[t][i] / (1 - Math.pow(BETA1, updates));
                    double vHat = moment2[t][i] / (1 - Math.pow(BETA2, updates));
                    step = rates[t] * mHat / (Math.sqrt(vHat) + ADAM_EPS);
                } else {
                    step = rates[t] * g[i];
                }
                w[i] -= (float) step;
            }
        }
        means.value().set(0, 0f);
        zeroOwnGradients();
    }

    /**
     * The own Adam's state, exactly: {@code updates} (the step count of the bias correction, one
     * value) and {@code moment1.<parameter>}, {@code moment2.<parameter>} for means,
     * log_precisions and logits. Empty with {@code own_optimizer=sgd}.
     */
    @Override
    public Map<String, double[]> ownOptimizerState() {
        if (!adam) return Map.of();
        Map<String, double[]> state = new LinkedHashMap<>();
        state.put("updates", new double[] {updates});
        for (int t = 0; t < OWN_NAMES.length; t++) {
            state.put("moment1." + OWN_NAMES[t], moment1[t].clone());
            state.put("moment2." + OWN_NAMES[t], moment2[t].clone());
        }
        return state;
    }

    /** @throws IllegalArgumentException naming the key that is unknown, missing, of the wrong length or out of range */
    @Override
    public void checkOwnOptimizerState(Map<String, double[]> state) {
        if (state.isEmpty()) return;
        Map<String, double[]> expected = ownOptimizerState();
        if (!expected.keySet().equals(state.keySet())) {
            throw new IllegalArgumentException(NAME + ": optimizer state keys " + state.keySet() + " do not match the expected "
                    + expected.keySet() + " (own_optimizer=" + (adam ? "adam" : "sgd") + ")");
        }
        OwnState.count(NAME, "updates", state.get("updates"));
        for (int t = 0; t < OWN_NAMES.length; t++) {
            OwnState.check(NAME, "moment1." + OWN_NAMES[t], state.get("moment1." + OWN_NAMES[t]), moment1[t].length, false);
            OwnState.check(NAME, "moment2." + OWN_NAMES[t], state.get("moment2." + OWN_NAMES[t]), moment2[t].length, true);
        }
    }

    /** @throws IllegalArgumentException as {@link #checkOwnOptimizerState}, before anything changes */
    @Override
    public void restoreOwnOptimizerState(Map<String, double[]> state) {
        checkOwnOptimizerState(state);
        if (state.isEmpty()) return;
        long restoredUpdates = OwnState.count(NAME, "updates", state.get("updates"));
        for (int t = 0; t < OWN_NAMES.length; t++) {
            System.arraycopy(state.get("moment1." + OWN_NAMES[t]), 0, moment1[t], 0, moment1[t].length);
            System.arraycopy(state.get("moment2." + OWN_NAMES[t]), 0, moment2[t], 0, moment2[t].length);
        }
        updates = restoredUpdates;
        if (updates > 0) initialized = true; // the saved run had set its prior up: keep the restored one
    }

    private void zeroOwnGradients() {
        means.zeroGrad();
        logPrecisions.zeroGrad();
        logits.zeroGrad();
    }

    /**
     * Sets the mixture explicitly (μ_0 stays 0), for tests and for restoring a prior.
     *
     * @param range the means are spread evenly over [−range, range]
     */
    void initialize(double range) {
        if (!(range > 0) || Double.isInfinite(range)) {
            throw new IllegalArgumentException("soft-weight-sharing: init range must be finite and > 0, got " + range);
        }
        float[] mu = means.value().data();
        mu[0] = 0f;
        int n = k - 1;
        for (int j = 1; j < k; j++) mu[j] = (float) (n == 1 ? range : -range + 2 * range * (j - 1) / (n - 1));
        double spacing = n == 1 ? range : 2 * range / (n - 1);
        double sigma = initSigma > 0 ? initSigma : spacing;
        logPrecisions.value().fill((float) (-2 * Math.log(sigma)));
        logits.value().fill(0f);
        initialized = true;
    }

    private void ensureInitialized(Parameter p) {
        if (initialized) return;
        float[] mu = means.value().data();
        for (int j = 1; j < k; j++) {
            if (mu[j] != 0f) { // set from outside, e.g. restored from a checkpoint: keep the prior as it is
                initialized = true;
                return;
            }
        }
        float m = 0;
        for (float x : p.value().data()) m = Math.max(m, Math.abs(x));
        initialize(m > 0 && Float.isFinite(m) ? m : 1.0);
    }

    /** log π_k: π_0 fixed, the rest (1 − π_0)·softmax(ℓ). */
    private double[] logPi() {
        float[] l = logits.value().data();
        double max = Double.NEGATIVE_INFINITY;
        for (float x : l) max = Math.max(max, x);
        double z = 0;
        for (float x : l) z += Math.exp(x - max);
        double lse = max + Math.log(z);
        double[] out = new double[k];
        out[0] = logPi0;
        for (int j = 1; j < k; j++) out[j] = logRest + l[j - 1] - lse;
        return out;
    }

    private double[] softmaxOfLogits() {
        double[] logPi = logPi();
        double[] q = new double[k - 1];
        for (int j = 1; j < k; j++) q[j - 1] = Math.exp(logPi[j] - logRest);
        return q;
    }

    /** @return τ_k = exp(s_k) */
    private double[] precisions() {
        float[] s = logPrecisions.value().data();
        double[] tau = new double[k];
        for (int j = 0; j < k; j++) tau[j] = Math.exp(s[j]);
        return tau;
    }

    /** @return log π_k + s_k/2 − log(2π)/2, the x-independent part of each component's log-density */
    private double[] logNormalisers() {
        double[] c = logPi();
        float[] s = logPrecisions.value().data();
        for (int j = 0; j < k; j++) c[j] += 0.5 * s[j] - HALF_LOG_2PI;
        return c;
    }

    /** Fills a[j] = log π_j + log N(x | μ_j, 1/τ_j) and returns log Σ_j exp(a[j]), stably. */
    private double logDensity(double x, double[] c, double[] mu, double[] tau, double[] a) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double d = x - mu[j];
            a[j] = c[j] - 0.5 * tau[j] * d * d;
            max = Math.max(max, a[j]);
        }
        double z = 0;
        for (int j = 0; j < k; j++) {
            // a term below e^-50 of the largest (which adds 1 to z) is under 2^-72 of z, far below a
            // double's resolution: its exponential is skipped
            double t = a[j] - max;
            if (t > -NEGLIGIBLE_LOG_TERM) z += Math.exp(t);
        }
        return max + Math.log(z);
    }

    private static double[] toDouble(Tensor t) {
        float[] f = t.data();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Override
    public String toString() {
        return spec;
    }
}
