package dev.regula.core.optim;

import dev.regula.api.spec.SpecSchema;

/**
 * Publishes {@code adam(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0, decay_on=all)}:
 * Adam with bias correction, as PyTorch; {@code weight_decay} is PyTorch's coupled decay
 * g ← g + λ·θ (see {@link CoupledWeightDecay}), for decoupled decay use {@code adamw}.
 */
public final class AdamProvider extends BaseOptimizerProvider {
    /** Creates the provider. */
    public AdamProvider() {
        super("Adam (Kingma & Ba) with bias correction, as PyTorch Adam",
                SpecSchema.of("optimizer", "adam",
                        lr("1e-3"),
                        unitInterval("beta1", "0.9", "decay rate of the first moment"),
                        unitInterval("beta2", "0.999", "decay rate of the second moment"),
                        eps("1e-8"),
                        coupledWeightDecay(),
                        decayOn("all")),
                args -> new Adam("adam", canonicalSpec(args), args.schedule("lr"), args.number("beta1"),
                        args.number("beta2"), args.number("eps"), impliedCoupledDecay(args)));
    }
}
