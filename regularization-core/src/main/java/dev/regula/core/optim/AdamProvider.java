package dev.regula.core.optim;

import dev.regula.api.spec.SpecSchema;
import java.util.List;

/** Publishes {@code adam(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)}: Adam with bias correction, as PyTorch. */
public final class AdamProvider extends BaseOptimizerProvider {
    /** Creates the provider. */
    public AdamProvider() {
        super("Adam (Kingma & Ba) with bias correction, as PyTorch Adam",
                SpecSchema.of("optimizer", "adam",
                        lr("1e-3"),
                        unitInterval("beta1", "0.9", "decay rate of the first moment"),
                        unitInterval("beta2", "0.999", "decay rate of the second moment"),
                        eps("1e-8")),
                args -> new Adam("adam", args.toSpec().toString(), args.schedule("lr"), args.number("beta1"),
                        args.number("beta2"), args.number("eps"), List.of()));
    }
}
