package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code cutout(size=8, p=1, value=0)}, see {@link Cutout}. */
public final class CutoutProvider extends BaseRegularizerProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public CutoutProvider() {
        super("Cutout (DeVries & Taylor 2017): a size x size square, centre anywhere, set to value "
                        + "(batch assembly, training only, image inputs)",
                SpecSchema.of("regularizer", Cutout.NAME,
                        SpecKey.integer("size", "8", 1, 1 << 16, "side of the square in pixels"),
                        BatchProviders.probability("1", "cut"),
                        BatchProviders.value(), Images.key()),
                Cutout::new);
    }
}
