package dev.regula.core.optim;

import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;

/**
 * Publishes {@code sgd(lr=0.01, momentum=0, nesterov=false, weight_decay=0, decay_on=all)}: SGD with
 * optional (Nesterov) momentum, as PyTorch, and PyTorch's coupled {@code weight_decay}
 * g ← g + λ·θ on every parameter unless {@code decay_on} narrows it (see {@link CoupledWeightDecay}).
 */
public final class SgdProvider extends BaseOptimizerProvider {
    /** Creates the provider. */
    public SgdProvider() {
        super("stochastic gradient descent with optional (Nesterov) momentum, as PyTorch SGD",
                SpecSchema.of("optimizer", "sgd",
                        lr("0.01"),
                        unitInterval("momentum", "0", "momentum factor μ (0 = plain SGD)"),
                        SpecKey.bool("nesterov", false, "use Nesterov momentum (needs momentum > 0)"),
                        coupledWeightDecay(),
                        decayOn("all")),
                args -> {
                    double momentum = args.number("momentum");
                    boolean nesterov = args.bool("nesterov");
                    if (nesterov && momentum == 0) {
                        throw new SpecException("optimizer 'sgd': nesterov=true needs momentum > 0; allowed: momentum in (0, 1)"
                                + " with nesterov=true, or nesterov=false");
                    }
                    return new Sgd(canonicalSpec(args), args.schedule("lr"), momentum, nesterov, impliedCoupledDecay(args));
                });
    }
}
