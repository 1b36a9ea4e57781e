package dev.regula.api.model;

import dev.regula.api.spec.NamedProvider;

/**
 * Service interface publishing one model architecture, e.g. {@code mlp(hidden=256x256, activation=relu)}.
 * Declared with {@code provides dev.regula.api.model.ModelProvider with ...}.
 */
public interface ModelProvider extends NamedProvider<ModelBlueprint> {
}
