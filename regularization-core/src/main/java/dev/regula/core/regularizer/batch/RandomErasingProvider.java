package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code random-erasing(p=0.5, scale_min=0.02, scale_max=0.33, ratio_min=0.3, ratio_max=3.3, value=0)}, see {@link RandomErasing}. */
public final class RandomErasingProvider extends BaseRegularizerProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public RandomErasingProvider() {
        super("random erasing (Zhong et al. 2020, torchvision RandomErasing): a random rectangle set to value "
                        + "(batch assembly, training only, image inputs)",
                SpecSchema.of("regularizer", RandomErasing.NAME,
                        BatchProviders.probability("0.5", "erased"),
                        SpecKey.number("scale_min", "0.02", 0, false, 1, true, "smallest erased share of the image area"),
                        SpecKey.number("scale_max", "0.33", 0, false, 1, true, "largest erased share of the image area"),
                        SpecKey.number("ratio_min", "0.3", 0, false, Double.POSITIVE_INFINITY, false, "smallest aspect ratio h/w"),
                        SpecKey.number("ratio_max", "3.3", 0, false, Double.POSITIVE_INFINITY, false, "largest aspect ratio h/w"),
                        BatchProviders.value(), Images.key()),
                RandomErasing::new);
    }
}
