package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code rotate(degrees=10, fill=min)}, see {@link Rotate}. */
public final class RotateProvider extends BaseRegularizerProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public RotateProvider() {
        super("image augmentation: rotation about the centre by an angle uniform in [-degrees, degrees], bilinear "
                        + "(batch assembly, training only, image inputs)",
                SpecSchema.of("regularizer", Rotate.NAME,
                        SpecKey.number("degrees", "10", 0, Rotate.MAX_DEGREES, "largest rotation in degrees, either way"),
                        SpecKey.choice("fill", "min", java.util.List.of("min", "zero"),
                                "pixels rotated in from outside: min = the example's smallest value (background), zero = 0"),
                        Images.key()),
                Rotate::new);
    }
}
