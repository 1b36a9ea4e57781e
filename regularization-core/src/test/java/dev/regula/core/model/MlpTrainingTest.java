package dev.regula.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.loss.Loss;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.optim.Optimizer;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pieces fit together: an mlp learns XOR, which no linear model can. */
class MlpTrainingTest {
    @ParameterizedTest
    @ValueSource(strings = {"adam(lr=0.05)", "sgd(lr=0.2, momentum=0.9)", "rmsprop(lr=0.01)", "adamw(lr=0.05)"})
    void learnsXor(String optimizerSpec) {
        Model model = Models.installed().parse("mlp(hidden=16)").build(new int[] {2}, 2, 3);
        Optimizer optimizer = Optimizers.create(optimizerSpec);
        Loss loss = new SoftmaxCrossEntropy();
        ScalarKernels k = new ScalarKernels();
        Tensor x = Tensor.of(new float[] {-1, -1, -1, 1, 1, -1, 1, 1}, 4, 2);
        Tensor y = Tensor.of(new float[] {1, 0, 0, 1}, 4);
        Tensor grad = Tensor.zeros(4, 2);
        double last = Double.NaN;
        for (int step = 0; step < 300; step++) {
            StepContext ctx = new StepContext(Mode.TRAIN, step, 0, optimizer.learningRate().valueAt(step, 0), 1, k);
            model.parameters().forEach(Parameter::zeroGrad);
            last = loss.compute(model.forward(x, ctx), y, grad, k);
            model.backward(grad, ctx);
            optimizer.step(model.parameters(), ctx);
            for (var r : optimizer.impliedRegularizers()) {
                for (Parameter p : model.parameters()) if (r.selector().test(p)) r.apply(p, ctx);
            }
        }
        assertTrue(last < 0.05, optimizerSpec + ": final loss " + last);
        Tensor logits = model.forward(x, StepContext.eval(k));
        for (int i = 0; i < 4; i++) {
            int predicted = logits.get(i, 1) > logits.get(i, 0) ? 1 : 0;
            assertTrue(predicted == (int) y.get(i), optimizerSpec + ": example " + i + " misclassified");
        }
    }
}
