package dev.regula.spark;

import java.io.Serializable;
import java.util.Map;

/**
 * What the driver broadcasts at every synchronisation: the parameters, the layers' non-trainable
 * state ({@code Layer.state()}: BatchNorm's running statistics), and for local SGD the
 * optimizer state and the driver-owned regularizer state (anchors θ₀ and learnable regularizers'
 * own parameters), keyed by the regularizer's position in the configuration.
 *
 * @param parameters the model's parameter values, in {@code Model.parameters()} order
 * @param layerState the model's layer state by name ({@code Model.state()}), empty for stateless models
 * @param optimizerState the optimizer's state (empty for gradient averaging: workers do not step)
 * @param anchors per anchored regularizer, θ₀ by parameter name
 * @param ownParameters per learnable regularizer, its own parameters' values by name
 */
record Snapshot(float[][] parameters, Map<String, float[]> layerState, Map<String, Array> optimizerState, Map<Integer, Map<String, Array>> anchors,
                Map<Integer, Map<String, float[]>> ownParameters) implements Serializable {
}
