package dev.regula.core.train;

import dev.regula.api.NumericalFaultException;
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
import dev.regula.api.regularizer.Stage;
import dev.regula.api.regularizer.WeightAverager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed regularization pipeline of a training step, the same for every optimizer:
 * batch assembly ({@link BatchRegularizer}) → perturb → (forward, loss, backward by the caller) → restore → {@link Stage#GRADIENT} →
 * {@link Stage#CLIP} → optimizer update → {@link Stage#DECOUPLED} → {@link Stage#PROXIMAL} →
 * {@link Stage#CONSTRAINT} → weight averaging ({@link WeightAverager}: EMA, SWA).
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
    private final Map<Stage, List<Binding>> byStage = new EnumMap<>(Stage.class);
    private final List<Binding> penalties = new ArrayList<>();
    private final List<GradientClipper> clippers = new ArrayList<>();
    private final List<PerturbationBinding> perturbations = new ArrayList<>();
    private final List<LearnableRegularizer> learnables = new ArrayList<>();
    private final List<ActivationRegularizer> activations = new ArrayList<>();
    private final List<OutputRegularizer> outputs = new ArrayList<>();
    private InputGradientRegularizer inputGradient;
    private double lastInputGradientPenalty;
    private final List<WeightAverager> averagers = new ArrayList<>();
    /** Batch regularizers: the augmentations in the order given, then the one mixing regularizer, if any. */
    private final List<BatchRegularizer> batchStage = new ArrayList<>();
    /** Per output regularizer (in {@link #outputs} order) its penalty at the last training step. */
    private final double[] lastOutputPenalties;
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
        this.checkFinite = checkFinite;
        for (Stage s : Stage.values()) byStage.put(s, new ArrayList<>());
        List<Regularizer> all = new ArrayList<>(regularizers);
        all.addAll(optimizer.impliedRegularizers());
        for (Regularizer r : all) {
            switch (r) {
                case ParameterRegularizer pr -> {
                    if (pr.stage() == Stage.CLIP) {
                        throw new RegulaException(pr.name() + ": CLIP is for GradientClipper implementations, not parameter regularizers");
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
                case OutputRegularizer o -> outputs.add(o);
                case BatchRegularizer br -> batchStage.add(br);
                case InputGradientRegularizer ig -> {
                    if (inputGradient != null) {
                        throw new RegulaException("at most one input-gradient penalty per run, got " + inputGradient.spec()
                                + " and " + ig.spec());
                    }
                    inputGradient = ig;
                }
                case WeightAverager w -> {
                    if (averagers.stream().anyMatch(a -> a.kind().equals(w.kind()))) {
                        throw new RegulaException("two weight averagers of kind '" + w.kind() + "' (" + w.spec()
                                + "); keep one, since evaluation names the average by its kind");
                    }
                    averagers.add(w);
                }
                default -> throw new RegulaException("regularizer '" + r.name() + "' (" + r.getClass().getName()
                        + ") is of no known kind; implement ParameterRegularizer, GradientClipper, "
                        + "ActivationRegularizer, ForwardPerturbation, OutputRegularizer, WeightAverager, BatchRegularizer or InputGradientRegularizer");
            }
        }
        List<BatchRegularizer> mixing = batchStage.stream().filter(BatchRegularizer::mixesLabels).toList();
        if (mixing.size() > 1) {
            throw new RegulaException("at most one label-mixing regularizer per run, got "
                    + mixing.stream().map(BatchRegularizer::spec).toList() + "; keep one of them");
        }
        batchStage.removeAll(mixing);
        batchStage.addAll(mixing);
        lastOutputPenalties = new double[outputs.size()];
        List<Binding> gradientStage = byStage.get(Stage.GRADIENT);
        // one decay per parameter at most: two would add up in another order than two axpy passes
        long selections = gradientStage.stream().mapToLong(b -> b.targets.size()).sum();
        long selected = gradientStage.stream().flatMap(b -> b.targets.stream()).distinct().count();
        decayFolded = !gradientStage.isEmpty() && clippers.isEmpty() && learnables.isEmpty() && selections == selected
                && gradientStage.stream().allMatch(b -> b.regularizer instanceof CoupledDecay);
        decay = new float[this.parameters.size()];
        gradientTargetIndices = gradientStage.stream()
                .map(b -> b.targets.stream().mapToInt(this.parameters::indexOf).toArray())
                .toArray(int[][]::new);
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
     */
    public LabelMix assembleBatch(Tensor features, Tensor labels, StepContext ctx) {
        LabelMix mix = null;
        for (BatchRegularizer b : batchStage) {
            LabelMix m = b.apply(features, labels, ctx);
            if (m != null) mix = m;
        }
        return mix;
    }

    /** @return whether any batch regularizer runs (the trainer then calls {@link #assembleBatch}) */
    public boolean hasBatchRegularizers() {
        return !batchStage.isEmpty();
    }

    /** @return the input-gradient penalty of the run, or null (the trainer then runs {@link InputGradientPass}) */
    InputGradientRegularizer inputGradient() {
        return inputGradient;
    }

    /** @param r the input-gradient penalty of the last training step, for {@link #penalties} */
    void recordInputGradientPenalty(double r) {
        lastInputGradientPenalty = r;
    }

    /** @return whether any output regularizer runs (the trainer then calls {@link #outputPenalty}) */
    public boolean hasOutputRegularizers() {
        return !outputs.isEmpty();
    }

    /**
     * Runs the output regularizers of a training step, between the data loss and backward: each
     * adds ∂R/∂output to {@code gradOutput}. Their penalties are kept for {@link #penalties}.
     *
     * @param output the model output
     * @param gradOutput ∂L_data/∂output, to which the penalties' gradients are added
     * @param ctx the step (TRAIN)
     * @return Σ R(output)
     */
    public double outputPenalty(Tensor output, Tensor gradOutput, StepContext ctx) {
        return outputPenalty(output, gradOutput, ctx, true);
    }

    /** As {@link #outputPenalty(Tensor, Tensor, StepContext)}; {@code record} false for extra passes, which report nothing. */
    double outputPenalty(Tensor output, Tensor gradOutput, StepContext ctx, boolean record) {
        double sum = 0;
        for (int i = 0; i < outputs.size(); i++) {
            double r = outputs.get(i).apply(output, gradOutput, ctx);
            if (record) lastOutputPenalties[i] = r;
            sum += r;
        }
        return sum;
    }

    /** @return every parameter, model's and learnable regularizers', as checkpoints should store them */
    public List<Parameter> allParameters() {
        List<Parameter> all = new ArrayList<>(parameters);
        for (LearnableRegularizer lr : learnables) all.addAll(lr.ownParameters());
        return all;
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
     */
    public Map<String, Double> penalties(StepContext ctx) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Binding b : penalties) {
            double sum = 0;
            for (Parameter p : b.targets) sum += b.regularizer.penalty(p, ctx);
            out.merge(b.regularizer.spec(), sum, Double::sum);
        }
        for (ActivationRegularizer a : activations) {
            if (a instanceof ActivityRegularizer ar) out.merge(ar.spec(), ar.lastPenalty(), Double::sum);
        }
        for (int i = 0; i < outputs.size(); i++) out.merge(outputs.get(i).spec(), lastOutputPenalties[i], Double::sum);
        if (inputGradient != null) out.merge(inputGradient.spec(), lastInputGradientPenalty, Double::sum);
        return out;
    }

    /**
     * Applies forward perturbations (drop-connect) before the forward pass.
     *
     * @param ctx the step (TRAIN)
     */
    public void beforeForward(StepContext ctx) {
        for (PerturbationBinding b : perturbations) {
            for (Parameter p : b.targets) b.perturbation.perturb(p, ctx);
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
            for (Parameter p : b.targets) b.perturbation.restore(p, ctx);
        }
    }

    /**
     * Runs the stages after backward: GRADIENT, CLIP, the optimizer update, DECOUPLED, PROXIMAL,
     * CONSTRAINT, then the weight averagers, checking for NaN/Inf when enabled: the gradients after backward and (if any
     * GRADIENT-stage or learnable regularizer ran) after the GRADIENT stage, the values after the
     * optimizer update and after each later regularizer. Each check is one
     * {@link Kernels#allFinite} pass, so it runs at the speed of the SIMD kernels.
     *
     * <p>When the GRADIENT stage holds only {@link CoupledDecay} regularizers (L2), at most one per
     * parameter, and no clipper or learnable regularizer runs, the stage is folded into the optimizer's pass
     * ({@link Optimizer#stepWithDecay}), which also reports whether the new values are finite: the
     * same numbers in fewer passes over memory. A NaN or Inf the decay would have made is then
     * reported after the optimizer update rather than after the GRADIENT stage.
     *
     * @param ctx the step
     * @throws NumericalFaultException naming the step, the stage and the parameter
     */
    public void update(StepContext ctx) {
        checkGradients(ctx, "backward");
        if (decayFolded) {
            boolean finite = optimizer.stepWithDecay(parameters, foldedDecay(ctx), ctx);
            if (!finite) checkValues(ctx, "optimizer update (" + optimizer.name() + ", GRADIENT stage folded in)");
            runLaterStages(ctx);
            return;
        }
        if (!byStage.get(Stage.GRADIENT).isEmpty() || !learnables.isEmpty()) {
            runStage(Stage.GRADIENT, ctx);
            for (LearnableRegularizer lr : learnables) lr.updateOwnParameters(ctx);
            checkGradients(ctx, "GRADIENT stage");
        }
        lastGradientNorm = Double.NaN;
        for (GradientClipper c : clippers) lastGradientNorm = c.clip(parameters, ctx);
        optimizer.step(parameters, ctx);
        checkValues(ctx, "optimizer update (" + optimizer.name() + ")");
        runLaterStages(ctx);
    }

    /**
     * Each later stage checks the parameters it changed, right after changing them; the weight
     * averagers then see the step's final values.
     */
    private void runLaterStages(StepContext ctx) {
        runStage(Stage.DECOUPLED, ctx);
        runStage(Stage.PROXIMAL, ctx);
        runStage(Stage.CONSTRAINT, ctx);
        for (WeightAverager w : averagers) w.update(parameters, ctx);
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

    /** @return the global gradient norm reported by the last clipper, NaN if none ran */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    private void runStage(Stage stage, StepContext ctx) {
        for (Binding b : byStage.get(stage)) {
            for (Parameter p : b.targets) {
                b.regularizer.apply(p, ctx);
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
                "NaN or Inf in " + what + " at step " + ctx.step() + " (epoch " + ctx.epoch() + "), after the " + stage
                        + "; lower the learning rate, add clip-norm(max=...) or check the input data");
    }
}
