package dev.regula.core.regularizer.soft;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.regularizer.StatefulRegularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import java.util.Map;
import java.util.Objects;

/**
 * Soft decay, "regularization through the step size": decoupled decay whose strength follows the
 * learning-rate schedule (Loshchilov &amp; Hutter, <i>Decoupled Weight Decay Regularization</i>, 2019).
 * At the {@link Stage#DECOUPLED} stage, on the pre-update weights (just before the optimizer update),
 * <pre>θ ← θ − λ_t · (η_t / η_0) · θ</pre>
 * where η_t is {@link StepContext#learningRate()} and η_0 the reference learning rate: the
 * {@code lr0} key if positive, otherwise the first positive learning rate this regularizer sees.
 *
 * <p><b>How it differs from {@code weight-decay}.</b> {@code weight-decay} shrinks by η_t·λ_t, so
 * its λ is a rate per unit of learning rate: the shrink per step changes when the base learning
 * rate changes (λ = 1e-4 with η = 0.1 removes 1e-5 of θ per step, with η = 1e-3 only 1e-7).
 * Soft decay's λ is the fraction of θ removed per step <em>at the reference rate</em>, a
 * dimensionless quantity independent of the optimizer's base rate; only the <em>shape</em> of the
 * schedule (η_t/η_0 ∈ [0, 1] for a decaying schedule) modulates it, so the decay anneals with the
 * learning rate and vanishes when η_t → 0. This is the paper's formulation θ ← θ − η_t(α∇ + λθ)
 * with η_t the schedule multiplier. With a constant learning rate both are the same up to the
 * rescaling λ_soft = η·λ_weight-decay.
 *
 * <p>With a warm-up from a tiny rate, set {@code lr0} to the peak rate: otherwise η_0 is the first
 * (tiny) rate and the factor λ·η_t/η_0 may exceed 1, which is reported as an error rather than
 * silently flipping the sign of θ. Before any positive rate was seen nothing happens. The penalty
 * is 0 (decoupled decay has no objective term). η_0, once fixed, is the state a checkpoint carries
 * ({@link #state()}), so a resumed run divides by the same rate as the uninterrupted one.
 */
public final class SoftDecay implements ParameterRegularizer, StatefulRegularizer {
    private final Schedule lambda;
    private final double lr0;
    private final ParameterSelector selector;
    private final String spec;
    private double eta0;

    /**
     * @param lambda fraction of θ removed per step at the reference rate, values in [0, 1]
     * @param lr0 the reference learning rate η_0, or 0 to take the first positive rate seen
     * @param selector the parameters decayed
     * @param spec the canonical spec text
     */
    SoftDecay(Schedule lambda, double lr0, ParameterSelector selector, String spec) {
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        if (!(lr0 >= 0) || Double.isInfinite(lr0)) {
            throw new IllegalArgumentException("soft-decay: lr0 must be finite and >= 0 (0 = first rate seen), got " + lr0);
        }
        this.lr0 = lr0;
        this.eta0 = lr0;
        this.selector = Objects.requireNonNull(selector, "selector");
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    static SoftDecay create(SpecArguments a) {
        return new SoftDecay(a.schedule("lambda"), a.number("lr0"), a.selector("on"), a.toSpec().toString());
    }

    @Override
    public String name() {
        return "soft-decay";
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Stage stage() {
        return Stage.DECOUPLED;
    }

    @Override
    public ParameterSelector selector() {
        return selector;
    }

    /** @return the reference learning rate η_0 in use, 0 while none was seen */
    public double referenceRate() {
        return eta0;
    }

    /**
     * Shrinks θ by the factor 1 − λ_t·η_t/η_0.
     *
     * @param p a selected parameter
     * @param ctx the step, whose learning rate is η_t
     * @throws dev.regula.api.spec.SpecException if λ_t·η_t/η_0 &gt; 1 (set {@code lr0} to the peak rate)
     */
    @Override
    public void apply(Parameter p, StepContext ctx) {
        double eta = ctx.learningRate();
        if (eta0 == 0 && eta > 0) eta0 = eta;
        if (eta0 == 0 || eta <= 0) return;
        double f = lambda.valueAt(ctx.step(), ctx.epoch()) * eta / eta0;
        if (f == 0) return;
        if (f > 1) {
            throw new dev.regula.api.spec.SpecException("soft-decay on " + p.name() + " at step " + ctx.step()
                    + ": shrink factor lambda*lr/lr0 = " + f + " exceeds 1 (lr=" + eta + ", lr0=" + eta0
                    + " (" + (lr0 > 0 ? "given" : "first rate seen") + ")); allowed: at most 1, set lr0= to the peak learning rate");
        }
        ctx.kernels().scale(p.size(), (float) (1 - f), p.value().data(), 0);
    }

    /** @return {@code eta0}: η_0 in use, 0 while no positive rate was seen; nothing where lr0 fixes it */
    @Override
    public Map<String, double[]> state() {
        return lr0 > 0 ? Map.of() : Map.of("eta0", new double[] {eta0});
    }

    /** @throws IllegalArgumentException unless the state is empty or holds one finite η_0 ≥ 0 (lr0 itself where given) */
    @Override
    public void checkState(Map<String, double[]> state) {
        if (state.isEmpty()) return;
        if (!state.keySet().equals(Map.of("eta0", 0).keySet())) {
            throw new IllegalArgumentException("soft-decay: state keys " + state.keySet() + " do not match the expected [eta0]");
        }
        double[] v = state.get("eta0");
        if (v.length != 1 || !(v[0] >= 0) || Double.isInfinite(v[0]) || (lr0 > 0 && v[0] != lr0)) {
            throw new IllegalArgumentException("soft-decay: state 'eta0' must be one finite rate >= 0" + (lr0 > 0 ? " equal to lr0 = " + lr0 : "")
                    + ", got " + java.util.Arrays.toString(v));
        }
    }

    @Override
    public void restoreState(Map<String, double[]> state) {
        checkState(state);
        if (!state.isEmpty()) eta0 = state.get("eta0")[0];
    }

    @Override
    public String toString() {
        return spec;
    }
}
