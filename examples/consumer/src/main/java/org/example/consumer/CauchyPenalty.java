package org.example.consumer;

import dev.regula.api.regularizer.ElementwisePenalty;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.spec.SpecArguments;

/**
 * The Cauchy (Lorentzian) penalty R(θ) = λ·Σᵢ c²/2·log(1 + (θᵢ/c)²), with gradient
 * ∂R/∂θᵢ = λ·θᵢ / (1 + (θᵢ/c)²). Near zero it is λ/2·θ², like L2; far from zero its pull on a
 * weight fades (it tends to λc²/θ), so a few large, useful weights survive. Acts at the
 * {@link Stage#GRADIENT} stage.
 *
 * <p>{@link ElementwisePenalty}, the API's base for plugins, does the rest: the name and spec, the
 * λ schedule, the selector, the sum λ·Σ r(θᵢ) in double and the gradient update. Immutable.
 */
final class CauchyPenalty extends ElementwisePenalty {
    private final double c;

    /** @param args validated arguments of {@link CauchyProvider}'s schema: lambda, c (finite, &gt; 0), on */
    CauchyPenalty(SpecArguments args) {
        super(args);
        this.c = args.number("c");
    }

    /** @return r(x) = c²/2·log(1 + (x/c)²) */
    @Override
    protected double value(double x) {
        double r = x / c;
        return c * c / 2 * Math.log1p(r * r);
    }

    /** @return r′(x) = x / (1 + (x/c)²) */
    @Override
    protected double derivative(double x) {
        double r = x / c;
        return x / (1 + r * r);
    }
}
