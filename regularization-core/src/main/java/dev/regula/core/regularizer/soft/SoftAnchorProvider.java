package dev.regula.core.regularizer.soft;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import java.util.List;

/** Publishes {@code soft-anchor} (L2-SP), see {@link SoftAnchor}. */
public final class SoftAnchorProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public SoftAnchorProvider() {
        super("L2-SP: λ/2·‖θ − θ₀‖² toward initial, zero or pretrained weights θ₀, optionally learnable",
                SpecSchema.of("regularizer", "soft-anchor",
                        SoftKeys.strength("lambda", "0.01", "strength λ of λ/2·‖θ − θ₀‖²"),
                        SpecKey.choice("to", "init", List.of("init", "zero"), "θ₀ when none is set: the weights at first use, or zeros"),
                        SoftKeys.nonNegative("anchor_lr", "0", "learning rate of θ₀ itself; 0 keeps θ₀ fixed"),
                        SpecKey.selector("weights")),
                SoftAnchor::create);
    }
}
