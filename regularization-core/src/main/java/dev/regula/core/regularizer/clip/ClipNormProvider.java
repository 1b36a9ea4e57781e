package dev.regula.core.regularizer.clip;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code clip-norm(max)}: rescales all gradients together so that their global L2 norm
 * is at most {@code max} (CLIP stage). See {@link ClipNorm}.
 */
public final class ClipNormProvider extends BaseRegularizerProvider {
    static final String NAME = "clip-norm";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public ClipNormProvider() {
        super("Global gradient-norm clipping: scale all gradients by max/norm when their joint L2 norm exceeds max (CLIP stage)",
                SpecSchema.of("regularizer", NAME,
                        Keys.positive("max", null, "largest global L2 norm of the gradients")),
                a -> new ClipNorm(a.number("max"), a.toSpec().toString()));
    }
}
