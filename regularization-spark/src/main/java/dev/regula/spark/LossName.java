package dev.regula.spark;

import dev.regula.api.loss.Loss;
import dev.regula.core.loss.HuberLoss;
import dev.regula.core.loss.MeanSquaredError;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import java.util.Locale;

/** The data losses a Spark run can name, as {@code regula train --loss} does. */
final class LossName {
    private LossName() {
    }

    /** @return whether the loss takes class indices (cross-entropy) rather than real targets */
    static boolean classification(String name) {
        return name.toLowerCase(Locale.ROOT).equals("cross-entropy");
    }

    static Loss create(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cross-entropy" -> new SoftmaxCrossEntropy(0);
            case "mse" -> new MeanSquaredError();
            case "huber" -> new HuberLoss(1);
            default -> throw new IllegalArgumentException("loss must be cross-entropy, mse or huber, got '" + name + "'");
        };
    }
}
