package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code flip-shift(flip=0.5, shift=2, fill=min)}, see {@link FlipShift}. */
public final class FlipShiftProvider extends BaseRegularizerProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public FlipShiftProvider() {
        super("image augmentation: left-right flip with probability flip, random shift by up to shift pixels "
                        + "(batch assembly, training only, image inputs)",
                SpecSchema.of("regularizer", FlipShift.NAME,
                        SpecKey.number("flip", "0.5", 0, 1, "probability of a left-right mirror"),
                        SpecKey.integer("shift", "2", 0, 1 << 10, "largest shift in pixels, each axis uniform in [-shift, shift]"),
                        BatchProviders.fill(), Images.key()),
                FlipShift::new);
    }
}
