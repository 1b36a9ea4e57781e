package dev.regula.spark;

import dev.regula.api.Mode;
import dev.regula.api.RegulaException;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.LearnableRegularizer;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Batches;
import dev.regula.core.data.Dataset;
import dev.regula.core.train.LastBatchOfOne;
import dev.regula.core.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel training of a Regula model on Apache Spark, with every regularizer
 * behaving as on one machine.
 *
 * <p><b>Data.</b> The training set is cut into {@code workers} contiguous blocks, one Spark
 * partition each, kept in the executors' block stores (a local checkpoint), so a synchronisation
 * moves parameters, never examples. The global batch order is the single-machine one
 * ({@link Batches} with the run's seed and epoch); every worker recomputes it and processes the
 * rows of each global batch that it holds (about {@code batchSize / workers}). A training set too
 * large for the driver comes as a {@code JavaRDD<float[]>} of rows that the executors read
 * themselves ({@link #fit(JavaRDD, Dataset, Consumer)}): each partition becomes one worker's shard.
 *
 * <p><b>Synchronisation.</b> Each synchronisation is one Spark job: the driver broadcasts the
 * parameters (and, for local SGD, the optimizer state and its regularizer state), every partition
 * runs K local steps, the results are collected and averaged on the driver, weighted by rows, in
 * worker order (so a run is reproducible).
 * <ul>
 *   <li>K = 1, <b>gradient averaging</b>: workers run forward and backward only; the driver sets
 *   the row-weighted mean gradient, which is the gradient of the global batch, and runs the
 *   single-machine update (phase (b) of the core {@code TrainingStep}: GRADIENT, CLIP, DECOUPLED,
 *   optimizer, PROXIMAL, CONSTRAINT, weight averagers); the workers run phase (a). With dropout off this <em>is</em>
 *   single-machine training with the global batch, up to floating-point rounding.</li>
 *   <li>K &gt; 1, <b>local SGD</b> (parameter averaging): every worker takes K full steps on its
 *   rows of K consecutive global batches (GRADIENT, CLIP, DECOUPLED and the optimizer update run
 *   on the worker), then parameters and optimizer state are averaged.</li>
 * </ul>
 *
 * <p><b>Regularizers across workers.</b>
 * <ul>
 *   <li>Penalties and decays count once: for K = 1 the driver adds them once to the averaged
 *   gradient; for K &gt; 1 every worker applies them to its own copy and the copies are averaged,
 *   not summed (W copies each decayed by (1 − ηλ) average to one decay).</li>
 *   <li>Proximal operators and constraints run on the driver, on the averaged parameters, since an
 *   average of sparse or projected copies is in general neither sparse nor feasible. For K &gt; 1
 *   the proximal step uses the round's summed step size Σ η_t (soft-thresholding composes:
 *   S_a∘S_b = S_{a+b}), constraints the last step's; for K = 1 both are exactly the single-machine stage.</li>
 *   <li>Random masks (dropout family, drop-connect, mixup, augmentation) are keyed per worker
 *   (seed, worker) as well as by (layer, step, element), so no two workers share a stream; runs
 *   stay reproducible. With masks, K = 1 differs from one machine only in which mask each row gets.</li>
 *   <li>Learnable regularizers' state (a soft-weight-sharing mixture, learnable anchors) and the
 *   anchors θ₀ of {@code soft-anchor} are owned by the driver: captured once on the driver's
 *   initial weights, updated on the driver (K = 1: in the update; K &gt; 1: once per
 *   synchronisation, on the averaged parameters) and broadcast. They are not averaged because a
 *   prior is a function of all weights, not of a shard of data, and averaging mixture components
 *   learned independently is ill-posed (component k on one worker may have drifted to where
 *   component j is on another).</li>
 *   <li>Weight averagers (EMA, SWA) run on the driver, per step for K = 1 and per
 *   synchronisation for K &gt; 1.</li>
 * </ul>
 *
 * <p><b>BatchNorm and other layer state.</b> Each worker's TRAIN forward normalises with the
 * statistics of <em>its own</em> rows of the global batch, as multi-GPU data-parallel training
 * without synchronised BatchNorm does (PyTorch DDP without {@code SyncBatchNorm}): no extra
 * communication inside the forward pass, but with W &gt; 1 workers a model with BatchNorm is no
 * longer exactly single-machine training with the global batch (each row is normalised with the
 * statistics of about B/W rows; with one worker it is). The running statistics
 * ({@code Layer.state()}) are broadcast with the parameters, updated by each worker's forwards
 * and, after every synchronisation, replaced on the driver by the workers' row-weighted mean.
 * Averaging rather than keeping worker 0's copy (what PyTorch DDP does by broadcasting rank 0's
 * buffers) because the shards here are contiguous blocks of the training set: if the data is
 * ordered (by class, by time), worker 0's statistics describe only its block, while the mean
 * covers every row of the global batch. The running mean becomes the exponential average of the
 * global batch means exactly; the running variance that of the mean of the workers' (unbiased)
 * batch variances, which leaves out the spread between the workers' means, the same
 * within-worker variance each worker normalised with in training.
 *
 * <p>Not supported (clear error): output regularizers with parameters of their own. Their
 * {@code updateOwnParameters} contract is to step "from the gradients the last {@code apply}
 * wrote", and implementations keep more than the gradient from that call (the prior-guided GAN
 * penalty skips its step unless the last {@code apply} saw λ ≠ 0); the driver, which would own
 * them as it owns the learnable parameter regularizers, runs no {@code apply}, since the outputs
 * live on the workers.
 *
 * <p>Checkpoints ({@link SparkCheckpoints}) hold everything the driver owns, so a resumed run
 * continues as the uninterrupted one would. One {@code fit} at a time; not thread-safe.
 */
