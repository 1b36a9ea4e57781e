package dev.regula.core.model;

import dev.regula.api.model.ModelBlueprint;
import dev.regula.api.model.ModelProvider;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecSchema;
import java.util.Objects;

/**
 * Publishes {@code linear()}: the linear model y = W·x + b, an {@code mlp} with no hidden layer
 * (a {@code flatten} layer for inputs of rank &gt; 1, then one dense layer {@code out}). With
 * {@code --loss mse} it is linear (or, on polynomial features, polynomial) regression, so
 * {@code l2} gives ridge, {@code l1} or {@code l1-proximal} the lasso and {@code elastic-net} the
 * elastic net; with cross-entropy it is multinomial logistic regression.
 */
public final class LinearModelProvider implements ModelProvider {
    private final SpecSchema schema = SpecSchema.of("model", "linear");

    /** Creates the provider. */
    public LinearModelProvider() {
    }

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public String description() {
        return "linear model y = W x + b (an mlp with no hidden layer): linear/logistic regression";
    }

    @Override
    public SpecSchema schema() {
        return schema;
    }

    @Override
    public ModelBlueprint create(Spec spec) {
        Objects.requireNonNull(spec, "spec");
        if (!spec.name().equals(name())) {
            throw new SpecException("model provider 'linear' cannot create '" + spec.name() + "'");
        }
        schema.bind(spec);
        return (inputShape, outputs, seed) -> MlpModelProvider.build(new int[0], "relu", inputShape, outputs, seed);
    }
}
