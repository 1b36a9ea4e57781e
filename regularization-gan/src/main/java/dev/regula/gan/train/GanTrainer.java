package dev.regula.gan.train;

import dev.regula.api.CorruptDataException;
import dev.regula.api.Mode;
import dev.regula.api.NumericalFaultException;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.optim.Optimizer;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.ScoreGradientRegularizer;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.layer.MinibatchStddev;
import dev.regula.core.layer.Sequential;
import dev.regula.core.loss.BinaryCrossEntropyWithLogits;
import dev.regula.core.train.RegularizationPipeline;
import dev.regula.core.train.TrainingCheckpoint;
import dev.regula.core.train.TrainingStep;
import dev.regula.core.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import dev.regula.gan.prior.PriorGuidedPenalty;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Trains a conditional GAN G(z, c), D(x, c) with the non-saturating loss, the generator's output
 * regularizers (the prior-guided penalty) and an optional R1 penalty on D.
 *
 * <p>One {@link #step} is the DCGAN iteration, each network's part run through its own core
 * {@link TrainingStep} (zero, perturb, forward/backward, restore, regularization stages and update):
 * <ol>
 *   <li>z ~ N(0, I) from the counter-based RNG keyed by (seed, "gan.z", step); fake = G([z ‖ c]) in TRAIN mode;</li>
 *   <li>discriminator: every {@code r1Every} steps first the lazy R1 penalty (below); then real and
 *       fake are scored in one pass (D has no batch statistics), each with its own condition, loss
 *       BCE(D(x, c), 1) + BCE(D(fake, c), 0), backward, then D's {@link RegularizationPipeline}
 *       (penalties, clipping, optimizer, decay, projections such as {@code spectral-norm});</li>
 *   <li>generator: the updated D scores the same fake batch, loss BCE(D(fake, c), 1) = −log σ(D(fake, c));
 *       G's pipeline runs its output regularizers on (fake, c), adding their gradients to
 *       ∂loss/∂fake; then G's backward and G's pipeline update.</li>
 * </ol>
 * With a {@link DiversityTerm}, the fakes are made in pairs sharing a condition (row 2i's, for
 * rows 2i and 2i + 1) and scored by D with those conditions; the term's gradient joins ∂loss/∂fake.
 * Each network has its own optimizer (default {@value #DEFAULT_OPTIMIZER}) and its own list of
 * regularizers from spec text, so every parameter regularizer of core can be put on G or D, and
 * every output regularizer on G.
 *
 * <p><b>R1</b> (Mescheder, Geiger &amp; Nowozin 2018): R1 = γ/2 · mean_n ‖∇ₓD(x_n, c_n)‖² on real
 * images, applied lazily every k steps with weight k·γ (Karras et al. 2020). Its parameter gradient
 * (γ/N)·Σ_n (∂g_n/∂θ)ᵀg_n, g_n = ∇ₓD(x_n), is a Hessian-vector product, computed without double
 * backpropagation by a central difference of two ordinary backward passes:
 * (∇_θ ΣD(x + εg) − ∇_θ ΣD(x − εg)) / (2ε), ε = {@value R1Penalty#STEP}/rms(g) (see {@link R1Penalty}), exact for a D that is
 * piecewise linear between the two points (LeakyReLU nets are, but for kinks crossed) and
 * accurate to O(ε²) otherwise.
 *
 * <p>Deterministic: for the same networks, data, seed and kernels, two trainers produce
 * bit-identical parameters. An output penalty with λ = 0 leaves every gradient untouched, so it
 * reproduces a trainer without it bit for bit. NaN or Inf in a loss, a gradient or a parameter raises a
 * {@link NumericalFaultException} naming the step and where it was found. Not thread-safe.
 */
public final class GanTrainer {
    /** The optimizer of both networks unless configured otherwise (DCGAN's). */
    public static final String DEFAULT_OPTIMIZER = "adam(lr=2e-4, beta1=0.5)";
    /** Metadata key of the last lazy R1 value in a saved state. */
    static final String LAST_R1 = "gan.last_r1";
    /** The random stream of the training latents. */
    public static final String LATENT_STREAM = "gan.z";

    private final Sequential generator;
    private final ProjectionDiscriminator discriminator;
    /** D's minibatch standard-deviation layers, found once: every batch must be a multiple of their groups. */
    private final List<MinibatchStddev> minibatchStddev;
    private final int latent;
    private final int conditionDim;
    private final Optimizer gOptimizer;
    private final Optimizer dOptimizer;
    private final RegularizationPipeline gPipeline;
    private final RegularizationPipeline dPipeline;
    private final TrainingStep gStep;
    private final TrainingStep dStep;
    private final PriorGuidedPenalty prior;
    /** The diversity-sensitive term on G, or null. */
    private final DiversityTerm diversity;
    private final double r1Gamma;
    private final int r1Every;
    /** r1/r2 given as discriminator regularizers ({@link ScoreGradientRegularizer}). */
    private final List<ScoreGradientRegularizer> criticPenalties;
    private final long seed;
    private final Kernels kernels;
    private final BinaryCrossEntropyWithLogits bce = new BinaryCrossEntropyWithLogits();
    private double lastR1;
    private double lastR2 = Double.NaN;
    private long step;

    private GanTrainer(Builder b) {
        this.latent = b.latent;
        int[] gShape = b.generator.inputShape();
        if (gShape.length != 1 || gShape[0] <= latent) {
            throw new ShapeMismatchException("the generator's input must be [latent + conditionDim] with latent = " + latent
                    + " and conditionDim >= 1, got input shape " + Arrays.toString(b.generator.inputShape()));
        }
        this.conditionDim = gShape[0] - latent;
        int[] image = b.generator.outputShape();
        if (!Arrays.equals(image, b.discriminator.inputShape())) {
            throw new ShapeMismatchException("the generator makes images of shape " + Arrays.toString(image)
                    + " but the discriminator expects " + Arrays.toString(b.discriminator.inputShape()));
        }
        if (b.discriminator.conditionDim() != 0 && b.discriminator.conditionDim() != conditionDim) {
            throw new ShapeMismatchException("the discriminator reads conditions of length " + b.discriminator.conditionDim()
                    + " but the generator's are of length " + conditionDim);
        }
        this.seed = b.seed;
        this.kernels = Objects.requireNonNull(b.kernels, "kernels: set them with kernels(...)");
        this.r1Gamma = b.r1Gamma;
        this.r1Every = b.r1Every;
        this.diversity = b.diversity;
        this.gOptimizer = Optimizers.create(b.generatorOptimizer);
        this.dOptimizer = Optimizers.create(b.discriminatorOptimizer);
        this.gPipeline = new RegularizationPipeline(b.generator.parameters(), b.generatorRegularizers, gOptimizer, true);
        this.dPipeline = new RegularizationPipeline(b.discriminator.parameters(), b.discriminatorRegularizers, dOptimizer, true);
        this.gStep = new TrainingStep(gPipeline);
        this.dStep = new TrainingStep(dPipeline);
        if (!gPipeline.scoreGradientRegularizers().isEmpty()) {
            throw new IllegalArgumentException("gradient penalties " + gPipeline.scoreGradientRegularizers()
                    + " act on the discriminator; move them to the discriminator's regularizers (--d-reg)");
        }
        this.criticPenalties = dPipeline.scoreGradientRegularizers();
        if (r1Gamma > 0 && criticPenalties.stream().anyMatch(p -> p.samples() == ScoreGradientRegularizer.Samples.REAL)) {
            throw new IllegalArgumentException("R1 is given twice: r1 gamma " + r1Gamma + " and " + criticPenalties
                    + "; keep one (regula gan: --r1 0 with --d-reg 'r1(...)')");
        }
        if (!dPipeline.outputRegularizers().isEmpty()) {
            throw new IllegalArgumentException("output regularizers act on the generator's images; remove "
                    + dPipeline.outputRegularizers() + " from the discriminator's regularizers");
        }
        this.prior = gPipeline.outputRegularizers().stream().filter(PriorGuidedPenalty.class::isInstance)
                .map(PriorGuidedPenalty.class::cast).findFirst().orElse(null);
        if (prior != null && (prior.probe().dimension() != conditionDim || prior.probe().imageSize() != image[1])) {
            throw new ShapeMismatchException("the prior-guided penalty compares " + prior.probe().imageSize() + "x"
                    + prior.probe().imageSize() + " images with conditions of length " + prior.probe().dimension()
                    + " but the generator makes " + image[1] + "x" + image[2] + " images from conditions of length " + conditionDim);
        }
        this.generator = b.generator.withActivationRegularizers(gPipeline.activationRegularizers());
        this.discriminator = b.discriminator.withActivationRegularizers(dPipeline.activationRegularizers());
        TrainingCheckpoint.checkDistinctNames(checkpointParts()); // before any step, not at the first checkpoint
        this.minibatchStddev = minibatchStddevLayers(discriminator.trunk());
    }

    /**
     * @param generator G: input [latent + conditionDim], output [3, S, S]
     * @param discriminator D(x, c), or an unconditional D(x)
     * @return a builder
     */
    public static Builder builder(Sequential generator, ProjectionDiscriminator discriminator) {
        return new Builder(generator, discriminator);
    }

    /**
     * @param generator G: input [latent + conditionDim], output [3, S, S]
     * @param discriminator an unconditional D: input [3, S, S], output [1], without batch statistics
     * @return a builder
     */
    public static Builder builder(Sequential generator, Sequential discriminator) {
        return new Builder(generator, ProjectionDiscriminator.unconditional(discriminator));
    }

    /** @return the generator (with any activation-regularizer layers inserted) */
    public Sequential generator() {
        return generator;
    }

    /** @return the discriminator (with any activation-regularizer layers inserted) */
    public ProjectionDiscriminator discriminator() {
        return discriminator;
    }

    /** @return the length of z */
    public int latentDim() {
        return latent;
    }

    /** @return the length of c */
    public int conditionDim() {
        return conditionDim;
    }

    /** @return the prior-guided penalty among G's output regularizers, or null */
    public PriorGuidedPenalty penalty() {
        return prior;
    }

    /** @return the iterations done */
    public long step() {
        return step;
    }

    /** @return the generator's pipeline (its learnable regularizers' parameters belong in checkpoints) */
    public RegularizationPipeline generatorPipeline() {
        return gPipeline;
    }

    /** @return the discriminator's pipeline */
    public RegularizationPipeline discriminatorPipeline() {
        return dPipeline;
    }

    /**
     * @return the run's two networks as checkpoint parts: G under {@code g/}, D under {@code d/},
     *     each with its pipeline (optimizer state, regularizers' state) and its layers' state
     */
    public List<TrainingCheckpoint.Part> checkpointParts() {
        return List.of(new TrainingCheckpoint.Part("g/", gPipeline, generator.state()),
                new TrainingCheckpoint.Part("d/", dPipeline, discriminator.state()));
    }

    /**
     * Saves everything the run needs to continue bit for bit: both networks' parameters and layer
     * state (BatchNorm statistics), both optimizers' state, the regularizers' state and the step,
     * atomically (see {@link TrainingCheckpoint}).
     *
     * @param file the checkpoint; its directory must exist
     * @param epoch the epoch the caller is in (stored as the position's epoch)
     * @param settings the run's settings, checked when it resumes
     * @throws IOException if writing fails
     */
    public void saveState(Path file, int epoch, Map<String, String> settings) throws IOException {
        Map<String, String> meta = new java.util.LinkedHashMap<>(settings);
        meta.put(LAST_R1, Double.toString(lastR1)); // reported until the next lazy R1 step
        TrainingCheckpoint.save(file, checkpointParts(), step, epoch, meta);
    }

    /**
     * Restores a run saved by {@link #saveState} into this trainer, built the same way, and
     * continues its step count.
     *
     * @param file the checkpoint
     * @param settings the run's settings, compared exactly
     * @param warn receives a warning where the checkpoint cannot be checked in full
     * @return the position saved
     * @throws IOException if the file cannot be read
     * @throws dev.regula.api.CorruptDataException if it is not a valid training checkpoint
     * @throws IllegalArgumentException if it was written with other settings or regularizers
     */
    public TrainingCheckpoint.Position restoreState(Path file, Map<String, String> settings, Consumer<String> warn) throws IOException {
        return restoreState(file, TrainingCheckpoint.read(file), TrainingCheckpoint.Settings.exact(settings), warn);
    }

    /**
     * Like {@link #restoreState(Path, Map, Consumer)} from a checkpoint already read, with a settings check of the caller's.
     *
     * @param file where it was read from, for messages
     * @param checkpoint the checkpoint from {@link TrainingCheckpoint#read}
     * @param settings how to compare the settings
     * @param warn receives warnings
     * @return the position saved
     * @throws dev.regula.api.CorruptDataException if it is not a valid training checkpoint
     */
    public TrainingCheckpoint.Position restoreState(Path file, Checkpoint checkpoint, TrainingCheckpoint.Settings settings,
                                                    Consumer<String> warn) throws dev.regula.api.CorruptDataException {
        String r1 = checkpoint.metadata().getOrDefault(LAST_R1, "0.0");
        double savedR1;
        try {
            savedR1 = Double.parseDouble(r1);
        } catch (NumberFormatException e) {
            savedR1 = Double.NaN;
        }
        if (!(savedR1 >= 0) || Double.isInfinite(savedR1)) {
            throw new dev.regula.api.CorruptDataException("the checkpoint " + file + " has corrupt metadata: " + LAST_R1 + "='" + r1
                    + "', expected a finite number >= 0");
        }
        TrainingCheckpoint.Position at = TrainingCheckpoint.restore(file, checkpoint, checkpointParts(), settings, warn);
        this.step = at.step();
        this.lastR1 = savedR1;
        return at;
    }

    /**
     * One iteration: a discriminator update, then a generator update (see the class comment).
     *
     * @param real real images, shape [N, 3, S, S], N ≥ 2
     * @param condition the conditions c of the real images, shape [N, conditionDim]; the fakes are
     *     generated from the same conditions, or with a {@link DiversityTerm} from
     *     {@link DiversityTerm#pairedConditions} of them
     * @param epoch the current epoch (for schedules)
     * @return the losses and scores of the iteration
     * @throws NumericalFaultException on NaN or Inf, naming the step and where
     * @throws ShapeMismatchException if the shapes do not fit
     */
    public GanStep step(Tensor real, Tensor condition, int epoch) {
        int n = checkBatch(real, condition);
        StepContext dCtx = context(dOptimizer, epoch);
        StepContext gCtx = context(gOptimizer, epoch);
        Tensor z = latents(seed, LATENT_STREAM, step, n, latent);

        gStep.begin(gCtx);
        Tensor fakeCondition = diversity == null ? condition : DiversityTerm.pairedConditions(condition);
        Tensor fake = generator.forward(concatColumns(z, fakeCondition), gCtx);

        // Discriminator: real (label 1) and fake (label 0) in one batch, then D's update.
        double[] d = dStep.computeGradients(dCtx, ctx -> {
            boolean r1Now = r1Gamma > 0 && step % r1Every == 0;
            if (r1Now) lastR1 = R1Penalty.writeGradient(discriminator, real, condition, r1Gamma * r1Every, ctx);
            if (!criticPenalties.isEmpty()) criticPenalties(real, fake, condition, fakeCondition, r1Now, ctx);
            Tensor logits = discriminator.forward(concatRows(real, fake), concatRows(condition, fakeCondition), ctx);
            float[] l = logits.data();
            double realScore = meanSigmoid(l, 0, n);
            double fakeScore = meanSigmoid(l, n, 2 * n);
            Tensor target = Tensor.zeros(2 * n, 1);
            Arrays.fill(target.data(), 0, n, 1f);
            Tensor gradLogits = Tensor.zeros(2 * n, 1);
            // The mean over 2N is half of mean(real) + mean(fake): double loss and gradient.
            double loss = 2 * bce.compute(logits, target, gradLogits, kernels);
            check(loss, "discriminator loss");
            kernels.scale(2 * n, 2f, gradLogits.data(), 0);
            discriminator.backwardParameters(gradLogits, ctx); // ∂/∂images is not needed
            return new double[] {loss, realScore, fakeScore};
        });
        double dLoss = d[0];
        double realScore = d[1];
        double fakeScore = d[2];
        dStep.applyUpdate(dCtx);

        // Generator: non-saturating loss through the updated D (input gradient only: D's own
        // gradients would be discarded), plus G's output regularizers, then G's backward and update.
        double[] gLossOut = new double[1];
        Tensor gradFake = dStep.computeGradients(dCtx, ctx -> {
            Tensor fakeLogits = discriminator.forward(fake, fakeCondition, ctx);
            Tensor ones = Tensor.zeros(n, 1).fill(1f);
            Tensor gradFakeLogits = Tensor.zeros(n, 1);
            gLossOut[0] = bce.compute(fakeLogits, ones, gradFakeLogits, kernels);
            check(gLossOut[0], "generator loss");
            return discriminator.backwardInput(gradFakeLogits, ctx).copy();
        });
        double gLoss = gLossOut[0];
        double featureError = prior == null ? Double.NaN : prior.featureError(fake, fakeCondition);
        double pen = gPipeline.outputPenalty(fake, fakeCondition, gradFake, gCtx);
        double pairRatio = diversity == null ? Double.NaN : diversity.addGradient(fake, z, gradFake);
        generator.backward(gradFake, gCtx);
        gStep.endBackward(gCtx);
        gStep.applyUpdate(gCtx);
        step++;
        boolean anyR1 = r1Gamma > 0 || criticPenalties.stream().anyMatch(p -> p.samples() == ScoreGradientRegularizer.Samples.REAL);
        return new GanStep(step, dLoss, gLoss, pen, featureError, realScore, fakeScore, anyR1 ? lastR1 : Double.NaN, pairRatio);
    }

    /**
     * Generates images in EVAL mode (BatchNorm uses its running statistics; nothing changes).
     *
     * @param z latents, shape [N, latentDim]
     * @param condition conditions, shape [N, conditionDim]
     * @return images, shape [N, 3, S, S] in (−1, 1)
     */
    public Tensor generate(Tensor z, Tensor condition) {
        if (z.rank() != 2 || z.dim(1) != latent || condition.rank() != 2 || condition.dim(1) != conditionDim
                || z.dim(0) != condition.dim(0)) {
            throw new ShapeMismatchException("generate: z must be [N, " + latent + "] and condition [N, " + conditionDim
                    + "], got " + Arrays.toString(z.shape()) + " and " + Arrays.toString(condition.shape()));
        }
        return generator.forward(concatColumns(z, condition), StepContext.eval(kernels));
    }

    /**
     * Standard normal latents, a pure function of the arguments.
     *
     * @param seed the run seed
     * @param stream the stream name (e.g. {@value #LATENT_STREAM}, or another one for fixed sample latents)
     * @param step the step (or any counter)
     * @param n the number of latents
     * @param latent their length
     * @return shape [n, latent]; value i is {@code CounterRng.gaussian(key(seed, stream(stream), step), i)}
     */
    public static Tensor latents(long seed, String stream, long step, int n, int latent) {
        long key = CounterRng.key(seed, CounterRng.stream(stream), step);
        Tensor z = Tensor.zeros(n, latent);
        float[] d = z.data();
        for (int i = 0; i < d.length; i++) d[i] = CounterRng.gaussian(key, i);
        return z;
    }

    /** [a ‖ b] row by row: two rank-2 tensors with the same number of rows, side by side. */
    static Tensor concatColumns(Tensor a, Tensor b) {
        int n = a.dim(0);
        int ca = a.dim(1);
        int cb = b.dim(1);
        float[] out = new float[n * (ca + cb)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a.data(), i * ca, out, i * (ca + cb), ca);
            System.arraycopy(b.data(), i * cb, out, i * (ca + cb) + ca, cb);
        }
        return Tensor.wrap(out, n, ca + cb);
    }

    /** The examples of a followed by those of b (same example shape). */
    static Tensor concatRows(Tensor a, Tensor b) {
        int[] shape = a.shape();
        shape[0] = a.dim(0) + b.dim(0);
        float[] out = Arrays.copyOf(a.data(), a.size() + b.size());
        System.arraycopy(b.data(), 0, out, a.size(), b.size());
        return Tensor.wrap(out, shape);
    }

    private int checkBatch(Tensor real, Tensor condition) {
        int[] image = generator.outputShape();
        int[] s = real.shape();
        if (s.length != 4 || !Arrays.equals(Arrays.copyOfRange(s, 1, 4), image) || s[0] < 2) {
            throw new ShapeMismatchException("real images must have shape [N >= 2, " + image[0] + ", " + image[1] + ", "
                    + image[2] + "], got " + Arrays.toString(s));
        }
        if (condition.rank() != 2 || condition.dim(0) != s[0] || condition.dim(1) != conditionDim) {
            throw new ShapeMismatchException("conditions must have shape [" + s[0] + ", " + conditionDim + "], got "
                    + Arrays.toString(condition.shape()));
        }
        // checked before D's update: D scores real and fake in one batch, where a batch that is no
        // multiple of a group would mix real and generated images in one group
        for (MinibatchStddev m : minibatchStddev) {
            if (s[0] % m.group() != 0) {
                throw new ShapeMismatchException("the batch of real images (" + s[0] + ") must be a multiple of the group size "
                        + m.group() + " of the discriminator's " + m.name() + ", so that no group mixes real and generated images");
            }
        }
        return s[0];
    }

    /** The minibatch standard-deviation layers of a model, in nested sequential models too. */
    private static List<MinibatchStddev> minibatchStddevLayers(Sequential model) {
        List<MinibatchStddev> found = new java.util.ArrayList<>();
        for (dev.regula.api.model.Layer layer : model.layers()) {
            if (layer instanceof MinibatchStddev m) found.add(m);
            else if (layer instanceof Sequential inner) found.addAll(minibatchStddevLayers(inner));
        }
        return List.copyOf(found);
    }

    private StepContext context(Optimizer optimizer, int epoch) {
        return new StepContext(Mode.TRAIN, step, epoch, optimizer.learningRate().valueAt(step, epoch), seed, kernels);
    }

    /**
     * Runs the r1/r2 regularizers due at this step, each with {@link R1Penalty#writeGradient} at its
     * samples, and leaves the sum of their parameter gradients (plus the builder's R1, if it ran) in
     * D's gradients. The generated samples are used as they are (held fixed: nothing flows to G).
     */
    private void criticPenalties(Tensor real, Tensor fake, Tensor condition, Tensor fakeCondition, boolean r1Ran, StepContext dCtx) {
        List<dev.regula.api.param.Parameter> params = discriminator.parameters();
        float[][] sum = null;
        if (r1Ran) sum = params.stream().map(p -> p.grad().data().clone()).toArray(float[][]::new);
        for (ScoreGradientRegularizer p : criticPenalties) {
            if (step % p.every() != 0) continue;
            double gamma = p.gamma(dCtx);
            if (!(gamma >= 0) || Double.isInfinite(gamma)) {
                throw new dev.regula.api.PluginException("regularizer " + p.spec() + " gave gamma = " + gamma + " at step " + step
                        + "; allowed: finite and >= 0");
            }
            if (gamma == 0) continue;
            boolean atReal = p.samples() == ScoreGradientRegularizer.Samples.REAL;
            double value = R1Penalty.writeGradient(discriminator, atReal ? real : fake, atReal ? condition : fakeCondition,
                    gamma * p.every(), dCtx);
            if (atReal) lastR1 = value;
            else lastR2 = value;
            if (sum == null) {
                sum = params.stream().map(q -> q.grad().data().clone()).toArray(float[][]::new);
            } else {
                for (int i = 0; i < sum.length; i++) {
                    float[] g = params.get(i).grad().data();
                    for (int j = 0; j < g.length; j++) sum[i][j] += g[j];
                }
            }
        }
        for (int i = 0; sum != null && i < sum.length; i++) System.arraycopy(sum[i], 0, params.get(i).grad().data(), 0, sum[i].length);
        if (sum == null) for (dev.regula.api.param.Parameter p : params) p.zeroGrad();
    }

    /** @return the last R2 value, weight/2·mean‖∇ₓD‖² at the generated samples (NaN before any) */
    public double lastR2() {
        return lastR2;
    }

    private void check(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new NumericalFaultException(step, what, "the " + what + " is " + value + " at step " + step
                    + "; lower the learning rates, add clip-norm(max=...) or spectral-norm to the discriminator, or lower lambda");
        }
    }

    private static double meanSigmoid(float[] logits, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += 1 / (1 + Math.exp(-logits[i]));
        return s / (to - from);
    }

    /** Configures a {@link GanTrainer}. */
    public static final class Builder {
        private final Sequential generator;
        private final ProjectionDiscriminator discriminator;
        private int latent = 64;
        private String generatorOptimizer = DEFAULT_OPTIMIZER;
        private String discriminatorOptimizer = DEFAULT_OPTIMIZER;
        private List<Regularizer> generatorRegularizers = List.of();
        private List<Regularizer> discriminatorRegularizers = List.of();
        private PriorGuidedPenalty penalty;
        private double r1Gamma;
        private int r1Every = 16;
        private DiversityTerm diversity;
        private long seed;
        private Kernels kernels;

        private Builder(Sequential generator, ProjectionDiscriminator discriminator) {
            this.generator = Objects.requireNonNull(generator, "generator");
            this.discriminator = Objects.requireNonNull(discriminator, "discriminator");
        }

        /** @param n the length of z, ≥ 1 (default 64) @return this */
        public Builder latent(int n) {
            if (n < 1) throw new IllegalArgumentException("latent must be >= 1, got " + n);
            this.latent = n;
            return this;
        }

        /**
         * @param p the prior-guided penalty on G's output, or null for none (default); it joins G's
         *     regularizers as an output regularizer
         * @return this
         */
        public Builder penalty(PriorGuidedPenalty p) {
            this.penalty = p;
            return this;
        }

        /** @param spec G's optimizer, e.g. {@code adam(lr=2e-4, beta1=0.5)} @return this */
        public Builder generatorOptimizer(String spec) {
            this.generatorOptimizer = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /** @param spec D's optimizer @return this */
        public Builder discriminatorOptimizer(String spec) {
            this.discriminatorOptimizer = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /** @param regularizers regularizers of G (parameter, activation and output kinds), in order @return this */
        public Builder generatorRegularizers(List<? extends Regularizer> regularizers) {
            this.generatorRegularizers = List.copyOf(regularizers);
            return this;
        }

        /** @param regularizers regularizers of D's parameters, e.g. {@code spectral-norm} @return this */
        public Builder discriminatorRegularizers(List<? extends Regularizer> regularizers) {
            this.discriminatorRegularizers = List.copyOf(regularizers);
            return this;
        }

        /**
         * @param gamma γ of the R1 penalty on D, ≥ 0 (0, the default, turns it off)
         * @param every apply it every this many steps (lazy regularization), ≥ 1 (default 16)
         * @return this
         */
        public Builder r1(double gamma, int every) {
            if (!(gamma >= 0) || !Double.isFinite(gamma)) throw new IllegalArgumentException("r1 gamma must be finite and >= 0, got " + gamma);
            if (every < 1) throw new IllegalArgumentException("r1 interval must be >= 1, got " + every);
            this.r1Gamma = gamma;
            this.r1Every = every;
            return this;
        }

        /**
         * @param term the diversity-sensitive term on G, or null for none (default); with one, the
         *     generated batch is made in pairs sharing a condition ({@link DiversityTerm#pairedConditions}),
         *     so a D with a {@link MinibatchStddev} layer sees generated groups whose pairs share a
         *     condition: give it real batches grouped the same way (groups of an even size sharing
         *     a condition) or none
         * @return this
         */
        public Builder diversity(DiversityTerm term) {
            this.diversity = term;
            return this;
        }

        /** @param s the seed of the latents and of every random mask @return this */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** @param k the kernels to compute with @return this */
        public Builder kernels(Kernels k) {
            this.kernels = Objects.requireNonNull(k, "kernels");
            return this;
        }

        /**
         * @return the trainer
         * @throws ShapeMismatchException if G, D, the latent length and the penalty do not fit together
         */
        public GanTrainer build() {
            if (penalty != null) {
                List<Regularizer> all = new java.util.ArrayList<>(generatorRegularizers);
                all.add(penalty);
                generatorRegularizers = List.copyOf(all);
                penalty = null;
            }
            return new GanTrainer(this);
        }
    }
}
