package dev.regula.api.regularizer;

import dev.regula.api.model.Layer;

/**
 * A regularizer acting on activations in training mode only (dropout and its relatives). It is
 * applied by inserting a layer it creates after each hidden activation of a model (or after the
 * layers its {@code after=} key names); in {@link dev.regula.api.Mode#EVAL} that layer is the identity.
 */
public non-sealed interface ActivationRegularizer extends Regularizer {
    /**
     * Creates the layer for one insertion point.
     *
     * @param name a unique layer name; it also keys the random stream, so masks are reproducible
     * @return a new layer, the identity in EVAL mode
     */
    Layer newLayer(String name);

    /**
     * Whether to insert after the layer named {@code layerName}.
     *
     * @param layerName a layer's name
     * @param hiddenActivation true if that layer is an activation and not the model's last layer
     * @return true to insert a layer after it
     */
    default boolean insertAfter(String layerName, boolean hiddenActivation) {
        return hiddenActivation;
    }

    /**
     * Whether to insert a layer at the end of every residual branch, after the branch's last
     * layer and before the addition y = x + f(x): what drop path (stochastic depth) needs.
     *
     * @return false by default
     */
    default boolean insertAtBranchEnd() {
        return false;
    }
}
