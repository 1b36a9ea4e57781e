package dev.regula.core.train;

import dev.regula.api.Mode;
import dev.regula.api.NumericalFaultException;
import dev.regula.api.RegulaException;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.ActivationRegularizer;
import dev.regula.api.regularizer.LabelMix;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Batches;
import dev.regula.core.data.Dataset;
import dev.regula.core.layer.ParameterBackward;
import dev.regula.core.layer.Sequential;
import dev.regula.core.loss.MixedTargets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Trains a model with the fixed regularization pipeline ({@link RegularizationPipeline}):
 * epochs of shuffled mini-batches, validation, metrics per epoch, callbacks, early stopping,
 * NaN/Inf detection and Monte-Carlo-dropout prediction.
 *
 * <p>Reproducible: with the same seed, configuration and kernels, two runs give bit-identical
 * parameters (shuffling, initialisation and every random mask are functions of the seed).
 * Activation regularizers (dropout family) are inserted as layers after the hidden activations
 * of a {@link Sequential} model; {@link #model()} returns the model with them. Batch regularizers
 * (mixup, CutMix, image augmentation) change each training batch as it is assembled, in the
 * trainer's reused batch buffer, never the data set; with a label mix the training loss is the
 * mixed loss, and the training accuracy is counted against each example's own label.
 *
 * <p>Thread safety: one {@link #fit} at a time (a second concurrent call fails with a clear
 * error); {@link #predict} and {@link #evaluate} run in EVAL mode and may be called from many
 * threads at once when no fit is running. One evaluation at a time (the validation inside
 * {@code fit}, or an {@code evaluate} call that finds none running) uses the layers' exclusive
 * EVAL buffers and the trainer's reused batches; the others run shared EVAL forwards, which
 * allocate their outputs. A model therefore belongs to one trainer: two trainers must not
 * evaluate one model at the same time.
 *
 * <p>Evaluation weights ({@link #evaluateWith}): with {@link EvalWeights#EMA} or
 * {@link EvalWeights#SWA}, the validation inside {@code fit}, {@link #evaluate} and
 * {@link #predict} copy the run's averaged weights into the model, evaluate, and copy the live
 * ones back (until the first average exists they use the live weights); such evaluations then
 * run one at a time. Only trainable parameters are averaged: BatchNorm's running statistics stay
 * those of the live training until {@link #updateBatchNorm} recomputes them for the averaged weights.
 */
public final class Trainer {
    private final Model model;
    private final TrainingConfig config;
    private final RegularizationPipeline pipeline;
    private final List<Parameter> parameters;
    private final AtomicBoolean fitting = new AtomicBoolean();
    /**
     * The training batch of each row count, gathered anew into the same tensors every step (an
     * epoch has at most two sizes): gathering into the same buffers keeps them in cache and spares
     * allocating and zeroing them every step. Only the fitting thread touches it.
     */
    private final Map<Integer, Dataset> batchBuffers = new HashMap<>();
    /**
     * The validation batches of each row count and the loss gradient, reused likewise by the
     * exclusive evaluation (the validation inside {@link #fit}, or an uncontended
     * {@link #evaluate}), so that repeated evaluations allocate no new buffers and touch no fresh
     * heap pages. Only the holder of {@link #exclusiveEvaluation} touches them.
     */
    private final Map<Integer, Dataset> validationBuffers = new HashMap<>();
    private final Map<Integer, Tensor> validationGradients = new HashMap<>();
    /** 0, 1, …, n − 1 for the largest set evaluated exclusively so far (a prefix serves smaller ones). */
    private int[] validationOrder = new int[0];
    /**
     * Held by the one evaluation that runs exclusive EVAL forwards and uses the validation buffers:
     * the validation inside {@link #fit} waits for it, {@link #evaluate} takes it only when free.
     */
    private final ReentrantLock exclusiveEvaluation = new ReentrantLock();
    /** Held while the averaged weights are swapped into the model for an evaluation. */
    private final ReentrantLock averagedEvaluation = new ReentrantLock();
    private volatile EvalWeights evalWeights = EvalWeights.LIVE;
    private long step;
    private int epoch;
    private volatile String stopReason;

    /**
     * @param model the model; activation regularizers in the configuration need a {@link Sequential}
     * @param config the configuration
     */
    public Trainer(Model model, TrainingConfig config) {
        this.config = config;
        if (!config.optimizer().state().isEmpty()) {
            throw new IllegalStateException("the optimizer " + config.optimizer().spec() + " already holds state from another "
                    + "run; build a new TrainingConfig (or optimizer) for each Trainer");
        }
        this.parameters = model.parameters();
        this.pipeline = new RegularizationPipeline(parameters, config.regularizers(), config.optimizer(), true);
        if (!pipeline.scoreGradientRegularizers().isEmpty()) {
            throw new IllegalArgumentException(pipeline.scoreGradientRegularizers().getFirst().spec() + " penalises a GAN critic's input"
                    + " gradient and needs one; allowed here: input-gradient(lambda=...) for a supervised model, or r1/r2 in regula gan --d-reg");
        }
        List<ActivationRegularizer> activations = pipeline.activationRegularizers();
        if (activations.isEmpty()) {
            this.model = model;
        } else if (model instanceof Sequential s) {
            this.model = s.withActivationRegularizers(activations);
        } else {
            throw new RegulaException("activation regularizers (" + activations.stream().map(ActivationRegularizer::name).toList()
                    + ") can only be inserted into a Sequential model, got " + model.getClass().getName());
        }
    }

    /** @return the model being trained, with activation-regularizer layers inserted */
    public Model model() {
        return model;
    }

    /** @return the configuration */
    public TrainingConfig config() {
        return config;
    }

    /** @return the pipeline (for checkpoints of learnable regularizers) */
    public RegularizationPipeline pipeline() {
        return pipeline;
    }

    /**
     * Chooses the weights that evaluation and prediction use (see the class comment).
     *
     * @param weights live, or the average of the run's {@code ema(...)} or {@code swa(...)} regularizer
     * @throws IllegalArgumentException if the run has no weight averager of that kind
     */
    public void evaluateWith(EvalWeights weights) {
        if (weights != EvalWeights.LIVE && pipeline.weightAverager(weights.word()).isEmpty()) {
            throw new IllegalArgumentException("evaluating with the " + weights.word() + " weights needs a " + weights.word()
                    + "(...) regularizer in the run, e.g. " + (weights == EvalWeights.EMA ? "ema(decay=0.999)" : "swa(start_epoch=1)")
                    + "; the run has " + pipeline.weightAveragers().stream().map(WeightAverager::spec).toList());
        }
        this.evalWeights = weights;
    }

    /**
     * Recomputes the model's BatchNorm running statistics for the {@linkplain #evaluateWith
     * evaluation weights} by one TRAIN-mode pass over {@code data} ({@link BatchNormUpdate}, PyTorch's
     * {@code swa_utils.update_bn}); call it after training, before evaluating with {@code swa} (or
     * {@code ema}) weights. The statistics stay in the model: a later evaluation with the live
     * weights uses them too, and further training moves them back with BatchNorm's momentum.
     *
     * @param data the data, usually the training set
     * @return the number of BatchNorm layers updated (0 if the model has none)
     */
    public int updateBatchNorm(Dataset data) {
        return withEvalWeights(() -> BatchNormUpdate.update(model, data, config.batchSize(), config.kernels(), config.seed()));
    }

    /** @return the weights evaluation uses */
    public EvalWeights evalWeights() {
        return evalWeights;
    }

    /** @return the number of optimizer steps done */
    public long step() {
        return step;
    }

    /** @return the number of epochs completed */
    public int epoch() {
        return epoch;
    }

    /**
     * Sets the position reached, when resuming from a checkpoint.
     *
     * @param steps optimizer steps done
     * @param epochs epochs completed
     */
    public void resumeAt(long steps, int epochs) {
        if (steps < 0 || epochs < 0) throw new IllegalArgumentException("steps and epochs must be >= 0");
        this.step = steps;
        this.epoch = epochs;
    }

    /**
     * Asks the running fit to stop after the current epoch (used by early stopping).
     *
     * @param reason why, reported by {@link #stopReason()}
     */
    public void requestStop(String reason) {
        this.stopReason = reason;
    }

    /** @return why the last fit stopped early, or null if it ran all epochs */
    public String stopReason() {
        return stopReason;
    }

    /**
     * Trains from the current epoch up to the configured number of epochs.
     *
     * @param train the training set
     * @param validation the validation set, or null
     * @return the metrics of each epoch run
     * @throws NumericalFaultException on NaN/Inf under {@link NanPolicy#STOP}
     * @throws IllegalStateException if another thread is already running fit on this trainer
     */
    public List<EpochMetrics> fit(Dataset train, Dataset validation) {
        if (!fitting.compareAndSet(false, true)) {
            throw new IllegalStateException("this Trainer is already training on another thread; "
                    + "a trainer runs one fit at a time (create another Trainer for a parallel run)");
        }
        try {
            checkData(train, "training");
            if (validation != null) checkData(validation, "validation");
            stopReason = null;
            batchBuffers.clear();
            List<EpochMetrics> history = new ArrayList<>();
            while (epoch < config.epochs() && stopReason == null) {
                EpochMetrics m = runEpoch(train, validation);
                history.add(m);
                for (TrainingCallback c : config.callbacks()) c.onEpochEnd(this, m);
            }
            return history;
        } finally {
            fitting.set(false);
        }
    }

    private EpochMetrics runEpoch(Dataset train, Dataset validation) {
        long start = System.nanoTime();
        Batches schedule = new Batches(train.size(), config.batchSize(), config.seed(), config.shuffle());
        int[] order = schedule.order(epoch);
        int batches = schedule.count();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        int skipped = 0;
        double lr = 0;
        boolean classification = train.labels().rank() == 1;
        double[] gradientNormSums = new double[parameters.size()];
        int updates = 0;
        boolean outputs = !pipeline.outputRegularizers().isEmpty();
        double outputPenaltySum = 0;
        for (int b = 0; b < batches; b++) {
            Dataset batch = reusedBatch(batchBuffers, train, order, schedule.from(b), schedule.to(b));
            Tensor x = batch.features();
            Tensor y = batch.labels();
            int rows = batch.size();
            lr = config.optimizer().learningRate().valueAt(step, epoch);
            StepContext ctx = new StepContext(Mode.TRAIN, step, epoch, lr, config.seed(), config.kernels());
            LabelMix mix = pipeline.hasBatchRegularizers() ? pipeline.assembleBatch(x, y, ctx) : null;
            for (Parameter p : parameters) p.zeroGrad();
            pipeline.beforeForward(ctx);
            Tensor out = model.forward(x, ctx);
            Tensor gradOut = Tensor.zeros(out.shape());
            double loss = mix == null ? config.loss().compute(out, y, gradOut, config.kernels())
                    : MixedTargets.compute(config.loss(), out, y, mix, gradOut, config.kernels());
            // the targets are the output regularizers' condition (with a label mix, each example's own label)
            double outputPenalty = outputs ? pipeline.outputPenalty(out, y, gradOut, ctx) : 0;
            double inputPenalty = 0;
            if (pipeline.inputGradient() == null) {
                ParameterBackward.backwardParametersOf(model, gradOut, ctx); // ∂L/∂data is not needed
            } else {
                out = out.copy(); // the second forward reuses the output buffer
                inputPenalty = InputGradientPass.run(pipeline.inputGradient(), model, parameters, x, gradOut,
                        (o, g) -> objective(o, y, mix, g, ctx), ctx);
            }
            pipeline.afterBackward(ctx);
            // Under STOP, pipeline.update checks the gradients itself and names the parameter.
            boolean skip = config.nanPolicy() == NanPolicy.SKIP_STEP;
            if (!Double.isFinite(loss) || !Double.isFinite(outputPenalty) || !Double.isFinite(inputPenalty)
                    || (skip && !pipeline.gradientsFinite(ctx))) {
                if (skip) {
                    skipped++;
                    step++;
                    continue;
                }
                throw new NumericalFaultException(step, "loss", "the data loss is " + loss
                        + (outputs ? " and the output penalty " + outputPenalty : "")
                        + (pipeline.inputGradient() != null ? " and the input-gradient penalty " + inputPenalty
                                + " (" + pipeline.inputGradient().spec() + ")" : "") + " at step " + step
                        + " (epoch " + (epoch + 1) + "); lower the learning rate, add clip-norm(max=...) or check the input data");
            }
            if (pipeline.inputGradient() != null) pipeline.recordInputGradientPenalty(inputPenalty);
            if (b == batches - 1) pipeline.measureNextUpdate();
            pipeline.update(ctx);
            double[] norms = pipeline.lastGradientNorms();
            for (int i = 0; i < norms.length; i++) gradientNormSums[i] += norms[i];
            updates++;
            step++;
            lossSum += loss * rows;
            outputPenaltySum += outputPenalty * rows;
            seen += rows;
            if (classification) correct += countCorrect(out, y);
            if (!config.callbacks().isEmpty()) {
                BatchProgress progress = new BatchProgress(epoch + 1, step, loss, lossSum / seen,
                        classification ? correct / (double) seen : Double.NaN, seen, b + 1, batches, (System.nanoTime() - start) / 1e9);
                for (TrainingCallback c : config.callbacks()) c.onBatchEnd(this, progress);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Evaluation val = validation == null ? new Evaluation(Double.NaN, Double.NaN) : validate(validation);
        epoch++;
        StepContext end = new StepContext(Mode.TRAIN, step, epoch - 1, lr, config.seed(), config.kernels());
        Map<String, Double> penalties = pipeline.penalties(end);
        if (outputs && seen > 0) {
            // Output penalties depend on the data: report their mean over the epoch's batches.
            penalties = new java.util.LinkedHashMap<>(penalties);
            String specs = pipeline.outputRegularizers().stream().map(r -> r.spec()).collect(java.util.stream.Collectors.joining(" + "));
            penalties.put(specs, outputPenaltySum / seen);
        }
        double total = (System.nanoTime() - start) / 1e9;
        return new EpochMetrics(epoch, step, lr, seen == 0 ? Double.NaN : lossSum / seen,
                classification && seen > 0 ? correct / (double) seen : Double.NaN, penalties,
                val.loss(), val.accuracy(), parameterStats(gradientNormSums, updates), skipped, total, seen / seconds);
    }

    /** The objective of an extra pass at another output: data loss (mixed if the batch was) plus the output penalties (not reported). */
    private double objective(Tensor out, Tensor y, LabelMix mix, Tensor gradOut, StepContext ctx) {
        double loss = mix == null ? config.loss().compute(out, y, gradOut, config.kernels())
                : MixedTargets.compute(config.loss(), out, y, mix, gradOut, config.kernels());
        return loss + (pipeline.hasOutputRegularizers() ? pipeline.outputPenalty(out, y, gradOut, ctx) : 0);
    }

    /**
     * Mean data loss and accuracy in EVAL mode (no regularization noise). Uncontended, it reuses
     * the buffers of the validation inside {@link #fit} (nothing is allocated per batch); while
     * another thread evaluates, it allocates its own, so concurrent calls are safe.
     *
     * @param data the data
     * @return loss and accuracy (NaN accuracy for non-classification targets)
     */
    public Evaluation evaluate(Dataset data) {
        checkData(data, "evaluation");
        return withEvalWeights(() -> {
            if (!exclusiveEvaluation.tryLock()) return evaluate(data, false);
            try {
                return evaluate(data, true);
            } finally {
                exclusiveEvaluation.unlock();
            }
        });
    }

    private Evaluation validate(Dataset validation) {
        return withEvalWeights(() -> {
            exclusiveEvaluation.lock();
            try {
                return evaluate(validation, true);
            } finally {
                exclusiveEvaluation.unlock();
            }
        });
    }

    /**
     * Runs {@code body} with the chosen evaluation weights in the model: directly for live
     * weights, or with the averages copied in (under {@link #averagedEvaluation}) and the live
     * values copied back afterwards, even if {@code body} throws.
     */
    private <T> T withEvalWeights(Supplier<T> body) {
        EvalWeights w = evalWeights;
        if (w == EvalWeights.LIVE) return body.get();
        WeightAverager averager = pipeline.weightAverager(w.word()).orElseThrow();
        averagedEvaluation.lock();
        try {
            if (averager.count() == 0) return body.get();
            List<float[]> live = new ArrayList<>(parameters.size());
            for (Parameter p : parameters) {
                Optional<Tensor> avg = averager.average(p);
                live.add(avg.isPresent() ? p.value().data().clone() : null);
                avg.ifPresent(a -> p.value().copyFrom(a));
            }
            try {
                return body.get();
            } finally {
                for (int i = 0; i < parameters.size(); i++) {
                    float[] saved = live.get(i);
                    if (saved != null) System.arraycopy(saved, 0, parameters.get(i).value().data(), 0, saved.length);
                }
            }
        } finally {
            averagedEvaluation.unlock();
        }
    }

    /**
     * The evaluation itself. Shared: thread-safe, every batch and output a new tensor. Exclusive
     * (under {@link #exclusiveEvaluation}): exclusive EVAL forwards, and the batches and loss
     * gradients in buffers reused from batch to batch and call to call, so that evaluating
     * allocates no buffers after the first call.
     */
    private Evaluation evaluate(Dataset data, boolean exclusive) {
        int n = data.size();
        int batch = Math.max(256, config.batchSize());
        double lossSum = 0;
        long correct = 0;
        boolean classification = data.labels().rank() == 1;
        Kernels kernels = config.kernels();
        StepContext ctx = exclusive ? StepContext.exclusiveEval(kernels) : StepContext.eval(kernels);
        if (exclusive && validationOrder.length < n) validationOrder = IntStream.range(0, n).toArray();
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            Dataset part = exclusive ? reusedBatch(validationBuffers, data, validationOrder, from, to) : data.subset(from, to);
            Tensor out = model.forward(part.features(), ctx);
            Tensor y = part.labels();
            Tensor gradOut = exclusive ? validationGradient(out) : Tensor.zeros(out.shape());
            lossSum += config.loss().compute(out, y, gradOut, kernels) * part.size();
            if (classification) correct += countCorrect(out, y);
        }
        return new Evaluation(n == 0 ? Double.NaN : lossSum / n, classification && n > 0 ? correct / (double) n : Double.NaN);
    }

    /** The validation's loss-gradient buffer for an output of this shape, kept per row count. */
    private Tensor validationGradient(Tensor out) {
        Tensor g = validationGradients.get(out.dim(0));
        if (g == null || !g.hasShape(out.shape())) validationGradients.put(out.dim(0), g = Tensor.zeros(out.shape()));
        return g;
    }

    /**
     * Gathers the examples {@code order[from..to)} into the buffers of that row count, made on
     * first use.
     */
    private Dataset reusedBatch(Map<Integer, Dataset> buffers, Dataset data, int[] order, int from, int to) {
        Dataset batch = buffers.get(to - from);
        if (batch == null || !sameExampleShapes(batch.features(), data.features()) || !sameExampleShapes(batch.labels(), data.labels())) {
            batch = data.batch(order, from, to, config.kernels());
            buffers.put(batch.size(), batch);
        } else {
            data.batchInto(order, from, to, batch.features(), batch.labels(), config.kernels());
        }
        return batch;
    }

    /** @return whether the two tensors' examples (every dimension after the first) have one shape */
    private static boolean sameExampleShapes(Tensor a, Tensor b) {
        return Arrays.equals(a.shape(), 1, a.rank(), b.shape(), 1, b.rank());
    }

    /**
     * Model output in EVAL mode, with the {@linkplain #evaluateWith evaluation weights}.
     * Thread-safe when no fit is running.
     *
     * @param x a batch of inputs
     * @return the outputs (logits for classifiers)
     */
    public Tensor predict(Tensor x) {
        return withEvalWeights(() -> model.forward(x, StepContext.eval(config.kernels())));
    }

    /**
     * Monte-Carlo dropout (Gal &amp; Ghahramani 2016): averages softmax outputs over {@code samples}
     * forward passes with the activation regularizers active. Not thread-safe (layers cache in TRAIN mode).
     *
     * @param x a batch of inputs
     * @param samples number of stochastic passes, ≥ 1
     * @param seed seed of the masks
     * @return the mean class probabilities and their variance across samples
     */
    public McPrediction predictWithDropout(Tensor x, int samples, long seed) {
        if (samples < 1) throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        Tensor mean = null;
        Tensor m2 = null;
        for (int s = 0; s < samples; s++) {
            StepContext ctx = new StepContext(Mode.TRAIN, s, 0, 0, seed, config.kernels());
            Tensor out = model.forward(x, ctx);
            Tensor prob = Tensor.zeros(out.shape());
            config.kernels().softmaxRows(out.rows(), out.rowSize(), out.data(), prob.data());
            if (mean == null) {
                mean = Tensor.zeros(out.shape());
                m2 = Tensor.zeros(out.shape());
            }
            // Welford's update: exact zero variance when every sample is the same.
            float[] p = prob.data();
            float[] m = mean.data();
            float[] q = m2.data();
            for (int i = 0; i < p.length; i++) {
                float delta = p[i] - m[i];
                m[i] += delta / (s + 1);
                q[i] += delta * (p[i] - m[i]);
            }
        }
        config.kernels().scale(m2.size(), 1f / samples, m2.data(), 0);
        return new McPrediction(mean, m2);
    }

    /**
     * @param gradientNormSums per model parameter, the sum over the epoch's updates of ‖g‖
     * @param updates the number of updates (the last one measured its update ratio, if it ran)
     */
    private List<ParameterStats> parameterStats(double[] gradientNormSums, int updates) {
        List<ParameterStats> out = new ArrayList<>();
        double[] ratios = pipeline.lastUpdateRatios();
        List<Parameter> all = pipeline.allParameters();
        for (int i = 0; i < all.size(); i++) {
            float[] v = all.get(i).value().data();
            int zeros = 0;
            for (float f : v) if (f == 0f) zeros++;
            boolean own = i < gradientNormSums.length && updates > 0;
            out.add(new ParameterStats(all.get(i).name(), v.length,
                    Math.sqrt(config.kernels().sumSquares(v.length, v, 0)), config.kernels().maxAbs(v.length, v, 0),
                    v.length == 0 ? 0 : zeros / (double) v.length,
                    own ? gradientNormSums[i] / updates : Double.NaN, own ? ratios[i] : Double.NaN, all.get(i).role()));
        }
        return out;
    }

    private void checkData(Dataset data, String what) {
        int[] expected = model.inputShape();
        int[] got = Arrays.copyOfRange(data.features().shape(), 1, data.features().rank());
        if (Tensor.sizeOf(expected) != Tensor.sizeOf(got)) {
            throw new ShapeMismatchException("the " + what + " examples have shape " + Arrays.toString(got)
                    + " but the model expects " + Arrays.toString(expected));
        }
    }

    private static long countCorrect(Tensor out, Tensor labels) {
        int rows = out.rows();
        int cols = out.rowSize();
        float[] o = out.data();
        long correct = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < cols; c++) if (o[r * cols + c] > o[r * cols + best]) best = c;
            if (best == (int) labels.get(r)) correct++;
        }
        return correct;
    }

    /**
     * Loss and accuracy of an evaluation.
     *
     * @param loss mean data loss
     * @param accuracy fraction correct, NaN for non-classification
     */
    public record Evaluation(double loss, double accuracy) {
    }

    /**
     * A Monte-Carlo-dropout prediction.
     *
     * @param mean mean class probabilities, [batch, classes]
     * @param variance their variance across samples (an uncertainty estimate)
     */
    public record McPrediction(Tensor mean, Tensor variance) {
    }
}
