package dev.regula.api.regularizer;

/**
 * An {@link ActivationRegularizer} whose layers add a penalty on the activations they see to the
 * training objective (Keras' {@code activity_regularizer}): in TRAIN mode each layer passes its
 * input through unchanged, records R(a) and adds ∂R/∂a to the gradient flowing back. In EVAL mode
 * the layers are the identity and record nothing.
 */
public interface ActivityRegularizer extends ActivationRegularizer {
    /**
     * The penalty for reporting: the sum over this regularizer's layers of R(a) at their last
     * TRAIN forward pass (0 before the first one).
     *
     * @return Σ R(a), ≥ 0
     */
    double lastPenalty();
}
