package dev.regula.spark;

import dev.regula.api.optim.Optimizers;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a Spark run trains and how it synchronises. It is shipped to the executors, so every part
 * is serialisable: the model and regularizers as {@link ModelSource} / {@link RegularizerSource}
 * recipes, the optimizer as spec text.
 *
 * @param model how to build the model
 * @param optimizer optimizer spec, e.g. {@code sgd(lr=0.05, momentum=0.9)}
 * @param regularizers the regularizers, in the order to apply within a stage
 * @param loss {@code cross-entropy}, {@code mse} or {@code huber}
 * @param epochs number of epochs, ≥ 1
 * @param batchSize the <em>global</em> mini-batch: the rows all workers together process per step, ≥ 1
 * @param syncEvery K, local steps per synchronisation, ≥ 1: K = 1 averages gradients (one
 *     optimizer step on the driver per global batch, the single-machine step); K &gt; 1 is local
 *     SGD (every worker takes K steps on its rows of K global batches, then parameters and
 *     optimizer state are averaged)
 * @param workers number of data partitions (workers), ≥ 1
 * @param seed seed of initialisation, shuffling and every mask
 * @param shuffle whether the global order of the examples is shuffled each epoch
 */
public record SparkTrainingConfig(ModelSource model, String optimizer, List<RegularizerSource> regularizers, String loss,
                                  int epochs, int batchSize, int syncEvery, int workers, long seed, boolean shuffle)
        implements Serializable {
    /** Checks the values, with messages that say what is allowed. */
    public SparkTrainingConfig {
        Objects.requireNonNull(model, "model is required, e.g. ModelSource.spec(\"mlp(hidden=256x256)\")");
        Objects.requireNonNull(optimizer, "optimizer is required, e.g. sgd(lr=0.05, momentum=0.9)");
        Objects.requireNonNull(loss, "loss");
        regularizers = List.copyOf(regularizers);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize (the global batch) must be >= 1, got " + batchSize);
        if (syncEvery < 1) {
            throw new IllegalArgumentException("syncEvery (K, local steps per synchronisation) must be >= 1, got " + syncEvery
                    + "; K = 1 averages gradients (the single-machine step with the global batch), K > 1 is local SGD");
        }
        if (workers < 1) throw new IllegalArgumentException("workers (data partitions) must be >= 1, got " + workers);
        LossName.create(loss);
    }

    /** @return true for K = 1: gradients are averaged and the driver takes every optimizer step */
    public boolean averagesGradients() {
        return syncEvery == 1;
    }

    /** @return a builder: 10 epochs, global batch 128, K = 1, 2 workers, seed 42, shuffling, cross-entropy */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SparkTrainingConfig}. */
    public static final class Builder {
        private ModelSource model;
        private String optimizer;
        private final List<RegularizerSource> regularizers = new ArrayList<>();
        private String loss = "cross-entropy";
        private int epochs = 10;
        private int batchSize = 128;
        private int syncEvery = 1;
        private int workers = 2;
        private long seed = 42;
        private boolean shuffle = true;

        private Builder() {
        }

        /** @param m the model @return this */
        public Builder model(ModelSource m) {
            this.model = m;
            return this;
        }

        /** @param spec a model spec, checked now @return this */
        public Builder model(String spec) {
            return model(ModelSource.spec(spec));
        }

        /** @param spec an optimizer spec, checked now @return this */
        public Builder optimizer(String spec) {
            Optimizers.create(spec);
            this.optimizer = spec;
            return this;
        }

        /** @param r a regularizer source to add @return this */
        public Builder regularizer(RegularizerSource r) {
            regularizers.add(Objects.requireNonNull(r, "regularizer"));
            return this;
        }

        /** @param spec a regularizer spec to add, checked now @return this */
        public Builder regularizer(String spec) {
            return regularizer(RegularizerSource.spec(spec));
        }

        /** @param name cross-entropy, mse or huber @return this */
        public Builder loss(String name) {
            this.loss = name;
            return this;
        }

        /** @param n epochs @return this */
        public Builder epochs(int n) {
            this.epochs = n;
            return this;
        }

        /** @param n the global batch @return this */
        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /** @param k local steps per synchronisation @return this */
        public Builder syncEvery(int k) {
            this.syncEvery = k;
            return this;
        }

        /** @param n data partitions @return this */
        public Builder workers(int n) {
            this.workers = n;
            return this;
        }

        /** @param s the seed @return this */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** @param s whether to shuffle @return this */
        public Builder shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /** @return the configuration */
        public SparkTrainingConfig build() {
            return new SparkTrainingConfig(model, optimizer, regularizers, loss, epochs, batchSize, syncEvery, workers, seed, shuffle);
        }
    }
}
