package dev.regula.core.optim;

import dev.regula.api.spec.SpecSchema;

/**
 * Publishes {@code rmsprop(lr=0.01, alpha=0.99, eps=1e-8, momentum=0, weight_decay=0, decay_on=all)}:
 * RMSProp, as PyTorch (not centered), with PyTorch's coupled {@code weight_decay} (see {@link CoupledWeightDecay}).
 */
public final class RmsPropProvider extends BaseOptimizerProvider {
    /** Creates the provider. */
    public RmsPropProvider() {
        super("RMSProp with optional momentum, as PyTorch RMSprop (not centered)",
                SpecSchema.of("optimizer", "rmsprop",
                        lr("0.01"),
                        unitInterval("alpha", "0.99", "decay rate of the squared-gradient average"),
                        eps("1e-8"),
                        unitInterval("momentum", "0", "momentum factor μ (0 = none)"),
                        coupledWeightDecay(),
                        decayOn("all")),
                args -> new RmsProp(canonicalSpec(args), args.schedule("lr"), args.number("alpha"),
                        args.number("eps"), args.number("momentum"), impliedCoupledDecay(args)));
    }
}
