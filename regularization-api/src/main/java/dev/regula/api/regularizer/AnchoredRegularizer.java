package dev.regula.api.regularizer;

import dev.regula.api.tensor.Tensor;
import java.util.Map;
import java.util.Optional;

/**
 * A regularizer that pulls parameters toward reference values θ₀, such as {@code soft-anchor}
 * (L2-SP). By default the references are captured from the parameters themselves; this interface
 * lets a user set them from other tensors, typically pretrained weights:
 *
 * <pre>{@code
 * AnchoredRegularizer sp = (AnchoredRegularizer) Regularizers.create("soft-anchor(lambda=0.01)");
 * sp.setAnchors(pretrainedWeightsByParameterName);
 * }</pre>
 */
public interface AnchoredRegularizer extends ParameterRegularizer {
    /**
     * Sets the reference of one parameter, replacing a captured or earlier one. The tensor is
     * copied; its shape is checked against the parameter's when the parameter is first used, with a
     * {@link dev.regula.api.ShapeMismatchException} naming the parameter.
     *
     * @param parameterName the parameter's full name, e.g. {@code dense1.weight}
     * @param reference θ₀ for that parameter
     */
    void setAnchor(String parameterName, Tensor reference);

    /**
     * Sets several references at once, see {@link #setAnchor(String, Tensor)}.
     *
     * @param references θ₀ keyed by parameter name
     */
    default void setAnchors(Map<String, Tensor> references) {
        references.forEach(this::setAnchor);
    }

    /**
     * @param parameterName a parameter's full name
     * @return a copy of its current reference, empty if none was set or captured yet
     */
    Optional<Tensor> anchor(String parameterName);
}
