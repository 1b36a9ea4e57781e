package org.example.regula.plugin;

import static org.junit.jupiter.api.Assertions.fail;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.ParameterRegularizer;
import java.lang.reflect.Proxy;

/**
 * A plugin's own finite-difference check (a plugin cannot see core's test helpers). It compares
 * what {@link ParameterRegularizer#apply} adds to the gradient with central differences of
 * {@link ParameterRegularizer#penalty}, using the step actually taken in float32.
 */
final class FiniteDifferences {
    /** Step of the central differences. */
    static final float EPS = 1e-3f;
    /** Relative tolerance. */
    static final double RTOL = 1e-2;
    /** Absolute tolerance. */
    static final double ATOL = 1e-4;

    private FiniteDifferences() {
    }

    /**
     * A training context whose kernels throw on use: the plugin must not need core's kernels.
     *
     * @param step the global step
     * @return the context
     */
    static StepContext train(long step) {
        Kernels none = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString", "name" -> "no-kernels";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("the sample plugin must not call Kernels." + method.getName());
                });
        return new StepContext(Mode.TRAIN, step, 0, 0.1, 7L, none);
    }

    /**
     * Checks ∂penalty/∂θ against central differences at every entry; restores the value and
     * zeroes the gradient afterwards.
     *
     * @param r a GRADIENT-stage regularizer
     * @param p a parameter
     * @param ctx the step
     */
    static void checkGradient(ParameterRegularizer r, Parameter p, StepContext ctx) {
        p.zeroGrad();
        r.apply(p, ctx);
        float[] analytic = p.grad().data().clone();
        float[] v = p.value().data();
        for (int i = 0; i < v.length; i++) {
            float old = v[i];
            float up = old + EPS;
            float down = old - EPS;
            v[i] = up;
            double plus = r.penalty(p, ctx);
            v[i] = down;
            double minus = r.penalty(p, ctx);
            v[i] = old;
            double numeric = (plus - minus) / ((double) up - down);
            double diff = Math.abs(analytic[i] - numeric);
            if (diff > ATOL + RTOL * Math.max(Math.abs(analytic[i]), Math.abs(numeric))) {
                fail(r.name() + " d/d" + p.name() + "[" + i + "] at θ=" + old + ": analytic " + analytic[i]
                        + " vs finite difference " + numeric);
            }
        }
        p.zeroGrad();
    }
}
