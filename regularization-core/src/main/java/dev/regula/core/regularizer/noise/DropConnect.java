package dev.regula.core.regularizer.noise;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ForwardPerturbation;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import java.util.HashMap;
import java.util.Map;

/**
 * Drop-connect (Wan et al. 2013) in its inverted form: for one training forward/backward pass each
 * selected weight is dropped with probability p and kept weights are scaled by 1/(1 − p), i.e.
 * θ̃ = θ ⊙ m with m_i ∈ {0, 1/(1 − p)}. The mask of parameter P at a step comes from
 * {@link dev.regula.api.kernels.Kernels#dropout} with the key (seed, stream(P's name), step).
 *
 * <p>{@link #perturb} saves θ and replaces it by θ̃; {@link #restore} puts the exact saved values
 * back and maps the gradient by the chain rule, ∂L/∂θ = ∂L/∂θ̃ ⊙ m. That mapping assumes the
 * gradient holds only contributions computed at θ̃, which the pipeline guarantees (gradients are
 * zeroed before the forward pass and restore runs right after backward). Outside TRAIN mode,
 * perturb leaves θ unchanged and restore does nothing.
 */
final class DropConnect implements ForwardPerturbation {
    private final Schedule p;
    private final ParameterSelector selector;
    private final String spec;
    private final Map<String, Saved> saved = new HashMap<>();

    private record Saved(float[] value, float[] mask) {
    }

    DropConnect(SpecArguments a) {
        this.p = a.schedule("p");
        this.selector = a.selector("on");
        this.spec = a.toSpec().toString();
    }

    @Override
    public String name() {
        return "drop-connect";
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public ParameterSelector selector() {
        return selector;
    }

    /** @throws IllegalStateException if {@code p} was perturbed and not restored yet */
    @Override
    public void perturb(Parameter param, StepContext ctx) {
        if (saved.containsKey(param.name())) {
            throw new IllegalStateException("drop-connect: " + param.name() + " is already perturbed; call restore first");
        }
        float[] v = param.value().data();
        if (!ctx.training()) {
            saved.put(param.name(), new Saved(null, null));
            return;
        }
        float rate = DropProbability.check(name(), param.name(), p.valueAt(ctx.step(), ctx.epoch()));
        float[] mask = new float[v.length];
        Saved s = new Saved(v.clone(), mask);
        long key = CounterRng.key(ctx.seed(), CounterRng.stream(param.name()), ctx.step());
        ctx.kernels().dropout(v.length, rate, key, v, v, mask);
        saved.put(param.name(), s);
    }

    /** @throws IllegalStateException if {@code p} was not perturbed */
    @Override
    public void restore(Parameter param, StepContext ctx) {
        Saved s = saved.remove(param.name());
        if (s == null) {
            throw new IllegalStateException("drop-connect: restore of " + param.name() + " without a perturb before it");
        }
        if (s.value() == null) return;
        float[] v = param.value().data();
        System.arraycopy(s.value(), 0, v, 0, v.length);
        float[] g = param.grad().data();
        ctx.kernels().multiply(g.length, g, s.mask(), g);
    }

    @Override
    public String toString() {
        return spec;
    }
}
