package org.example.regula.plugin;

import dev.regula.api.regularizer.ElementwisePenalty;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.spec.SpecArguments;

/**
 * The smooth L1 (Huber) penalty R(θ) = λ·Σᵢ s_δ(θᵢ) with
 * <pre>
 *   s_δ(x) = x² / (2δ)      if |x| ≤ δ
 *          = |x| − δ/2      otherwise
 * </pre>
 * and gradient ∂R/∂θᵢ = λ·clamp(θᵢ/δ, −1, 1). It is the Huber function divided by δ (PyTorch's
 * {@code SmoothL1Loss} with β = δ, applied to parameters).
 *
 * <p>Why it is useful: far from zero it pulls every weight towards zero with the constant force λ
 * of L1, so it does not shrink large weights proportionally as L2 does; near zero it is quadratic,
 * so the gradient is continuous and small weights do not oscillate around zero under plain
 * (sub)gradient L1. As δ → 0 it tends to L1, as δ grows it becomes (λ/δ)/2·‖θ‖², that is L2 with
 * strength λ/δ. It acts at the {@link Stage#GRADIENT} stage, so every optimizer sees it.
 *
 * <p>{@link ElementwisePenalty} does the rest: the name and spec, the λ schedule, the selector,
 * the sum λ·Σ s_δ(θᵢ) and the gradient update. Instances are immutable and may be shared.
 */
final class SmoothL1Penalty extends ElementwisePenalty {
    private final double delta;

    /** @param args validated arguments of {@link SmoothL1Provider}'s schema: lambda, delta (finite, &gt; 0), on */
    SmoothL1Penalty(SpecArguments args) {
        super(args);
        this.delta = args.number("delta");
    }

    /** @return s_δ(x) */
    @Override
    protected double value(double x) {
        double a = Math.abs(x);
        return a <= delta ? a * a / (2 * delta) : a - delta / 2;
    }

    /** @return clamp(x/δ, −1, 1) */
    @Override
    protected double derivative(double x) {
        return Math.max(-1.0, Math.min(1.0, x / delta));
    }
}