public final class SparkTrainer implements AutoCloseable {
    private final JavaSparkContext sc;
    private final SparkTrainingConfig config;
    private final int[] inputShape;
    private final int outputs;
    private final Replica driver;
    private long step;
    private int epoch;
    private JavaRDD<Shard> shards;
    /** What the shards were made of: a {@link Dataset} or a {@link JavaRDD} of rows. */
    private Object shardsOf;
    private int shardRows;

    /**
     * @param sc the Spark context (not stopped by {@link #close()})
     * @param config the run
     * @param inputShape shape of one example
     * @param outputs model outputs (classes or targets)
     * @throws IllegalArgumentException if the model or a regularizer source cannot be serialised (named)
     * @throws RegulaException if a regularizer or the model is not supported across workers
     */
    public SparkTrainer(JavaSparkContext sc, SparkTrainingConfig config, int[] inputShape, int outputs) {
        this.sc = Objects.requireNonNull(sc, "sc");
        this.config = Objects.requireNonNull(config, "config");
        this.inputShape = inputShape.clone();
        this.outputs = outputs;
        Serialisation.check(config);
        this.driver = Replica.build(config, this.inputShape, outputs, Replica.Role.DRIVER, 1);
        driver.captureAnchors(context(0, 0, learningRate(0, 0)));
    }

    /**
     * @param sc the Spark context
     * @param config the run
     * @param train the training set, whose shapes fix the model's input and outputs
     * @return a trainer for that data
     */
    public static SparkTrainer forData(JavaSparkContext sc, SparkTrainingConfig config, Dataset train) {
        int outputs = train.numClasses() > 0 ? train.numClasses() : train.labels().rank() == 2 ? train.labels().dim(1) : 1;
        return new SparkTrainer(sc, config, train.exampleShape(), outputs);
    }

    /** @return the configuration */
    public SparkTrainingConfig config() {
        return config;
    }

    /** @return the driver's model (with activation-regularizer layers), holding the averaged weights */
    public Model model() {
        return driver.model;
    }

    /** @return the driver's parameters */
    public List<Parameter> parameters() {
        return driver.parameters;
    }

    /** @return the driver's single-machine trainer: evaluation, prediction, its pipeline */
    public Trainer localTrainer() {
        return driver.trainer;
    }

    /** @return global steps done (one per global batch) */
    public long step() {
        return step;
    }

    /** @return epochs completed */
    public int epoch() {
        return epoch;
    }

    /**
     * Evaluates the driver's model (EVAL mode, on the driver).
     *
     * @param data the data
     * @return loss and accuracy
     */
    public Trainer.Evaluation evaluate(Dataset data) {
        return driver.trainer.evaluate(data);
    }

