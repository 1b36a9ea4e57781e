package dev.regula.core.regularizer.soft;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import java.util.List;

/** Publishes {@code soft-weight-sharing}, see {@link SoftWeightSharing}. */
public final class SoftWeightSharingProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public SoftWeightSharingProvider() {
        super("learned Gaussian-mixture prior on the weights: −λ·Σ log Σ_k π_k·N(θ | μ_k, σ_k²)",
                SpecSchema.of("regularizer", "soft-weight-sharing",
                        SoftKeys.strength("lambda", null, "strength λ (Ullrich et al.: 0.003/N for a loss averaged over N examples)"),
                        SpecKey.integer("components", "16", 2, 1024, "mixture components K, including the fixed zero component"),
                        SpecKey.number("pi0", "0.99", 0, false, 1, false, "fixed mixing proportion of the zero component"),
                        SoftKeys.nonNegative("init_sigma", "0", "initial σ of every component; 0 = spacing of the initial means"),
                        SoftKeys.nonNegative("init_range", "0", "means start evenly spaced over [−r, r]; 0 = max |θ| of the first parameter seen"),
                        SoftKeys.nonNegative("lr_means", "1e-4", "learning rate of the means"),
                        SoftKeys.nonNegative("lr_log_precisions", "3e-3", "learning rate of the log-precisions"),
                        SoftKeys.nonNegative("lr_logits", "3e-3", "learning rate of the mixing logits"),
                        SpecKey.choice("own_optimizer", "adam", List.of("adam", "sgd"), "how the prior's own parameters are updated"),
                        SoftKeys.nonNegative("gamma_shape", "0", "shape α of a Gamma hyperprior on the precisions; 0 = off"),
                        SoftKeys.nonNegative("gamma_rate", "0", "rate β of the Gamma hyperprior; 0 = off"),
                        SpecKey.selector("weights")),
                SoftWeightSharing::create);
    }
}
