package dev.regula.core.loss;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/** Shape checks shared by the losses; messages name the loss and both shapes. */
final class Losses {
    private Losses() {
    }

    static void requireSameShape(String loss, Tensor output, Tensor other, String what) {
        if (!output.sameShape(other)) {
            throw new ShapeMismatchException(loss + ": " + what + " has shape " + Arrays.toString(other.shape())
                    + " but the output has shape " + Arrays.toString(output.shape()) + "; they must be equal");
        }
    }

    static void requireNonEmpty(String loss, Tensor output) {
        if (output.rank() < 1 || output.size() == 0) {
            throw new ShapeMismatchException(loss + ": the output " + Arrays.toString(output.shape())
                    + " is empty or has no batch dimension; expected [batch, ...] with batch >= 1");
        }
    }
}
