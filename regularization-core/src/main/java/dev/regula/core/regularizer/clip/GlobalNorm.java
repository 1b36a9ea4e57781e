package dev.regula.core.regularizer.clip;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import java.util.List;

/** The global L2 norm of the gradients of several parameters. */
final class GlobalNorm {
    private GlobalNorm() {
    }

    /**
     * @param parameters the parameters
     * @param k the kernels
     * @return √(Σ_p ‖∇p‖²), accumulated in double
     */
    static double of(List<Parameter> parameters, Kernels k) {
        double sum = 0;
        for (Parameter p : parameters) {
            float[] g = p.grad().data();
            sum += k.sumSquares(g.length, g, 0);
        }
        return Math.sqrt(sum);
    }
}
