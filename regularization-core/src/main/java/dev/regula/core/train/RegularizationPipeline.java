package dev.regula.core.train;

import dev.regula.api.NumericalFaultException;
import dev.regula.api.PluginException;
import dev.regula.api.RegulaException;
import dev.regula.api.StepContext;
import dev.regula.api.optim.Optimizer;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.api.regularizer.ActivationRegularizer;
import dev.regula.api.regularizer.ActivityRegularizer;
import dev.regula.api.regularizer.BatchRegularizer;
import dev.regula.api.regularizer.CoupledDecay;
import dev.regula.api.regularizer.ForwardPerturbation;
import dev.regula.api.regularizer.GradientClipper;
import dev.regula.api.regularizer.InputGradientRegularizer;
import dev.regula.api.regularizer.LabelMix;
import dev.regula.api.regularizer.LearnableRegularizer;
import dev.regula.api.regularizer.OutputRegularizer;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.ScoreGradientRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.regularizer.WeightAverager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed regularization pipeline of a training step, the same for every optimizer:
 * batch assembly ({@link BatchRegularizer}) → perturb → (forward, loss, output penalties, backward
 * by the caller) → restore → {@link Stage#GRADIENT} → {@link Stage#CLIP} → {@link Stage#DECOUPLED}
 * → optimizer update → the output regularizers' own parameters → {@link Stage#PROXIMAL} →
 * {@link Stage#CONSTRAINT} → weight averaging ({@link WeightAverager}: EMA, SWA). Output
 * regularizers add their gradient between the loss and backward ({@link #outputPenalty}); an
 * {@link InputGradientRegularizer} replaces the plain backward by {@link InputGradientPass}.
 *
 * <p>Decoupled decay runs on the weights of the previous step θ_{t−1}, just before the update, as
 * in Loshchilov &amp; Hutter's Algorithm 2 and PyTorch's {@code AdamW}: the step is
 * θ_t = θ_{t−1} − η·u_t − η·λ·θ_{t−1}, where u_t is the optimizer's update direction, computed
 * from the gradient and the optimizer's state only (true of every built-in optimizer: SGD with or
 * without momentum, Adam, RMSprop). Decaying after the update would give
 * (θ_{t−1} − η·u_t)(1 − η·λ), which differs by η²·λ·u_t.
 *
 * <p>Every call into a regularizer, whatever its kind, is guarded the same way: an unchecked
 * exception becomes a {@link PluginException} naming the regularizer, its origin, the call and the
 * step; with checking on, a NaN or Inf penalty, batch, average or input-gradient penalty becomes a
 * {@link NumericalFaultException}.
 *
 * <p>Regularizers run in the order given, each on the parameters its selector picks (resolved
 * once, at construction). Activation regularizers are not handled here: they are layers inserted
 * into the model (see {@link #activationRegularizers()}). Output regularizers (the confidence
 * penalty) run between the data loss and backward ({@link #outputPenalty}). Not thread-safe: one
 * pipeline per run.
 */
public final class RegularizationPipeline {
    private final List<Parameter> parameters;
    private final Optimizer optimizer;
    private final List<Regularizer> given;
    private final Map<Stage, List<Binding>> byStage = new EnumMap<>(Stage.class);
    private final List<Binding> penalties = new ArrayList<>();
    private final List<GradientClipper> clippers = new ArrayList<>();
    private final List<PerturbationBinding> perturbations = new ArrayList<>();
    private final List<LearnableRegularizer> learnables = new ArrayList<>();
    private final List<ActivationRegularizer> activations = new ArrayList<>();
    private final List<OutputRegularizer> outputs = new ArrayList<>();
    private InputGradientRegularizer inputGradient;
    private final List<ScoreGradientRegularizer> scoreGradients = new ArrayList<>();
    private double lastInputGradientPenalty;
    private final List<WeightAverager> averagers = new ArrayList<>();
    /** Batch regularizers: the augmentations in the order given, then the one mixing regularizer, if any. */
    private final List<BatchRegularizer> batchStage = new ArrayList<>();
    private final boolean checkFinite;
    /**
     * Whether the GRADIENT stage is folded into the optimizer: every regularizer there is a
     * {@link CoupledDecay}, and no clipper or learnable regularizer has to see the decayed gradient.
     */
    private final boolean decayFolded;
    /** Per parameter (in {@link #parameters} order) the coefficient of its folded decay, reused. */
    private final float[] decay;
    /** Per GRADIENT-stage binding, the positions of its targets in {@link #parameters}. */
    private final int[][] gradientTargetIndices;
    private double lastGradientNorm = Double.NaN;
    /** Per model parameter, ‖g‖₂ right after backward at the last update. */
    private final double[] gradientNorms;
    /** Σ g² per parameter of the step being checked: copied to the norms only once the check passed. */
    private final double[] squares;
    /** Per model parameter, ‖Δθ‖/‖θ_{t−1}‖ of the last measured update (NaN until one is). */
    private final double[] updateRatios;
    /** Copies of θ_{t−1} for a measured update, made on first use. */
    private float[][] before;
    private boolean measureNext;

    private record Binding(ParameterRegularizer regularizer, List<Parameter> targets) {
    }

    private record PerturbationBinding(ForwardPerturbation perturbation, List<Parameter> targets) {
    }

    /**
     * @param parameters the model's trainable parameters
     * @param regularizers every regularizer of the run, in the order to apply
     * @param optimizer the optimizer; its implied regularizers are appended
     * @param checkFinite whether to check gradients and parameters for NaN/Inf after every stage
     */
    public RegularizationPipeline(List<Parameter> parameters, List<? extends Regularizer> regularizers,
                                  Optimizer optimizer, boolean checkFinite) {
        this.parameters = List.copyOf(parameters);
        this.optimizer = optimizer;
        this.given = List.copyOf(regularizers);
        this.checkFinite = checkFinite;
        for (Stage s : Stage.values()) byStage.put(s, new ArrayList<>());
        List<Regularizer> all = new ArrayList<>(regularizers);
        all.addAll(optimizer.impliedRegularizers());
        for (Regularizer r : all) {
            // exhaustive over the sealed kinds: a new kind in the API fails to compile here until it is placed in the step
            switch (r) {
                case ParameterRegularizer pr -> {
                    if (pr.stage() == Stage.CLIP) {
                        throw new IllegalArgumentException(pr.name() + ": CLIP is for GradientClipper implementations, not parameter regularizers");
                    }
                    List<Parameter> targets = parameters.stream().filter(pr.selector()::test).toList();
                    Binding b = new Binding(pr, targets);
                    byStage.get(pr.stage()).add(b);
                    penalties.add(b);
                    if (pr instanceof LearnableRegularizer lr) learnables.add(lr);
                }
                case GradientClipper c -> clippers.add(c);
                case ForwardPerturbation fp -> perturbations.add(
                        new PerturbationBinding(fp, parameters.stream().filter(fp.selector()::test).toList()));
                case ActivationRegularizer ar -> activations.add(ar);
                case OutputRegularizer or -> outputs.add(or);
                case BatchRegularizer br -> batchStage.add(br);
                case InputGradientRegularizer ig -> {
                    if (inputGradient != null) {
                        throw new IllegalArgumentException("at most one input-gradient penalty per run, got " + inputGradient.spec()
                                + " and " + ig.spec());
                    }
                    inputGradient = ig;
                }
                case ScoreGradientRegularizer sg -> {
                    if (scoreGradients.stream().anyMatch(o -> o.samples() == sg.samples())) {
                        throw new IllegalArgumentException("two gradient penalties on " + sg.samples().name().toLowerCase(java.util.Locale.ROOT)
                                + " samples (" + sg.spec() + "); keep one");
                    }
                    scoreGradients.add(sg);
                }
                case WeightAverager w -> {
                    if (averagers.stream().anyMatch(a -> a.kind().equals(w.kind()))) {
                        throw new IllegalArgumentException("two weight averagers of kind '" + w.kind() + "' (" + w.spec()
                                + "); keep one, since evaluation names the average by its kind");
                    }
                    averagers.add(w);
                }
            }
        }
        checkOwnParameterNames();
        List<BatchRegularizer> mixing = batchStage.stream().filter(BatchRegularizer::mixesLabels).toList();
        if (mixing.size() > 1) {
            throw new IllegalArgumentException("at most one label-mixing regularizer per run, got "
                    + mixing.stream().map(BatchRegularizer::spec).toList() + "; keep one of them");
        }
        batchStage.removeAll(mixing);
        batchStage.addAll(mixing);
        List<Binding> gradientStage = byStage.get(Stage.GRADIENT);
        // one decay per parameter at most: two would add up in another order than two axpy passes
        long selections = gradientStage.stream().mapToLong(b -> b.targets.size()).sum();
        long selected = gradientStage.stream().flatMap(b -> b.targets.stream()).distinct().count();
        // a decoupled decay between the GRADIENT stage and the update would change the θ a folded decay reads
        decayFolded = !gradientStage.isEmpty() && clippers.isEmpty() && learnables.isEmpty() && selections == selected
                && byStage.get(Stage.DECOUPLED).isEmpty()
                && gradientStage.stream().allMatch(b -> b.regularizer instanceof CoupledDecay);
        decay = new float[this.parameters.size()];
        gradientNorms = new double[this.parameters.size()];
        squares = new double[this.parameters.size()];
        updateRatios = new double[this.parameters.size()];
        Arrays.fill(gradientNorms, Double.NaN);
        Arrays.fill(updateRatios, Double.NaN);
        gradientTargetIndices = gradientStage.stream()
                .map(b -> b.targets.stream().mapToInt(this.parameters::indexOf).toArray())
                .toArray(int[][]::new);
    }

    /** @return the model's trainable parameters the stages run on, in the constructor's order */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * @return the regularizers given at construction, in order (without the optimizer's implied
     *     ones): checkpoints key the regularizers' state by the position in this list
     */
    public List<Regularizer> regularizers() {
        return given;
    }

    /** @return the optimizer the update runs */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** @return the activation regularizers, to be inserted as layers into the model */
    public List<ActivationRegularizer> activationRegularizers() {
        return List.copyOf(activations);
    }

    /** @return the weight averagers (EMA, SWA), in the order given */
    public List<WeightAverager> weightAveragers() {
        return List.copyOf(averagers);
    }

    /**
     * @param kind {@code ema} or {@code swa}
     * @return the averager of that kind, if the run has one
     */
    public Optional<WeightAverager> weightAverager(String kind) {
        return averagers.stream().filter(a -> a.kind().equals(kind)).findFirst();
    }

    /**
     * Batch assembly: runs the batch regularizers on a freshly gathered training batch, the
     * augmentations first, then the mixing one (see {@link BatchRegularizer}).
     *
     * @param features the batch's features, changed in place
     * @param labels its labels
     * @param ctx the step (TRAIN)
     * @return the label mix, or null if no regularizer mixed the batch
     * @throws NumericalFaultException if a regularizer left NaN or Inf in the batch (when checking is on), naming it
     * @throws PluginException if a regularizer throws, or a non-mixing one returns a label mix, naming it and its origin
     */
    public LabelMix assembleBatch(Tensor features, Tensor labels, StepContext ctx) {
        LabelMix mix = null;
        for (BatchRegularizer b : batchStage) {
            LabelMix m;
            try {
                m = b.apply(features, labels, ctx);
            } catch (RegulaException e) {
                throw e;
            } catch (RuntimeException e) {
                throw failed(b, "apply", null, ctx, e);
            }
            if (m != null && !b.mixesLabels()) {
                throw new PluginException("regularizer " + b.spec() + " (" + PluginException.origin(b.getClass())
                        + ") returned a label mix at step " + ctx.step() + " but says it does not mix labels (mixesLabels() is false)");
            }
            if (checkFinite && !finite(ctx.kernels(), features)) {
                throw new NumericalFaultException(ctx.step(), "batch assembly: " + b.spec(),
                        "NaN or Inf in the training batch at step " + ctx.step() + " (epoch " + (ctx.epoch() + 1) + ") after the batch regularizer "
                                + b.spec() + " (" + PluginException.origin(b.getClass()) + "); check the input data or the regularizer");
            }
            if (m != null) mix = m;
        }
        return mix;
    }

    /** @return whether any batch regularizer runs (the trainer then calls {@link #assembleBatch}) */
    public boolean hasBatchRegularizers() {
        return !batchStage.isEmpty();
    }

    /** @return the input-gradient penalty of the run, or null (the trainer then runs {@link InputGradientPass}) */
    /**
     * @return the critic gradient penalties (R1, R2) of the run, in the order given; a GAN trainer
     *     runs them, the supervised {@link Trainer} refuses them
     */
    public List<ScoreGradientRegularizer> scoreGradientRegularizers() {
        return List.copyOf(scoreGradients);
    }

    InputGradientRegularizer inputGradient() {
        return inputGradient;
    }

    /** @param r the input-gradient penalty of the last training step, finite (the trainer checks it), for {@link #penalties} */
    void recordInputGradientPenalty(double r) {
        lastInputGradientPenalty = r;
    }

    /** @return whether any output regularizer runs (the trainer then calls {@link #outputPenalty}) */
    public boolean hasOutputRegularizers() {
        return !outputs.isEmpty();
    }

    /**
     * Refuses, before any step, regularizers whose own parameters would share a name with another
     * parameter of the run (a checkpoint stores every parameter under its name): those they hold
     * now, and those learnable regularizers of one name make as they start on the same parameters
     * (soft-anchor's learnable anchors).
     *
     * @throws IllegalArgumentException naming both owners and the name
     */
    private void checkOwnParameterNames() {
        Map<String, String> owner = new HashMap<>();
        for (Parameter p : parameters) owner.put(p.name(), "the model");
        List<Regularizer> owners = new ArrayList<>(learnables);
        owners.addAll(outputs);
        for (Regularizer r : owners) {
            List<Parameter> own = r instanceof LearnableRegularizer lr ? lr.ownParameters() : ((OutputRegularizer) r).ownParameters();
            for (Parameter p : own) {
                String before = owner.putIfAbsent(p.name(), r.spec());
                if (before != null) throw sameName(before, r.spec(), "'" + p.name() + "'");
            }
        }
        List<Binding> learnable = penalties.stream().filter(b -> b.regularizer instanceof LearnableRegularizer).toList();
        for (int i = 0; i < learnable.size(); i++) {
            for (int j = i + 1; j < learnable.size(); j++) {
                Binding a = learnable.get(i);
                Binding b = learnable.get(j);
                if (a.regularizer.name().equals(b.regularizer.name()) && a.targets.stream().anyMatch(b.targets::contains)) {
                    throw sameName(a.regularizer.spec(), b.regularizer.spec(), "'" + a.regularizer.name() + ".…' on the same parameters");
                }
            }
        }
    }

    private static IllegalArgumentException sameName(String first, String second, String name) {
        boolean model = first.equals("the model");
        return new IllegalArgumentException(first + " and " + second + " would both keep a parameter under the name " + name
                + ", and a checkpoint stores each parameter under its own name; " + (model
                        ? "rename the model's layer or leave out that regularizer"
                        : "keep one of them (one regularizer's on= can select several layers)"));
    }

    /** @return the output regularizers, in order */
    public List<OutputRegularizer> outputRegularizers() {
        return List.copyOf(outputs);
    }

    /** @return every parameter, model's and learnable regularizers', as checkpoints should store them */
    public List<Parameter> allParameters() {
        List<Parameter> all = new ArrayList<>(parameters);
        for (LearnableRegularizer lr : learnables) all.addAll(lr.ownParameters());
        for (OutputRegularizer or : outputs) all.addAll(or.ownParameters());
        return all;
    }

    /**
     * Runs every output regularizer on the batch's output: call it after the data loss has written
     * ∂L/∂output and before backward. Each adds its gradient into {@code gradOutput}.
     *
     * @param output the model's output
     * @param condition the batch's condition or targets (see {@link OutputRegularizer#apply})
     * @param gradOutput ∂L/∂output; receives the regularizers' gradients
     * @param ctx the step (TRAIN)
     * @return Σ of their penalties (0 when there are none)
     * @throws NumericalFaultException if a penalty is NaN or Inf (when checking is on), naming it
     * @throws PluginException if a regularizer throws, naming it and its origin
     */
    public double outputPenalty(Tensor output, Tensor condition, Tensor gradOutput, StepContext ctx) {
        double sum = 0;
        for (OutputRegularizer or : outputs) {
            double r;
            try {
                r = or.apply(output, condition, gradOutput, ctx);
            } catch (RegulaException e) {
                throw e;
            } catch (RuntimeException e) {
                throw failed(or, "apply", null, ctx, e);
            }
            if (checkFinite && !Double.isFinite(r)) {
                throw new NumericalFaultException(ctx.step(), "output penalty: " + or.spec(),
                        "the output penalty " + or.spec() + " (" + PluginException.origin(or.getClass()) + ") is " + r
                                + " at step " + ctx.step() + " (epoch " + (ctx.epoch() + 1) + "); lower its lambda or the learning rate");
            }
            sum += r;
        }
        return sum;
    }

    /** @return the learnable regularizers */
    public List<LearnableRegularizer> learnableRegularizers() {
        return List.copyOf(learnables);
    }

    /**
     * Penalty values for reporting, one entry per regularizer with an objective term (by spec):
     * parameter regularizers at the current parameters; activity and output regularizers as they
     * were at the last training step (they depend on the batch). Does not change anything.
     *
     * @param ctx the step
     * @return spec → Σ over its parameters (or layers) of R
     * @throws NumericalFaultException if a penalty is NaN or Inf (when checking is enabled),
     *     naming the regularizer, the parameter and where the regularizer came from
     * @throws PluginException if a regularizer throws, naming it and its origin
     */
    public Map<String, Double> penalties(StepContext ctx) {
        return penalties(ctx, new ArrayList<>());
    }

    /**
     * Each parameter regularizer's penalty split by parameter: one {@link ParameterPenalty} per
     * (regularizer, parameter it acts on), in the order of the regularizers and of their
     * parameters. For each regularizer the parts, summed in this order, equal its entry in
     * {@link #penalties} (exactly, unless two regularizers share a spec: then up to rounding).
     * Activity, output and input-gradient penalties have no parts.
     *
     * @param ctx the step
     * @return the parts, in order
     * @throws NumericalFaultException if a penalty is NaN or Inf (when checking is enabled)
     * @throws PluginException if a regularizer throws, naming it and its origin
     */
    public List<ParameterPenalty> parameterPenalties(StepContext ctx) {
        List<ParameterPenalty> parts = new ArrayList<>();
        penalties(ctx, parts);
        return List.copyOf(parts);
    }

    /**
     * {@link #penalties(StepContext)}, each penalty computed once, with its per-parameter parts.
     *
     * @param ctx the step
     * @param parts receives the parameter penalties' parts, in order
     * @return spec → Σ over its parameters (or layers) of R
     */
    Map<String, Double> penalties(StepContext ctx, List<ParameterPenalty> parts) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Binding b : penalties) {
            double sum = 0;
            for (Parameter p : b.targets) {
                double v;
                try {
                    v = b.regularizer.penalty(p, ctx);
                } catch (RegulaException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw failed(b.regularizer, "penalty", p, ctx, e);
                }
                if (checkFinite && !Double.isFinite(v)) {
                    throw new NumericalFaultException(ctx.step(), "penalty of " + b.regularizer.spec() + ": " + p.name(),
                            "the penalty of " + b.regularizer.spec() + " (" + PluginException.origin(b.regularizer.getClass())
                                    + ") on " + p.name() + " is " + v + " at step " + ctx.step() + " (end of epoch " + (ctx.epoch() + 1)
                                    + "); the loss includes the penalties, so training stops here (the last good checkpoint stays)");
                }
                sum += v;
                parts.add(new ParameterPenalty(b.regularizer.spec(), p.name(), v));
            }
            out.merge(b.regularizer.spec(), sum, Double::sum);
        }
        for (ActivationRegularizer a : activations) {
            if (!(a instanceof ActivityRegularizer ar)) continue;
            double v;
            try {
                v = ar.lastPenalty();
            } catch (RegulaException e) {
                throw e;
            } catch (RuntimeException e) {
                throw failed(ar, "lastPenalty", null, ctx, e);
            }
            if (checkFinite && !Double.isFinite(v)) {
                throw new NumericalFaultException(ctx.step(), "activity penalty: " + ar.spec(),
                        "the activity penalty " + ar.spec() + " (" + PluginException.origin(ar.getClass()) + ") is " + v
                                + " at step " + ctx.step() + " (end of epoch " + (ctx.epoch() + 1)
                                + "); lower its l1/l2 or the learning rate, or check the input data");
            }
            out.merge(ar.spec(), v, Double::sum);
        }
        // Output penalties depend on the batch: the trainer reports their mean over the epoch.
        if (inputGradient != null) out.merge(inputGradient.spec(), lastInputGradientPenalty, Double::sum);
        return out;
    }

    /**
     * @return the spec of every parameter regularizer and forward perturbation whose selector
     *     picks no parameter of the model: it does nothing, which a user should hear about
     */
    public List<String> unmatchedRegularizers() {
        List<String> out = new ArrayList<>();
        for (Binding b : penalties) if (b.targets.isEmpty()) out.add(b.regularizer.spec());
        for (PerturbationBinding b : perturbations) if (b.targets.isEmpty()) out.add(b.perturbation.spec());
        return out;
    }

    /** A regularizer threw: name it, where it came from, the call, the parameter (or null) and the step. */
    static PluginException failed(Regularizer r, String call, Parameter p, StepContext ctx, RuntimeException e) {
        return new PluginException("regularizer " + r.spec() + " (" + PluginException.origin(r.getClass()) + ") failed in "
                + call + (p == null ? "" : " on " + p.name()) + " at step " + ctx.step() + " (epoch " + (ctx.epoch() + 1) + "): " + e, e);
    }

    /**
     * Applies forward perturbations (drop-connect) before the forward pass.
     *
     * @param ctx the step (TRAIN)
     */
    public void beforeForward(StepContext ctx) {
        for (PerturbationBinding b : perturbations) {
            for (Parameter p : b.targets) {
                try {
                    b.perturbation.perturb(p, ctx);
                } catch (RegulaException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw failed(b.perturbation, "perturb", p, ctx, e);
                }
            }
        }
    }

    /**
     * Restores perturbed parameters right after backward, in reverse order.
     *
     * @param ctx the step
     */
    public void afterBackward(StepContext ctx) {
        for (int i = perturbations.size() - 1; i >= 0; i--) {
            PerturbationBinding b = perturbations.get(i);
            for (Parameter p : b.targets) {
                try {
                    b.perturbation.restore(p, ctx);
                } catch (RegulaException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw failed(b.perturbation, "restore", p, ctx, e);
                }
            }
        }
    }

    /**
     * Runs the stages after backward: GRADIENT, CLIP, DECOUPLED (on θ_{t−1}), the optimizer update,
     * the output regularizers' {@code updateOwnParameters}, PROXIMAL, CONSTRAINT, then the weight
     * averagers, checking for NaN/Inf when enabled: the gradients after backward and (if any
     * GRADIENT-stage or learnable regularizer ran) after the GRADIENT stage, the values after the
     * optimizer update and after each later regularizer. Each check is one
     * {@link Kernels#allFinite} pass, so it runs at the speed of the SIMD kernels, except the one
     * after backward, which reads the sums of squares of the gradient norms' pass (a scan runs
     * only when a sum is not finite).
     *
     * <p>When the GRADIENT stage holds only {@link CoupledDecay} regularizers (L2), at most one per
     * parameter, and no clipper or learnable regularizer runs, the stage is folded into the optimizer's pass
     * ({@link Optimizer#stepWithDecay}), which also reports whether the new values are finite: the
     * same numbers in fewer passes over memory. A NaN or Inf the decay would have made is then
     * reported after the optimizer update rather than after the GRADIENT stage.
     *
     * @param ctx the step
     * @throws NumericalFaultException naming the step, the stage and the parameter
     * @throws PluginException if a regularizer throws, naming it and its origin
     */
    public void update(StepContext ctx) {
        Parameter nonFinite = null;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            Tensor g = p.grad();
            squares[i] = ctx.kernels().sumSquares(g.size(), g.data(), 0);
            // the finite check after backward rides on this pass: a NaN or Inf makes the sum of
            // squares NaN or Inf; a sum that overflowed from finite values is told apart by a scan
            if (checkFinite && nonFinite == null && !Double.isFinite(squares[i]) && !finite(ctx.kernels(), g)) nonFinite = p;
        }
        // a faulty step leaves the norms of the last good one, all of them
        if (nonFinite != null) throw fault(ctx, "backward", nonFinite.name() + ".grad");
        double total = 0;
        for (int i = 0; i < squares.length; i++) {
            gradientNorms[i] = Math.sqrt(squares[i]);
            total += squares[i];
        }
        lastGradientNorm = Math.sqrt(total);
        boolean measure = measureNext;
        measureNext = false;
        if (measure) snapshot();
        updateStages(ctx);
        if (measure) measureUpdate(ctx);
    }

    private void updateStages(StepContext ctx) {
        if (decayFolded) {
            boolean finite = optimizer.stepWithDecay(parameters, foldedDecay(ctx), ctx);
            if (!finite) checkValues(ctx, "optimizer update (" + optimizer.name() + ", GRADIENT stage folded in)");
            runLaterStages(ctx);
            return;
        }
        if (!byStage.get(Stage.GRADIENT).isEmpty() || !learnables.isEmpty()) {
            runStage(Stage.GRADIENT, ctx);
            for (LearnableRegularizer lr : learnables) {
                try {
                    lr.updateOwnParameters(ctx);
                } catch (RegulaException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw failed(lr, "updateOwnParameters", null, ctx, e);
                }
            }
            checkGradients(ctx, "GRADIENT stage");
        }
        for (GradientClipper c : clippers) {
            try {
                c.clip(parameters, ctx);
            } catch (RegulaException e) {
                throw e;
            } catch (RuntimeException e) {
                throw failed(c, "clip", null, ctx, e);
            }
        }
        runStage(Stage.DECOUPLED, ctx);
        optimizer.step(parameters, ctx);
        checkValues(ctx, "optimizer update (" + optimizer.name() + ")");
        runLaterStages(ctx);
    }

    /**
     * Each later stage checks the parameters it changed, right after changing them; the weight
     * averagers then see the step's final values.
     */
    private void runLaterStages(StepContext ctx) {
        for (OutputRegularizer or : outputs) {
            try {
                or.updateOwnParameters(ctx);
            } catch (RegulaException e) {
                throw e;
            } catch (RuntimeException e) {
                throw failed(or, "updateOwnParameters", null, ctx, e);
            }
        }
        runStage(Stage.PROXIMAL, ctx);
        runStage(Stage.CONSTRAINT, ctx);
        for (WeightAverager w : averagers) {
            try {
                w.update(parameters, ctx);
            } catch (RegulaException e) {
                throw e;
            } catch (RuntimeException e) {
                throw failed(w, "update", null, ctx, e);
            }
            if (checkFinite) checkAverages(w, ctx);
        }
    }

    /** The parameters were finite after the last stage, so a NaN or Inf average is the averager's own. */
    private void checkAverages(WeightAverager w, StepContext ctx) {
        for (Parameter p : parameters) {
            Optional<Tensor> avg;
            try {
                avg = w.average(p);
            } catch (RegulaException e) {
                throw e;
            } catch (RuntimeException e) {
                throw failed(w, "average", p, ctx, e);
            }
            if (avg.isPresent() && !finite(ctx.kernels(), avg.get())) {
                throw new NumericalFaultException(ctx.step(), "weight averaging (" + w.spec() + "): " + p.name(),
                        "NaN or Inf in the " + w.kind() + " average of " + p.name() + " at step " + ctx.step() + " (epoch " + (ctx.epoch() + 1)
                                + ") from " + w.spec() + " (" + PluginException.origin(w.getClass()) + "), although the weights are finite");
            }
        }
    }

    /** @return per parameter the coefficient of the GRADIENT-stage decay selecting it, 0 if none does */
    private float[] foldedDecay(StepContext ctx) {
        Arrays.fill(decay, 0f);
        List<Binding> gradientStage = byStage.get(Stage.GRADIENT);
        for (int b = 0; b < gradientStage.size(); b++) {
            CoupledDecay d = (CoupledDecay) gradientStage.get(b).regularizer;
            for (int i : gradientTargetIndices[b]) decay[i] = d.decayCoefficient(parameters.get(i), ctx);
        }
        return decay;
    }

    /**
     * @return the global norm √Σ‖g‖² of the gradients at the last {@link #update}, right after
     *     backward: the data loss's and, if any, the output regularizers' (which act through ∂L/∂output),
     *     before parameter penalties and clipping; NaN before the first update
     */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /**
     * @return per model parameter (in the constructor's order), ‖g‖₂ right after backward at the
     *     last {@link #update}; NaN before the first; a copy
     */
    public double[] lastGradientNorms() {
        return gradientNorms.clone();
    }

    /** Makes the next {@link #update} measure ‖Δθ‖/‖θ_{t−1}‖ per parameter (one copy of the parameters). */
    public void measureNextUpdate() {
        measureNext = true;
    }

    /**
     * @return per model parameter, ‖θ_t − θ_{t−1}‖₂ / ‖θ_{t−1}‖₂ of the last measured update, every
     *     stage included; NaN before one was measured or where ‖θ_{t−1}‖ = 0; a copy
     */
    public double[] lastUpdateRatios() {
        return updateRatios.clone();
    }

    private void snapshot() {
        if (before == null) before = new float[parameters.size()][];
        for (int i = 0; i < parameters.size(); i++) {
            float[] v = parameters.get(i).value().data();
            if (before[i] == null || before[i].length != v.length) before[i] = new float[v.length];
            System.arraycopy(v, 0, before[i], 0, v.length);
        }
    }

    private void measureUpdate(StepContext ctx) {
        for (int i = 0; i < parameters.size(); i++) {
            float[] v = parameters.get(i).value().data();
            float[] old = before[i];
            double oldSq = ctx.kernels().sumSquares(old.length, old, 0);
            double diffSq = 0;
            for (int j = 0; j < v.length; j++) {
                double d = (double) v[j] - old[j];
                diffSq += d * d;
            }
            updateRatios[i] = oldSq == 0 ? Double.NaN : Math.sqrt(diffSq / oldSq);
        }
    }

    private void runStage(Stage stage, StepContext ctx) {
        for (Binding b : byStage.get(stage)) {
            for (Parameter p : b.targets) {
                try {
                    b.regularizer.apply(p, ctx);
                } catch (RegulaException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw failed(b.regularizer, "apply", p, ctx, e);
                }
                if (checkFinite && stage != Stage.GRADIENT && !finite(ctx.kernels(), p.value())) {
                    throw fault(ctx, stage + " stage (" + b.regularizer.spec() + ")", p.name());
                }
            }
        }
    }

    /**
     * @param ctx the step; its kernels scan the gradients
     * @return true if no model parameter's gradient holds NaN or Inf
     */
    public boolean gradientsFinite(StepContext ctx) {
        return firstNonFiniteGradient(ctx) == null;
    }

    private void checkGradients(StepContext ctx, String stage) {
        if (!checkFinite) return;
        Parameter bad = firstNonFiniteGradient(ctx);
        if (bad != null) throw fault(ctx, stage, bad.name() + ".grad");
    }

    private Parameter firstNonFiniteGradient(StepContext ctx) {
        for (Parameter p : parameters) {
            if (!finite(ctx.kernels(), p.grad())) return p;
        }
        return null;
    }

    private void checkValues(StepContext ctx, String stage) {
        if (!checkFinite) return;
        for (Parameter p : parameters) {
            if (!finite(ctx.kernels(), p.value())) throw fault(ctx, stage, p.name());
        }
    }

    private static boolean finite(Kernels k, Tensor t) {
        return k.allFinite(t.size(), t.data(), 0);
    }

    private static NumericalFaultException fault(StepContext ctx, String stage, String what) {
        return new NumericalFaultException(ctx.step(), stage + ": " + what,
                "NaN or Inf in " + what + " at step " + ctx.step() + " (epoch " + (ctx.epoch() + 1) + "), after the " + stage
                        + "; lower the learning rate, add clip-norm(max=...) or check the input data");
    }
}
