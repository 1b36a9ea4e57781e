package dev.regula.spark;

import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import java.io.Serializable;
import java.util.Objects;

/**
 * How every Spark worker (and the driver) builds its copy of the model: a serialisable recipe,
 * shipped to the executors inside the training configuration, never a built {@link Model}
 * (models hold buffers and are not serialisable). Every copy is built with the same seed, so the
 * driver and the workers start from identical weights; the driver's weights are then broadcast at
 * every synchronisation anyway.
 *
 * <p>Implementations must be {@link Serializable} with all they capture: {@link SparkTrainer}
 * serialises each source before it starts and names the one that cannot be.
 */
@FunctionalInterface
public interface ModelSource extends Serializable {
    /**
     * @param inputShape shape of one example
     * @param outputs number of outputs (classes, or targets)
     * @param seed seed of the initialisation
     * @return a new model
     */
    Model build(int[] inputShape, int outputs, long seed);

    /** @return a short description for messages (the spec, or the class name) */
    default String describe() {
        return getClass().getName();
    }

    /**
     * A model from spec text, resolved through {@code ServiceLoader} on each JVM.
     *
     * @param spec e.g. {@code mlp(hidden=256x256)} or {@code cnn(channels=8x16)}
     * @return the source
     * @throws dev.regula.api.spec.SpecException if the spec is not valid here (checked at once, on the driver)
     */
    static ModelSource spec(String spec) {
        Objects.requireNonNull(spec, "spec");
        Models.installed().parse(spec);
        return new SpecModel(spec);
    }

    /** A model given as spec text. @param spec the spec */
    record SpecModel(String spec) implements ModelSource {
        @Override
        public Model build(int[] inputShape, int outputs, long seed) {
            return Models.installed().parse(spec).build(inputShape, outputs, seed);
        }

        @Override
        public String describe() {
            return spec;
        }
    }
}
