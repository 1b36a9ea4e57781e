package dev.regula.core.optim;

import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecSchema;
import dev.regula.api.spec.SpecValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes {@code adamw(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01, decay_on=weights)}:
 * the Adam update plus an implied decoupled weight decay, on weights only by default (PyTorch's
 * {@code AdamW} decays every parameter of a group: {@code decay_on=all} is that), which the pipeline runs at its
 * DECOUPLED stage, on the pre-update weights: θ_t = θ_{t−1} − η·u_t − η·λ·θ_{t−1}, as PyTorch's
 * {@code AdamW} (which multiplies by 1 − η·λ just before its Adam update, as Regula does).
 */
public final class AdamWProvider extends BaseOptimizerProvider {
    /** Leaves {@code decay_on} out of the canonical spec at its default, as specs written before it had. */
    private static String canonicalDecoupledSpec(SpecArguments args) {
        Spec spec = args.toSpec();
        if (!args.text("decay_on").equals("weights")) return spec.toString();
        Map<String, SpecValue> kept = new LinkedHashMap<>(spec.arguments());
        kept.remove("decay_on");
        return new Spec(spec.name(), kept).toString();
    }

    /** Creates the provider. */
    public AdamWProvider() {
        super("Adam with decoupled weight decay on weights (Loshchilov & Hutter), as PyTorch AdamW",
                SpecSchema.of("optimizer", "adamw",
                        lr("1e-3"),
                        unitInterval("beta1", "0.9", "decay rate of the first moment"),
                        unitInterval("beta2", "0.999", "decay rate of the second moment"),
                        eps("1e-8"),
                        nonNegativeSchedule("weight_decay", "0.01",
                                "decoupled decay λ: θ ← θ − η_t·λ·θ_{t−1}, from the pre-update weights (number or schedule)"),
                        decayOn("weights")),
                args -> new Adam("adamw", canonicalDecoupledSpec(args), args.schedule("lr"), args.number("beta1"),
                        args.number("beta2"), args.number("eps"),
                        List.of(new DecoupledDecay(args.schedule("weight_decay"), args.selector("decay_on")))));
    }
}
