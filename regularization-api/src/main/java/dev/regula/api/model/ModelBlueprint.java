package dev.regula.api.model;

/**
 * A model architecture not yet bound to data: built once the input shape and number of
 * outputs are known.
 */
@FunctionalInterface
public interface ModelBlueprint {
    /**
     * @param inputShape shape of one example, e.g. {@code [784]} or {@code [1, 28, 28]}
     * @param outputs number of outputs (classes)
     * @param seed seed of the weight initialisation
     * @return a new, initialised model
     */
    Model build(int[] inputShape, int outputs, long seed);
}
