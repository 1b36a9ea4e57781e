package dev.regula.api.optim;

import dev.regula.api.spec.NamedProvider;

/** Service interface publishing one optimizer, e.g. {@code sgd(lr=0.05, momentum=0.9)}. */
public interface OptimizerProvider extends NamedProvider<Optimizer> {
}
