package dev.regula.core.regularizer.constraint;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code spectral-norm(max=1.0, iterations=1, on=weights)}: scales each weight, viewed
 * as [dim0, rest], so that its largest singular value (estimated by power iteration with a
 * persistent vector) is at most max (CONSTRAINT stage). See {@link SpectralNorm}.
 */
public final class SpectralNormProvider extends BaseRegularizerProvider {
    static final String NAME = "spectral-norm";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public SpectralNormProvider() {
        super("Spectral norm: rescale each weight so its largest singular value is <= max (CONSTRAINT stage)",
                SpecSchema.of("regularizer", NAME,
                        Keys.positive("max", "1.0", "largest spectral norm allowed for the [dim0, rest] matrix"),
                        SpecKey.integer("iterations", "1", 1, 1000,
                                "power iterations per step; the vector persists across steps, so 1 suffices in training"),
                        Keys.onWeights()),
                a -> new SpectralNorm(a.number("max"), (int) a.integer("iterations"), a.selector("on"), a.toSpec().toString()));
    }
}
