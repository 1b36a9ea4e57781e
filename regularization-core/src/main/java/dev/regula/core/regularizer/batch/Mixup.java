package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;

/**
 * mixup (Zhang et al. 2018): x_i ← λ·x_i + (1 − λ)·x_π(i) and the loss
 * λ·L(y_i) + (1 − λ)·L(y_π(i)), λ ~ Beta(α, α) per batch. Works on any feature shape.
 */
final class Mixup extends LabelMixing {
    static final String NAME = "mixup";

    Mixup(SpecArguments a) {
        super(NAME, a);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    double mix(Tensor features, float[] original, int[] perm, double lambda, Draws d) {
        float[] x = features.data();
        int n = features.rowSize();
        float l = (float) lambda;
        for (int i = 0; i < perm.length; i++) {
            int a = i * n;
            int b = perm[i] * n;
            for (int j = 0; j < n; j++) x[a + j] = l * original[a + j] + (1 - l) * original[b + j];
        }
        return lambda;
    }
}
