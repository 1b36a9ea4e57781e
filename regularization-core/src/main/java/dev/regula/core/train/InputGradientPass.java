package dev.regula.core.train;

import dev.regula.api.PluginException;
import dev.regula.api.RegulaException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.InputGradientRegularizer;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.layer.ParameterBackward;
import java.util.List;
import java.util.function.ToDoubleBiFunction;

/**
 * The extra pass of an {@link InputGradientRegularizer}, run by the trainer in place of the plain
 * backward: a full backward of the step's loss gradient gives ∇_θL and g = ∇ₓL; a second forward
 * at x + h·g (same step, so the same dropout masks) and backward give ∇_θL(x + h·g); the
 * parameter gradients become ∇_θL + λ·B·(∇_θL(x + h·g) − ∇_θL)/h. Layers that keep statistics
 * in TRAIN mode (BatchNorm's running averages) see the second forward too.
 */
final class InputGradientPass {
    private InputGradientPass() {
    }

    /**
     * @param r the regularizer
     * @param model the model, after its TRAIN forward of {@code x}
     * @param parameters the model's trainable parameters, gradients zeroed before the forward
     * @param x the batch
     * @param gradOutput ∂objective/∂output of that forward
     * @param loss writes ∂objective/∂output of a new output into its second argument
     * @param ctx the step
     * @return R = λ/2·B·‖∇ₓL‖², the penalty at this step
     * @throws PluginException if the regularizer throws or gives a λ or step out of range
     */
    static double run(InputGradientRegularizer r, Model model, List<Parameter> parameters, Tensor x, Tensor gradOutput,
                      ToDoubleBiFunction<Tensor, Tensor> loss, StepContext ctx) {
        Tensor g = model.backward(gradOutput, ctx).copy();
        double lambda;
        double step;
        try {
            lambda = r.strength(ctx);
            step = r.step();
        } catch (RegulaException e) {
            throw e;
        } catch (RuntimeException e) {
            throw RegularizationPipeline.failed(r, "strength/step", null, ctx, e);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda) || !(step > 0) || Double.isInfinite(step)) {
            throw new PluginException("regularizer " + r.spec() + " (" + PluginException.origin(r.getClass()) + ") gave lambda = "
                    + lambda + " and step = " + step + " at step " + ctx.step() + "; allowed: lambda finite and >= 0, step finite and > 0");
        }
        int batch = x.dim(0);
        double norm2 = 0;
        for (float v : g.data()) norm2 += (double) v * v;
        double penalty = 0.5 * lambda * batch * norm2;
        if (lambda == 0 || norm2 == 0) return penalty;
        double h = step / Math.sqrt(norm2);
        float[][] base = new float[parameters.size()][];
        for (int i = 0; i < base.length; i++) {
            base[i] = parameters.get(i).grad().data().clone();
            parameters.get(i).zeroGrad();
        }
        Tensor shifted = x.copy();
        float[] s = shifted.data();
        float[] gd = g.data();
        for (int i = 0; i < s.length; i++) s[i] += (float) (h * gd[i]);
        Tensor out = model.forward(shifted, ctx);
        Tensor gradShifted = Tensor.zeros(out.shape());
        loss.applyAsDouble(out, gradShifted);
        ParameterBackward.backwardParametersOf(model, gradShifted, ctx);
        float scale = (float) (lambda * batch / h);
        for (int i = 0; i < base.length; i++) {
            float[] g0 = base[i];
            float[] g1 = parameters.get(i).grad().data();
            for (int j = 0; j < g1.length; j++) g1[j] = g0[j] + scale * (g1[j] - g0[j]);
        }
        return penalty;
    }
}
