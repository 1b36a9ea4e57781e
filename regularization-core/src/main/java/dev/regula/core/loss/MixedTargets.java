package dev.regula.core.loss;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.loss.Loss;
import dev.regula.api.regularizer.LabelMix;
import dev.regula.api.tensor.Tensor;
import java.util.Objects;

/**
 * The loss of a mixed batch (mixup, CutMix): λ·L(output, labels) + (1 − λ)·L(output, other
 * labels), with the gradient λ·∂L_a + (1 − λ)·∂L_b. For the softmax cross-entropy this equals the
 * cross-entropy against the mixed one-hot target λ·e_a + (1 − λ)·e_b, the form torchvision and
 * timm use. Works for any {@link Loss} that overwrites its gradient argument.
 */
public final class MixedTargets {
    private MixedTargets() {
    }

    /**
     * @param loss the data loss
     * @param output the model output
     * @param labels the batch's own labels
     * @param mix how the batch was mixed
     * @param gradOutput receives the gradient of the mixed loss, same shape as output
     * @param kernels the kernels
     * @return the mixed loss
     */
    public static double compute(Loss loss, Tensor output, Tensor labels, LabelMix mix, Tensor gradOutput, Kernels kernels) {
        Objects.requireNonNull(mix, "mix");
        double lambda = mix.lambda();
        double a = loss.compute(output, labels, gradOutput, kernels);
        Tensor other = Tensor.zeros(output.shape());
        double b = loss.compute(output, mix.otherLabels(), other, kernels);
        float l = (float) lambda;
        float[] g = gradOutput.data();
        float[] o = other.data();
        for (int i = 0; i < g.length; i++) g[i] = l * g[i] + (1 - l) * o[i];
        return lambda * a + (1 - lambda) * b;
    }
}