    /**
     * Trains from the current epoch up to the configured number.
     *
     * @param train the training set (at least one row per worker)
     * @param validation validation data evaluated on the driver after each epoch, or null
     * @return the metrics of each epoch run
     */
    public List<SparkEpoch> fit(Dataset train, Dataset validation) {
        return fit(train, validation, e -> { });
    }

    /**
     * Trains from the current epoch up to the configured number, calling {@code onEpoch} after each.
     *
     * @param train the training set (at least one row per worker)
     * @param validation validation data, or null
     * @param onEpoch called after each epoch (e.g. to write a checkpoint)
     * @return the metrics of each epoch run
     * @throws IllegalArgumentException if there are fewer rows than workers, or if a global batch of
     *     one example would reach a BatchNorm layer that sees one value per channel
     *     ({@link LastBatchOfOne}; a worker's share of a larger batch can still be one row, which
     *     stops the run when it comes, naming the worker and the batch)
     */
    public List<SparkEpoch> fit(Dataset train, Dataset validation, Consumer<SparkEpoch> onEpoch) {
        if (!Arrays.equals(train.exampleShape(), inputShape)) {
            throw new ShapeMismatchException("training examples have shape " + Arrays.toString(train.exampleShape())
                    + " but the trainer was built for " + Arrays.toString(inputShape));
        }
        if (train.size() < config.workers()) {
            throw new IllegalArgumentException("the training set has " + train.size() + " rows, fewer than the "
                    + config.workers() + " workers; use at most " + train.size() + " workers");
        }
        LastBatchOfOne.check(driver.model, config.batchSize(), "the training set", train.size()); // before the shards are built
        ensureShards(train);
        return run(train.size(), train.labels().rank() == 1, validation, onEpoch);
    }

    /**
     * Trains from the current epoch up to the configured number on rows that the executors read
     * themselves, so the training set never passes through the driver (nor needs to fit its
     * memory). Partition p of the RDD is worker p's shard, so the RDD must have exactly
     * {@code workers} partitions; the global row order (which fixes the batches, as in
     * {@link #fit(Dataset, Dataset, Consumer)}) is the RDD's order, partition by partition. The RDD
     * is read twice (to count the rows, then to build the shards, which stay in the executors'
     * block stores for the rest of the run), so it must give the same rows each time; a later
     * {@code fit} with the same RDD object reuses the shards.
     *
     * <p>For rows already in memory on the driver, {@code sc.parallelize(rows, workers)} with the
     * rows of a {@link Dataset} in order gives the very run of {@link #fit(Dataset, Dataset, Consumer)}.
     *
     * @param rows one array per example: its features ({@code prod(inputShape)} values, row-major)
     *     followed by its label: for the cross-entropy loss one class index in [0, outputs), for
     *     {@code mse} and {@code huber} {@code outputs} targets
     * @param validation validation data evaluated on the driver after each epoch, or null
     * @param onEpoch called after each epoch (e.g. to write a checkpoint)
     * @return the metrics of each epoch run
     * @throws IllegalArgumentException naming the partition and row of a malformed row (wrong
     *     length, a label that is not a class index), an empty partition, partitions that
     *     differ from the workers, or a global batch of one example that would reach a BatchNorm
     *     layer with one value per channel ({@link LastBatchOfOne}, once the rows are counted)
     */
    public List<SparkEpoch> fit(JavaRDD<float[]> rows, Dataset validation, Consumer<SparkEpoch> onEpoch) {
        Objects.requireNonNull(rows, "rows");
        if (validation != null && !Arrays.equals(validation.exampleShape(), inputShape)) {
            throw new ShapeMismatchException("validation examples have shape " + Arrays.toString(validation.exampleShape())
                    + " but the trainer was built for " + Arrays.toString(inputShape));
        }
        boolean classification = LossName.classification(config.loss());
        if (shardsOf != rows) {
            RowShards.Built built = RowShards.build(rows, inputShape, outputs, classification, config.workers());
            close();
            shards = built.shards();
            shardsOf = rows;
            shardRows = built.rows();
        }
        // as fit(Dataset) checks before its shards: the rows an RDD holds are counted only once they are read
        LastBatchOfOne.check(driver.model, config.batchSize(), "the training set", shardRows);
        return run(shardRows, classification, validation, onEpoch);
    }

