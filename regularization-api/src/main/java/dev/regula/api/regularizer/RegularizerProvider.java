package dev.regula.api.regularizer;

import dev.regula.api.spec.NamedProvider;

/**
 * Service interface publishing one regularizer. Declare implementations with
 * {@code provides dev.regula.api.regularizer.RegularizerProvider with ...} in module-info and in
 * {@code META-INF/services/dev.regula.api.regularizer.RegularizerProvider} for class-path users.
 */
public interface RegularizerProvider extends NamedProvider<Regularizer> {
}
