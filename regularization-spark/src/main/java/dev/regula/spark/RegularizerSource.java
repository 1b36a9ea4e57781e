package dev.regula.spark;

import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.Regularizers;
import java.io.Serializable;
import java.util.Objects;

/**
 * How every Spark worker (and the driver) creates its instance of one regularizer: a serialisable
 * recipe, since regularizers hold per-run state and are not serialisable themselves. Each JVM
 * creates fresh instances; state that must be shared (anchors, a learnable prior's parameters) is
 * owned by the driver and broadcast (see {@link SparkTrainer}).
 *
 * <p>Implementations must be {@link Serializable} with all they capture: {@link SparkTrainer}
 * serialises each source before it starts and names the one that cannot be.
 */
@FunctionalInterface
public interface RegularizerSource extends Serializable {
    /** @return a new regularizer instance */
    Regularizer create();

    /** @return a short description for messages (the spec, or the class name) */
    default String describe() {
        return getClass().getName();
    }

    /**
     * A regularizer from spec text, resolved through {@code ServiceLoader} on each JVM (plugins
     * must therefore be on the executors' class path too, e.g. in the application jar).
     *
     * @param spec e.g. {@code l2(lambda=1e-4)}
     * @return the source
     * @throws dev.regula.api.spec.SpecException if the spec is not valid here (checked at once, on the driver)
     */
    static RegularizerSource spec(String spec) {
        Objects.requireNonNull(spec, "spec");
        Regularizers.create(spec);
        return new SpecRegularizer(spec);
    }

    /** A regularizer given as spec text. @param spec the spec */
    record SpecRegularizer(String spec) implements RegularizerSource {
        @Override
        public Regularizer create() {
            return Regularizers.create(spec);
        }

        @Override
        public String describe() {
            return spec;
        }
    }
}
