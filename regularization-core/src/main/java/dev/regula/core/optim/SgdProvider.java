package dev.regula.core.optim;

import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;

/** Publishes {@code sgd(lr=0.01, momentum=0, nesterov=false)}: SGD with optional (Nesterov) momentum, as PyTorch. */
public final class SgdProvider extends BaseOptimizerProvider {
    /** Creates the provider. */
    public SgdProvider() {
        super("stochastic gradient descent with optional (Nesterov) momentum, as PyTorch SGD",
                SpecSchema.of("optimizer", "sgd",
                        lr("0.01"),
                        unitInterval("momentum", "0", "momentum factor μ (0 = plain SGD)"),
                        SpecKey.bool("nesterov", false, "use Nesterov momentum (needs momentum > 0)")),
                args -> {
                    double momentum = args.number("momentum");
                    boolean nesterov = args.bool("nesterov");
                    if (nesterov && momentum == 0) {
                        throw new SpecException("optimizer 'sgd': nesterov=true needs momentum > 0; allowed: momentum in (0, 1)"
                                + " with nesterov=true, or nesterov=false");
                    }
                    return new Sgd(args.toSpec().toString(), args.schedule("lr"), momentum, nesterov);
                });
    }
}
