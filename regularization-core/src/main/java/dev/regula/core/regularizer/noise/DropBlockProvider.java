package dev.regula.core.regularizer.noise;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/**
 * Publishes {@code drop-block}, see {@link DropBlock}. Its {@code after} default,
 * {@code relu?|relu??}, is the convolution activations of the {@code cnn} model (relu1, relu2, …),
 * leaving out its rank-2 {@code relu_dense}.
 */
public final class DropBlockProvider extends BaseRegularizerProvider {
    /** The default insertion glob: the cnn model's convolution activations. */
    static final String CONV_ACTIVATIONS = "relu?|relu??";

    /** Creates the provider (for ServiceLoader). */
    public DropBlockProvider() {
        super("drops block x block squares of each channel of [batch, channels, height, width] activations (Ghiasi et al. 2018)",
                SpecSchema.of("regularizer", "drop-block",
                        NoiseKeys.dropProbability("0.1"),
                        SpecKey.integer("block", "3", 1, 64, "side of the dropped squares, clamped to the feature map"),
                        SpecKey.text("after", CONV_ACTIVATIONS,
                                "where to insert: a glob on layer names (default: the cnn's convolution activations), or 'hidden'")),
                DropBlock::new);
    }
}
