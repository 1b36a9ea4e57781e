package dev.regula.core.regularizer.soft;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.LearnableRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;
import dev.regula.api.regularizer.AnchoredRegularizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Soft anchor (L2-SP, Li, Grandvalet &amp; Davoine 2018): the penalty λ/2·‖θ − θ₀‖² pulls θ toward a
 * reference θ₀ instead of toward 0; {@link Stage#GRADIENT} stage, gradient λ(θ − θ₀).
 *
 * <p>θ₀ per parameter is, in order of precedence: a tensor given with
 * {@link #setAnchor(String, Tensor)} (pretrained weights); otherwise, with {@code to=init}, a copy
 * of θ taken the first time the parameter is seen by {@link #penalty} or {@link #apply} (in the
 * pipeline that is the loss of step 0, i.e. the initial weights); with {@code to=zero}, zeros
 * (then the penalty equals {@code l2}).
 *
 * <p>With {@code anchor_lr > 0} the instance is a {@link LearnableRegularizer} ({@link Learnable}):
 * each θ₀ is an own parameter named {@code soft-anchor.<parameter name>} with role OTHER, whose
 * gradient of the same penalty, −λ(θ − θ₀), is accumulated by {@link #apply} and applied by plain
 * gradient descent with rate {@code anchor_lr} in {@link LearnableRegularizer#updateOwnParameters}.
 * Own parameters appear when their model parameter is first seen or an anchor is set; to resume
 * from a checkpoint, pass its {@code soft-anchor.<parameter>} tensors to {@link #setAnchors} keyed
 * by the model parameter's name before training.
 */
public abstract sealed class SoftAnchor implements AnchoredRegularizer permits SoftAnchor.Fixed, SoftAnchor.Learnable {
    /** Where θ₀ comes from when no tensor was set. */
    enum Reference {
        /** A copy of the parameter at first use. */
        INIT,
        /** Zeros. */
        ZERO
    }

    private final Schedule lambda;
    private final Reference to;
    private final ParameterSelector selector;
    private final String spec;
    /** θ₀ per parameter name, as Parameters so that the learnable variant can own them. */
    final Map<String, Parameter> anchors = new LinkedHashMap<>();
    /** Anchors set by the user and not yet checked against their parameter's shape. */
    private final Map<String, Boolean> unchecked = new LinkedHashMap<>();

    private SoftAnchor(Schedule lambda, Reference to, ParameterSelector selector, String spec) {
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        this.to = Objects.requireNonNull(to, "to");
        this.selector = Objects.requireNonNull(selector, "selector");
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    static SoftAnchor create(SpecArguments a) {
        Schedule lambda = a.schedule("lambda");
        Reference to = Reference.valueOf(a.text("to").toUpperCase(Locale.ROOT));
        double lr = a.number("anchor_lr");
        String spec = a.toSpec().toString();
        return lr > 0 ? new Learnable(lambda, to, lr, a.selector("on"), spec) : new Fixed(lambda, to, a.selector("on"), spec);
    }

    @Override
    public final String name() {
        return "soft-anchor";
    }

    @Override
    public final String spec() {
        return spec;
    }

    @Override
    public final Stage stage() {
        return Stage.GRADIENT;
    }

    @Override
    public final ParameterSelector selector() {
        return selector;
    }

    @Override
    public final void setAnchor(String parameterName, Tensor reference) {
        Objects.requireNonNull(parameterName, "parameterName");
        Objects.requireNonNull(reference, "reference");
        Parameter existing = anchors.get(parameterName);
        if (existing != null && existing.value().sameShape(reference)) {
            existing.value().copyFrom(reference); // keeps the own Parameter's identity for the learnable variant
            return;
        }
        anchors.put(parameterName, new Parameter(name(), parameterName, ParameterRole.OTHER, reference.copy()));
        unchecked.put(parameterName, Boolean.TRUE);
    }

    @Override
    public final Optional<Tensor> anchor(String parameterName) {
        Parameter a = anchors.get(parameterName);
        return a == null ? Optional.empty() : Optional.of(a.value().copy());
    }

    /**
     * @return λ_t/2·‖θ − θ₀‖²
     */
    @Override
    public final double penalty(Parameter p, StepContext ctx) {
        float[] v = p.value().data();
        float[] a = anchorOf(p).value().data();
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            double d = (double) v[i] - a[i];
            s += d * d;
        }
        return 0.5 * lambda.valueAt(ctx.step(), ctx.epoch()) * s;
    }

    /** Adds λ_t(θ − θ₀) to the gradient (and, when learnable, −λ_t(θ − θ₀) to θ₀'s gradient). */
    @Override
    public final void apply(Parameter p, StepContext ctx) {
        float lam = (float) lambda.valueAt(ctx.step(), ctx.epoch());
        if (lam == 0) return;
        Parameter anchor = anchorOf(p);
        float[] v = p.value().data();
        float[] a = anchor.value().data();
        float[] g = p.grad().data();
        float[] ga = learnsAnchor() ? anchor.grad().data() : null;
        for (int i = 0; i < v.length; i++) {
            float d = lam * (v[i] - a[i]);
            g[i] += d;
            if (ga != null) ga[i] -= d;
        }
    }

    abstract boolean learnsAnchor();

    private Parameter anchorOf(Parameter p) {
        Parameter a = anchors.get(p.name());
        if (a == null) {
            Tensor init = to == Reference.INIT ? p.value().copy() : Tensor.zeros(p.value().shape());
            a = new Parameter(name(), p.name(), ParameterRole.OTHER, init);
            anchors.put(p.name(), a);
        } else if (unchecked.remove(p.name()) != null && !a.value().sameShape(p.value())) {
            anchors.remove(p.name());
            throw new ShapeMismatchException("soft-anchor: anchor for " + p.name() + " has shape "
                    + Arrays.toString(a.value().shape()) + " but the parameter has " + Arrays.toString(p.value().shape()));
        }
        return a;
    }

    @Override
    public final String toString() {
        return spec;
    }

    /** The anchor is fixed: a plain GRADIENT-stage penalty. */
    public static final class Fixed extends SoftAnchor {
        Fixed(Schedule lambda, Reference to, ParameterSelector selector, String spec) {
            super(lambda, to, selector, spec);
        }

        @Override
        boolean learnsAnchor() {
            return false;
        }
    }

    /** The anchor is learned with its own rate by gradient descent on the same penalty. */
    public static final class Learnable extends SoftAnchor implements LearnableRegularizer {
        private final double anchorLr;

        Learnable(Schedule lambda, Reference to, double anchorLr, ParameterSelector selector, String spec) {
            super(lambda, to, selector, spec);
            if (!(anchorLr > 0) || Double.isInfinite(anchorLr)) {
                throw new IllegalArgumentException("soft-anchor: anchor_lr must be finite and > 0, got " + anchorLr);
            }
            this.anchorLr = anchorLr;
        }

        @Override
        boolean learnsAnchor() {
            return true;
        }

        /** @return the anchors created so far, named {@code soft-anchor.<parameter>}, role OTHER */
        @Override
        public List<Parameter> ownParameters() {
            return List.copyOf(anchors.values());
        }

        /** θ₀ ← θ₀ − anchor_lr·∇θ₀, then zeroes the anchors' gradients. */
        @Override
        public void updateOwnParameters(StepContext ctx) {
            for (Parameter a : anchors.values()) {
                ctx.kernels().axpy(a.size(), (float) -anchorLr, a.grad().data(), 0, a.value().data(), 0);
                a.zeroGrad();
            }
        }
    }
}
