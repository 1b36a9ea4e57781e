package dev.regula.core.train;

import dev.regula.api.Mode;
import dev.regula.api.NumericalFaultException;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.ActivationRegularizer;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Batches;
import dev.regula.core.data.Dataset;
import dev.regula.core.layer.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains a model with the fixed regularization pipeline ({@link RegularizationPipeline}), every
 * batch through one {@link TrainingStep} (the same step a hand-written loop or another trainer calls),
 * evaluation through an {@link Evaluator}:
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
    /** Specs of the activation regularizers the model has no place for. */
    private final List<String> placedNowhere;
    private final List<String> placeNames;
    private final TrainingConfig config;
    private final RegularizationPipeline pipeline;
    private final List<Parameter> parameters;
    private final AtomicBoolean fitting = new AtomicBoolean();
    /** The thread running the fit, for the message of a second fit called from it. */
    private volatile Thread fittingThread;
    /** The training batches, gathered anew into reused buffers. Only the fitting thread touches them. */
    private final BatchBuffers batchBuffers = new BatchBuffers();
    private final TrainingStep trainingStep;
    private final Evaluator evaluator;
    private final TrainingContext context = new TrainingContext(this);
    /** The factor on the learning-rate schedule (reduce-on-plateau); 1 keeps the schedule's values bit for bit. */
    private volatile double learningRateScale = 1;
    private double gradientNormSum;
    private int gradientNormCount;
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
        for (dev.regula.api.regularizer.Regularizer r : config.regularizers()) {
            // (anchors set before training are the user's, as L2-SP's pretrained weights: not a sign of another run)
            if (r instanceof dev.regula.api.regularizer.WeightAverager a && a.count() > 0) {
                throw new IllegalStateException("the regularizer " + r.spec() + " already holds an average from another run;"
                        + " build a new TrainingConfig (or regularizer) for each Trainer");
            }
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
            this.placedNowhere = List.of();
            this.placeNames = List.of();
        } else if (model instanceof Sequential s) {
            this.placedNowhere = s.placedNowhere(activations).stream().map(ActivationRegularizer::spec).toList();
            this.placeNames = s.layerNames();
            this.model = s.withActivationRegularizers(activations);
        } else {
            throw new IllegalArgumentException("activation regularizers (" + activations.stream().map(ActivationRegularizer::name).toList()
                    + ") can only be inserted into a Sequential model, got " + model.getClass().getName());
        }
        this.trainingStep = new TrainingStep(pipeline);
        this.evaluator = new Evaluator(this.model, config.loss(), config.kernels(), config.batchSize(), pipeline);
    }

    /**
     * @return the specs of the activation regularizers that found no place in the model (an
     *     {@code after=} glob naming no layer, drop path without residual blocks): they do nothing
     */
    public List<String> activationRegularizersPlacedNowhere() {
        return placedNowhere;
    }

    /**
     * @return the layer names the activation regularizers' {@code after=} globs were matched
     *     against (the model as given, before any layer was inserted); empty without activation
     *     regularizers
     */
    public List<String> activationPlaceNames() {
        return placeNames;
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

    /** @return the training step every batch of {@link #fit} runs through */
    public TrainingStep trainingStep() {
        return trainingStep;
    }

    /** @return the evaluator behind {@link #evaluate}, {@link #predict} and the validation inside {@link #fit} */
    public Evaluator evaluator() {
        return evaluator;
    }

    /**
     * Chooses the weights that evaluation and prediction use (see the class comment).
     *
     * @param weights live, or the average of the run's {@code ema(...)} or {@code swa(...)} regularizer
     * @throws IllegalArgumentException if the run has no weight averager of that kind
     */
    public void evaluateWith(EvalWeights weights) {
        evaluator.evaluateWith(weights);
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
        return evaluator.withEvalWeights(() -> BatchNormUpdate.update(model, data, config.batchSize(), config.kernels(), config.seed()));
    }

    /** @return the weights evaluation uses */
    public EvalWeights evalWeights() {
        return evaluator.evalWeights();
    }

    /** @return the context callbacks receive */
    public TrainingContext context() {
        return context;
    }

    /** @return the factor on the learning-rate schedule, 1 unless a callback changed it */
    public double learningRateScale() {
        return learningRateScale;
    }

    /**
     * Sets the factor on the learning-rate schedule (reduce-on-plateau; saved by {@link TrainingCheckpoint}).
     *
     * @param scale finite and &gt; 0
     */
    public void setLearningRateScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("the learning-rate scale must be finite and > 0, got " + scale);
        this.learningRateScale = scale;
    }

    /** @return the mean global gradient norm over the current (or last) epoch's updates, NaN if none */
    double epochGradientNorm() {
        return gradientNormCount == 0 ? Double.NaN : gradientNormSum / gradientNormCount;
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
     * @throws IllegalArgumentException if the training set has no examples, or if a batch of one
     *     example would reach a BatchNorm layer that sees one value per channel
     *     ({@link LastBatchOfOne}); both before any callback begins
     * @throws dev.regula.api.ShapeMismatchException if the examples' shape is not the model's input
     */
    public List<EpochMetrics> fit(Dataset train, Dataset validation) {
        if (!fitting.compareAndSet(false, true)) {
            if (fittingThread == Thread.currentThread()) {
                throw new IllegalStateException("fit was called from inside this trainer's own fit (from a callback); a trainer"
                        + " runs one fit at a time: call it again after this one returns");
            }
            throw new IllegalStateException("this Trainer is already training on another thread; "
                    + "a trainer runs one fit at a time (create another Trainer for a parallel run)");
        }
        fittingThread = Thread.currentThread();
        List<EpochMetrics> history = new ArrayList<>();
        int begun = 0;
        Throwable failure = null;
        try {
            checkData(train, "training");
            if (train.size() == 0) { // an epoch of no steps would be saved as a position no checkpoint can hold
                throw new IllegalArgumentException("the training set has no examples; fit needs at least one");
            }
            LastBatchOfOne.check(model, config.batchSize(), "the training set", train.size());
            if (validation != null) checkData(validation, "validation");
            stopReason = null;
            batchBuffers.clear();
            for (TrainingCallback c : config.callbacks()) {
                begun++;
                c.onTrainBegin(context);
            }
            while (epoch < config.epochs() && stopReason == null) {
                for (TrainingCallback c : config.callbacks()) c.onEpochBegin(context, epoch + 1);
                EpochMetrics m = runEpoch(train, validation);
                history.add(m);
                for (TrainingCallback c : config.callbacks()) c.onEpochEnd(context, m);
            }
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            try {
                endTraining(config.callbacks().subList(0, begun), history, failure);
            } finally {
                fittingThread = null;
                fitting.set(false);
            }
        }
        return history;
    }

    /**
     * Calls {@code onTrainEnd} of every callback whose {@code onTrainBegin} was called, however the
     * fit ended, so that each closes what it opened. With a failure, {@link TrainingContext#failure()}
     * shows it and an exception of an end hook is added to it as suppressed; without one, every
     * hook still runs and the first exception is thrown afterwards, the others suppressed in it.
     */
    private void endTraining(List<TrainingCallback> begun, List<EpochMetrics> history, Throwable failure) {
        List<EpochMetrics> done = List.copyOf(history);
        Throwable first = null;
        context.setFailure(failure);
        try {
            for (TrainingCallback c : begun) {
                try {
                    c.onTrainEnd(context, done);
                } catch (RuntimeException | Error e) { // an assertion error too: every hook runs, the first failure wins
                    if (failure != null) failure.addSuppressed(e);
                    else if (first == null) first = e;
                    else first.addSuppressed(e);
                }
            }
        } finally {
            context.setFailure(null);
        }
        if (first instanceof RuntimeException r) throw r;
        if (first != null) throw (Error) first;
    }

    private EpochMetrics runEpoch(Dataset train, Dataset validation) {
        long start = System.nanoTime();
        gradientNormSum = 0;
        gradientNormCount = 0;
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
            Dataset batch = batchBuffers.gather(train, order, schedule.from(b), schedule.to(b), config.kernels());
            Tensor x = batch.features();
            Tensor y = batch.labels();
            int rows = batch.size();
            for (TrainingCallback c : config.callbacks()) c.onBatchBegin(context, epoch + 1, b);
            lr = config.optimizer().learningRate().valueAt(step, epoch);
            if (learningRateScale != 1) lr *= learningRateScale;
            StepContext ctx = new StepContext(Mode.TRAIN, step, epoch, lr, config.seed(), config.kernels());
            TrainingStep.Result result = trainingStep.step(model, config.loss(), x, y, ctx, config.nanPolicy(), b == batches - 1);
            if (!result.applied()) {
                skipped++;
                step++;
                continue;
            }
            TrainingStep.Gradients g = result.gradients();
            double loss = g.loss();
            double outputPenalty = g.outputPenalty();
            Tensor out = g.output();
            double[] norms = pipeline.lastGradientNorms();
            for (int i = 0; i < norms.length; i++) gradientNormSums[i] += norms[i];
            gradientNormSum += pipeline.lastGradientNorm();
            gradientNormCount++;
            updates++;
            step++;
            lossSum += loss * rows;
            outputPenaltySum += outputPenalty * rows;
            seen += rows;
            if (classification) correct += Evaluator.countCorrect(out, y);
            if (!config.callbacks().isEmpty()) {
                BatchProgress progress = new BatchProgress(epoch + 1, step, loss, lossSum / seen,
                        classification ? correct / (double) seen : Double.NaN, seen, b + 1, batches, (System.nanoTime() - start) / 1e9);
                for (TrainingCallback c : config.callbacks()) c.onBatchEnd(context, progress);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Evaluation val = validation == null ? new Evaluation(Double.NaN, Double.NaN) : evaluator.validate(validation);
        if (validation != null) for (TrainingCallback c : config.callbacks()) c.onValidationEnd(context, epoch + 1, val);
        epoch++;
        StepContext end = new StepContext(Mode.TRAIN, step, epoch - 1, lr, config.seed(), config.kernels());
        List<ParameterPenalty> parts = new ArrayList<>();
        Map<String, Double> penalties = pipeline.penalties(end, parts);
        if (outputs && seen > 0) {
            // Output penalties depend on the data: report their mean over the epoch's batches.
            penalties = new java.util.LinkedHashMap<>(penalties);
            String specs = pipeline.outputRegularizers().stream().map(r -> r.spec()).collect(java.util.stream.Collectors.joining(" + "));
            penalties.put(specs, outputPenaltySum / seen);
        }
        double total = (System.nanoTime() - start) / 1e9;
        return new EpochMetrics(epoch, step, lr, seen == 0 ? Double.NaN : lossSum / seen,
                classification && seen > 0 ? correct / (double) seen : Double.NaN, penalties,
                val.loss(), val.accuracy(), parameterStats(gradientNormSums, updates), skipped, total, seen / seconds, parts);
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
        return evaluator.evaluate(data);
    }

    /**
     * Model output in EVAL mode, with the {@linkplain #evaluateWith evaluation weights}.
     * Thread-safe when no fit is running.
     *
     * @param x a batch of inputs
     * @return the outputs (logits for classifiers)
     */
    public Tensor predict(Tensor x) {
        return evaluator.predict(x);
    }

    /**
     * Monte-Carlo dropout (Gal &amp; Ghahramani 2016): averages the model's predictions over
     * {@code samples} forward passes in {@link Mode#SAMPLE}, in the loss's terms: class
     * probabilities (softmax) for {@link dev.regula.core.loss.SoftmaxCrossEntropy}, per-output
     * probabilities (sigmoid) for {@link dev.regula.core.loss.BinaryCrossEntropyWithLogits}, the
     * outputs themselves for a regression loss. The activation regularizers draw their noise, every
     * other layer behaves as in evaluation (BatchNorm uses its running statistics, so an example's
     * prediction does not depend on the others in x), and the model is left as it was. Not
     * thread-safe (the noise layers keep their masks).
     *
     * @param x a batch of inputs
     * @param samples number of stochastic passes, ≥ 1
     * @param seed seed of the masks
     * @return the mean predictions (probabilities, or outputs for a regression) and their variance across samples
     */
    public McPrediction predictWithDropout(Tensor x, int samples, long seed) {
        if (samples < 1) throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        Tensor mean = null;
        Tensor m2 = null;
        for (int s = 0; s < samples; s++) {
            StepContext ctx = new StepContext(Mode.SAMPLE, s, 0, 0, seed, config.kernels());
            Tensor out = model.forward(x, ctx);
            Tensor prob = Tensor.zeros(out.shape());
            switch (config.loss()) {
                case dev.regula.core.loss.SoftmaxCrossEntropy ce -> config.kernels().softmaxRows(out.rows(), out.rowSize(), out.data(), prob.data());
                case dev.regula.core.loss.BinaryCrossEntropyWithLogits bce -> config.kernels().sigmoid(out.size(), out.data(), prob.data());
                default -> System.arraycopy(out.data(), 0, prob.data(), 0, out.size()); // a regression: the outputs themselves
            }
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
            for (float f : v) if (ParameterStats.isZero(f)) zeros++;
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
     * @param mean mean predictions: class probabilities [batch, classes], or outputs for a regression loss
     * @param variance their variance across samples (an uncertainty estimate)
     */
    public record McPrediction(Tensor mean, Tensor variance) {
    }
}