    private List<SparkEpoch> run(int n, boolean classification, Dataset validation, Consumer<SparkEpoch> onEpoch) {
        int batches = new Batches(n, config.batchSize(), config.seed(), config.shuffle()).count();
        List<SparkEpoch> history = new ArrayList<>();
        while (epoch < config.epochs()) {
            long start = System.nanoTime();
            long rows = 0;
            long correct = 0;
            double lossSum = 0;
            long syncNanos = 0;
            long computeNanos = 0;
            int syncs = 0;
            for (int b = 0; b < batches; b += config.syncEvery()) {
                long t0 = System.nanoTime();
                Round round = new Round(epoch, b, Math.min(config.syncEvery(), batches - b), step, n, inputShape, outputs);
                List<RoundResult> results = runJob(sc, shards, config, driver.snapshot(!config.averagesGradients()), round);
                if (config.averagesGradients()) {
                    applyGradients(results, round);
                } else {
                    applyAverages(results, round);
                }
                averageLayerState(results);
                step += round.steps();
                for (RoundResult r : results) {
                    rows += r.rows();
                    correct += r.correct();
                    lossSum += r.lossSum();
                }
                computeNanos += results.stream().mapToLong(RoundResult::computeNanos).max().orElse(0);
                syncNanos += System.nanoTime() - t0;
                syncs++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Trainer.Evaluation val = validation == null ? new Trainer.Evaluation(Double.NaN, Double.NaN) : evaluate(validation);
            epoch++;
            SparkEpoch m = new SparkEpoch(epoch, step, lossSum / rows, classification ? correct / (double) rows : Double.NaN,
                    val.loss(), val.accuracy(), syncs, seconds, syncNanos / 1e6 / syncs, computeNanos / 1e6 / syncs);
            history.add(m);
            onEpoch.accept(m);
        }
        return history;
    }

    /** Drops the cached shards (the Spark context stays open). */
    @Override
    public void close() {
        if (shards != null) shards.unpersist(false);
        shards = null;
        shardsOf = null;
    }

    void resumeAt(long steps, int epochs) {
        this.step = steps;
        this.epoch = epochs;
    }

    Replica driver() {
        return driver;
    }

    private void ensureShards(Dataset train) {
        if (shardsOf == train) return;
        close();
        int w = config.workers();
        int n = train.size();
        List<Shard> list = new ArrayList<>(w);
        for (int i = 0; i < w; i++) list.add(Shard.of(i, train, (int) ((long) n * i / w), (int) ((long) n * (i + 1) / w)));
        JavaRDD<Shard> rdd = sc.parallelize(list, w);
        // Truncates the lineage: tasks then carry a small checkpoint partition, not the shard's data.
        rdd.rdd().localCheckpoint();
        rdd.count();
        shards = rdd;
        shardsOf = train;
    }

    private static List<RoundResult> runJob(JavaSparkContext sc, JavaRDD<Shard> shards, SparkTrainingConfig c, Snapshot snapshot,
                                            Round round) {
        Broadcast<Snapshot> b = sc.broadcast(snapshot);
        try {
            List<RoundResult> out = new ArrayList<>(shards.map(s -> Rounds.run(c, b.value(), round, s)).collect());
            out.sort(Comparator.comparingInt(RoundResult::worker));
            return out;
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof RegulaException)) cause = cause.getCause();
            if (cause instanceof RegulaException re) throw re;
            if (e instanceof RuntimeException re) throw re;
            throw new RegulaException("a Spark job failed in epoch " + (round.epoch() + 1) + " at step " + round.firstStep() + ": " + e.getMessage(), e);
        } finally {
            b.destroy();
        }
    }

    /** K = 1: the row-weighted mean gradient, then the single-machine update on the driver. */
    private void applyGradients(List<RoundResult> results, Round round) {
        long total = results.stream().mapToLong(RoundResult::rows).sum();
        List<Parameter> ps = driver.parameters;
        for (int i = 0; i < ps.size(); i++) {
            float[] g = ps.get(i).grad().data();
            double[] acc = new double[g.length];
            for (RoundResult r : results) {
                if (r.rows() == 0) continue;
                float[] v = r.values()[i];
                double w = r.rows();
                for (int j = 0; j < acc.length; j++) acc[j] += w * v[j];
            }
            for (int j = 0; j < g.length; j++) g[j] = (float) (acc[j] / total);
        }
        long s = round.firstStep();
        driver.trainer.trainingStep().applyUpdate(context(s, round.epoch(), learningRate(s, round.epoch())));
    }

    /** K &gt; 1: row-weighted means of parameters and optimizer state, then the stages the driver owns. */
    private void applyAverages(List<RoundResult> results, Round round) {
        List<RoundResult> ran = results.stream().filter(r -> r.rows() > 0).toList();
        long total = ran.stream().mapToLong(RoundResult::rows).sum();
        List<Parameter> ps = driver.parameters;
        for (int i = 0; i < ps.size(); i++) {
            final int index = i;
            average(ps.get(i).value().data(), ran.stream().map(r -> r.values()[index]).toList(), ran, total);
        }
        Map<String, Tensor> state = new HashMap<>();
        for (String key : ran.get(0).optimizerState().keySet()) {
            Array first = ran.get(0).optimizerState().get(key);
            float[] out = new float[first.data().length];
            average(out, ran.stream().map(r -> r.optimizerState().get(key).data()).toList(), ran, total);
            state.put(key, Tensor.wrap(out, first.shape()));
        }
        driver.trainer.config().optimizer().loadState(state);
        driverStages(round);
    }

    /**
     * The layers' non-trainable state (BatchNorm's running mean and variance): the row-weighted
     * mean of the workers' copies, each of which started the round from the driver's values and was
     * updated by that worker's own TRAIN forwards. Workers without rows in the round are left out.
     */
    private void averageLayerState(List<RoundResult> results) {
        Map<String, Tensor> live = driver.model.state();
        if (live.isEmpty()) return;
        List<RoundResult> ran = results.stream().filter(r -> r.rows() > 0).toList();
        if (ran.isEmpty()) return;
        long total = ran.stream().mapToLong(RoundResult::rows).sum();
        for (Map.Entry<String, Tensor> e : live.entrySet()) {
            average(e.getValue().data(), ran.stream().map(r -> r.layerState().get(e.getKey())).toList(), ran, total);
        }
    }

    private static void average(float[] out, List<float[]> values, List<RoundResult> ran, long total) {
        double[] acc = new double[out.length];
        for (int w = 0; w < values.size(); w++) {
            float[] v = values.get(w);
            double weight = ran.get(w).rows();
            for (int j = 0; j < acc.length; j++) acc[j] += weight * v[j];
        }
        for (int j = 0; j < out.length; j++) out[j] = (float) (acc[j] / total);
    }

    /**
     * Local SGD, after averaging: the learnable regularizers' own update on the averaged weights,
     * then PROXIMAL (with the round's summed step size), CONSTRAINT, and the weight averagers.
     */
    private void driverStages(Round round) {
        long last = round.firstStep() + round.steps() - 1;
        double lrSum = 0;
        for (long s = round.firstStep(); s <= last; s++) lrSum += learningRate(s, round.epoch());
        StepContext lastStep = context(last, round.epoch(), learningRate(last, round.epoch()));
        StepContext summed = context(last, round.epoch(), lrSum);
        Map<Integer, LearnableRegularizer> learnables = driver.learnables();
        if (!learnables.isEmpty()) {
            for (Parameter p : driver.parameters) p.zeroGrad();
            for (LearnableRegularizer l : learnables.values()) {
                for (Parameter p : driver.targets(l)) l.apply(p, lastStep);
                l.updateOwnParameters(lastStep);
            }
        }
        for (Stage stage : List.of(Stage.PROXIMAL, Stage.CONSTRAINT)) {
            for (Regularizer r : driver.regularizers) {
                if (r instanceof ParameterRegularizer pr && pr.stage() == stage) {
                    for (Parameter p : driver.targets(pr)) pr.apply(p, stage == Stage.PROXIMAL ? summed : lastStep);
                }
            }
        }
        for (Regularizer r : driver.regularizers) {
            if (r instanceof WeightAverager w) w.update(driver.parameters, lastStep);
        }
    }

    private double learningRate(long s, int e) {
        return driver.config.optimizer().learningRate().valueAt(s, e);
    }

    private StepContext context(long s, int e, double lr) {
        return new StepContext(Mode.TRAIN, s, e, lr, config.seed(), driver.config.kernels());
    }
}
