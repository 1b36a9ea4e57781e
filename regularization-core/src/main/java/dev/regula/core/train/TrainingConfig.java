package dev.regula.core.train;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.loss.Loss;
import dev.regula.api.optim.Optimizer;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.Regularizers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything a {@link Trainer} needs besides the model and the data. Built with {@link #builder()};
 * regularizers and optimizers may be given as spec text, resolved through ServiceLoader.
 *
 * <p>Optimizers and some regularizers hold per-run state (moments, masks, anchors), so a
 * configuration belongs to one Trainer: call {@link Builder#build()} again for another run (specs
 * given as text are instantiated afresh by every build).
 *
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.builder()
 *     .optimizer("sgd(lr=0.05, momentum=0.9)")
 *     .regularizer("l2(lambda=1e-4)")
 *     .regularizer("dropout(p=0.2)")
 *     .loss(new SoftmaxCrossEntropy(0))
 *     .epochs(10).batchSize(128).seed(42)
 *     .build();
 * }</pre>
 *
 * @param optimizer the optimizer (required)
 * @param loss the data loss (required)
 * @param regularizers regularizers in the order to apply within a stage
 * @param epochs number of epochs, ≥ 1
 * @param batchSize mini-batch size, ≥ 1
 * @param seed seed of shuffling and of every random mask
 * @param shuffle whether to shuffle the training set each epoch
 * @param kernels the compute kernels
 * @param nanPolicy what to do on NaN/Inf
 * @param callbacks training callbacks in call order
 */
public record TrainingConfig(Optimizer optimizer, Loss loss, List<Regularizer> regularizers, int epochs, int batchSize,
                             long seed, boolean shuffle, Kernels kernels, NanPolicy nanPolicy,
                             List<TrainingCallback> callbacks) {
    /** Checks the components. */
    public TrainingConfig {
        Objects.requireNonNull(optimizer, "optimizer is required, e.g. sgd(lr=0.05, momentum=0.9)");
        Objects.requireNonNull(loss, "loss is required, e.g. new SoftmaxCrossEntropy(0)");
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(nanPolicy, "nanPolicy");
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        regularizers = List.copyOf(regularizers);
        callbacks = List.copyOf(callbacks);
    }

    /** @return a builder with defaults: 10 epochs, batch 128, seed 42, shuffling, STOP on NaN, best kernels, 1 thread */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder initialised from this configuration, for another run: the optimizer and every
     * regularizer whose spec text the installed providers create again (an instance of the same
     * class) are created afresh by each {@link Builder#build()}, so that the new run shares no
     * state with this one; any other instance (a hand-made one without a provider) and every
     * {@link dev.regula.api.regularizer.AnchoredRegularizer} (whose anchors, such as pretrained
     * weights, its spec does not hold) is passed on as it is. The loss, kernels and callbacks are
     * passed on as they are.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder().loss(loss).epochs(epochs).batchSize(batchSize).seed(seed)
                .shuffle(shuffle).kernels(kernels).nanPolicy(nanPolicy);
        b.optimizer = afresh(optimizer, optimizer.spec(), Optimizers::create);
        for (Regularizer r : regularizers) {
            // an anchored regularizer's anchors may be the user's (L2-SP's pretrained weights), which its spec does not hold
            b.regularizers.add(r instanceof dev.regula.api.regularizer.AnchoredRegularizer ? () -> r : afresh(r, r.spec(), Regularizers::create));
        }
        callbacks.forEach(b::callback);
        return b;
    }

    /** Creates {@code instance} again from its spec where that gives the same class; else the instance itself. */
    private static <T> Supplier<T> afresh(T instance, String spec, java.util.function.Function<String, T> create) {
        try {
            if (spec != null && create.apply(spec).getClass() == instance.getClass()) return () -> create.apply(spec);
        } catch (RuntimeException notCreatable) {
            // a hand-made instance whose spec no provider takes: passed on as it is
        }
        return () -> instance;
    }

    /** Builder of {@link TrainingConfig}. Not thread-safe. */
    public static final class Builder {
        private Supplier<Optimizer> optimizer;
        private Loss loss;
        private final List<Supplier<Regularizer>> regularizers = new ArrayList<>();
        private int epochs = 10;
        private int batchSize = 128;
        private long seed = 42;
        private boolean shuffle = true;
        private Kernels kernels;
        private int threads = 1;
        private NanPolicy nanPolicy = NanPolicy.STOP;
        private final List<TrainingCallback> callbacks = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param o the optimizer instance (stateful: it belongs to the one Trainer built from this)
         * @return this
         */
        public Builder optimizer(Optimizer o) {
            Objects.requireNonNull(o, "optimizer");
            this.optimizer = () -> o;
            return this;
        }

        /**
         * @param spec optimizer spec text, e.g. {@code adam(lr=1e-3)}; validated now, and a fresh
         *     optimizer is created by every {@link #build()}
         * @return this
         */
        public Builder optimizer(String spec) {
            Optimizers.create(spec);
            this.optimizer = () -> Optimizers.create(spec);
            return this;
        }

        /** @param l the data loss @return this */
        public Builder loss(Loss l) {
            this.loss = l;
            return this;
        }

        /**
         * @param r a regularizer instance to add (may be stateful: it belongs to the one Trainer built from this)
         * @return this
         */
        public Builder regularizer(Regularizer r) {
            Objects.requireNonNull(r, "regularizer");
            regularizers.add(() -> r);
            return this;
        }

        /**
         * @param spec regularizer spec text to add, e.g. {@code l2(lambda=1e-4)}; validated now, and
         *     a fresh regularizer is created by every {@link #build()}
         * @return this
         */
        public Builder regularizer(String spec) {
            Regularizers.create(spec);
            regularizers.add(() -> Regularizers.create(spec));
            return this;
        }

        /** @param n epochs @return this */
        public Builder epochs(int n) {
            this.epochs = n;
            return this;
        }

        /** @param n batch size @return this */
        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /** @param s seed @return this */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** @param s whether to shuffle @return this */
        public Builder shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /** @param k kernels to use instead of the selected ones @return this */
        public Builder kernels(Kernels k) {
            this.kernels = k;
            return this;
        }

        /** @param n threads for the selected kernels, ≥ 1 @return this */
        public Builder threads(int n) {
            if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
            this.threads = n;
            return this;
        }

        /** @param p the NaN policy @return this */
        public Builder nanPolicy(NanPolicy p) {
            this.nanPolicy = p;
            return this;
        }

        /** @param c a callback to add @return this */
        public Builder callback(TrainingCallback c) {
            callbacks.add(Objects.requireNonNull(c, "callback"));
            return this;
        }

        /** @return the configuration */
        public TrainingConfig build() {
            Kernels k = kernels != null ? kernels : KernelsSelection.create(threads);
            Optimizer o = optimizer == null ? null : optimizer.get();
            List<Regularizer> rs = regularizers.stream().map(Supplier::get).toList();
            return new TrainingConfig(o, loss, rs, epochs, batchSize, seed, shuffle, k, nanPolicy, callbacks);
        }
    }
}
