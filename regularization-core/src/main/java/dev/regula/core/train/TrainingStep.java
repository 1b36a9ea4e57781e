package dev.regula.core.train;

import dev.regula.api.NumericalFaultException;
import dev.regula.api.PluginException;
import dev.regula.api.StepContext;
import dev.regula.api.loss.Loss;
import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.LabelMix;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.layer.ParameterBackward;
import dev.regula.core.loss.MixedTargets;
import java.util.List;
import java.util.Objects;

/**
 * The one owner of a training step: every trainer ({@link Trainer}, the GAN trainer for each of
 * its networks, a data-parallel trainer, a user's own loop) runs a batch through these methods, so
 * the order of the stages is written once. The single path of one supervised step:
 *
 * <ol>
 *   <li>batch assembly: the batch regularizers change the batch in place (augmentation, then mixup or CutMix);</li>
 *   <li>zero the gradients of the model's trainable parameters;</li>
 *   <li>perturb: forward perturbations (drop-connect) replace the weights;</li>
 *   <li>forward in TRAIN mode (activation regularizers, the dropout family, are layers of the model);</li>
 *   <li>data loss (mixed if the batch was) writing ∂L/∂output;</li>
 *   <li>output penalties adding their gradient to ∂L/∂output;</li>
 *   <li>backward to the parameters, or the input-gradient pass if the run has an input-gradient penalty;</li>
 *   <li>restore the perturbed weights;</li>
 *   <li>the finite check ({@link NanPolicy}; a step skipped under {@code SKIP_STEP} also puts back
 *       the model's state the forward changed, such as BatchNorm's running statistics);</li>
 *   <li>{@link RegularizationPipeline#update}: GRADIENT stage, clipping, DECOUPLED, optimizer,
 *       output regularizers' own parameters, PROXIMAL, CONSTRAINT, weight averaging.</li>
 * </ol>
 *
 * <p>The step splits into two phases for data-parallel training, where workers compute gradients
 * and one driver applies their average: (a) {@link #computeGradients(Model, Loss, Tensor, Tensor, StepContext)}
 * (steps 1–8; the gradients are left in the parameters' {@link Parameter#grad()} tensors) and
 * (b) {@link #applyUpdate(StepContext)} (step 10, on whatever gradients the parameters then hold).
 * {@link #step} runs both with the check between them. Trainers whose gradient computation
 * interleaves with another network's step (a GAN's generator, whose backward goes through the
 * discriminator just updated) use the two halves of phase (a), {@link #begin} and {@link #endBackward},
 * or {@link #computeGradients(StepContext, GradientPass)} with their own forward and backward.
 *
 * <p>The step is a pure function of the parameters, the optimizer's and regularizers' state, the
 * batch and the {@link StepContext}: the same inputs give bit-identical parameters whether a
 * trainer or a hand-written loop calls it. Not thread-safe: one step object per run, like its pipeline.
 */
public final class TrainingStep {
    private final RegularizationPipeline pipeline;

    /**
     * @param pipeline the run's pipeline (its parameters are the model's trainable parameters)
     */
    public TrainingStep(RegularizationPipeline pipeline) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    /** @return the pipeline this step runs */
    public RegularizationPipeline pipeline() {
        return pipeline;
    }

    /** @return the trainable parameters the step zeroes and updates, in the pipeline's order */
    public List<Parameter> parameters() {
        return pipeline.parameters();
    }

    /**
     * What phase (a) of a supervised step computed. The gradients themselves are in the parameters.
     *
     * @param output the model's output for the (assembled) batch; a buffer the next forward may reuse
     * @param loss the data loss of the batch (mixed if a batch regularizer mixed it)
     * @param outputPenalty Σ of the output regularizers' penalties, 0 without any
     * @param inputPenalty the input-gradient penalty, 0 without one
     * @param mix the label mix of the batch, or null
     */
    public record Gradients(Tensor output, double loss, double outputPenalty, double inputPenalty, LabelMix mix) {
        /** @return whether the loss and both penalties are finite */
        public boolean finite() {
            return Double.isFinite(loss) && Double.isFinite(outputPenalty) && Double.isFinite(inputPenalty);
        }
    }

    /**
     * A forward and backward written by the caller, run by {@link #computeGradients(StepContext, GradientPass)}
     * between zeroing/perturbing and restoring.
     *
     * @param <T> what the pass returns (its losses, say)
     */
    @FunctionalInterface
    public interface GradientPass<T> {
        /**
         * @param ctx the step
         * @return the pass's result
         */
        T run(StepContext ctx);
    }

    /**
     * First half of phase (a): zeroes the trainable parameters' gradients and applies the forward
     * perturbations. Call {@link #endBackward} after the backward.
     *
     * @param ctx the step (TRAIN)
     * @throws PluginException if a perturbation throws
     */
    public void begin(StepContext ctx) {
        for (Parameter p : pipeline.parameters()) p.zeroGrad();
        pipeline.beforeForward(ctx);
    }

    /**
     * Second half of phase (a): restores the perturbed weights, in reverse order.
     *
     * @param ctx the step
     */
    public void endBackward(StepContext ctx) {
        pipeline.afterBackward(ctx);
    }

    /**
     * Phase (a) with the caller's own forward and backward: {@link #begin}, {@code pass}, {@link #endBackward}.
     *
     * @param ctx the step (TRAIN)
     * @param pass forward, loss and backward into the parameters' gradients
     * @param <T> what the pass returns
     * @return what the pass returned
     */
    public <T> T computeGradients(StepContext ctx, GradientPass<T> pass) {
        begin(ctx);
        T result = pass.run(ctx);
        endBackward(ctx);
        return result;
    }

    /**
     * Phase (a) of a supervised step (steps 1–8 of the class comment). The gradients are left in
     * the parameters; nothing is updated.
     *
     * @param model the model whose trainable parameters are the pipeline's
     * @param loss the data loss
     * @param x the batch's features; batch regularizers change them in place
     * @param y the batch's targets, also the output regularizers' condition
     * @param ctx the step (TRAIN)
     * @return the losses, the output and the label mix
     * @throws NumericalFaultException if a regularizer leaves NaN or Inf in the batch or a penalty
     * @throws PluginException if a regularizer throws
     */
    public Gradients computeGradients(Model model, Loss loss, Tensor x, Tensor y, StepContext ctx) {
        LabelMix mix = pipeline.hasBatchRegularizers() ? pipeline.assembleBatch(x, y, ctx) : null;
        begin(ctx);
        Tensor out = model.forward(x, ctx);
        Tensor gradOut = Tensor.zeros(out.shape());
        double dataLoss = dataLoss(loss, out, y, mix, gradOut, ctx);
        // the targets are the output regularizers' condition (with a label mix, each example's own label)
        double outputPenalty = pipeline.hasOutputRegularizers() ? pipeline.outputPenalty(out, y, gradOut, ctx) : 0;
        double inputPenalty = 0;
        if (pipeline.inputGradient() == null) {
            ParameterBackward.backwardParametersOf(model, gradOut, ctx); // ∂L/∂data is not needed
        } else {
            out = out.copy(); // the second forward reuses the output buffer
            inputPenalty = InputGradientPass.run(pipeline.inputGradient(), model, pipeline.parameters(), x, gradOut,
                    (o, g) -> objective(loss, o, y, mix, g, ctx), ctx);
        }
        endBackward(ctx);
        return new Gradients(out, dataLoss, outputPenalty, inputPenalty, mix);
    }

    /**
     * Phase (b): the regularization stages and the optimizer update on the gradients the parameters
     * hold ({@link RegularizationPipeline#update}).
     *
     * @param ctx the step
     * @throws NumericalFaultException on NaN or Inf (checking on), naming the stage and parameter
     */
    public void applyUpdate(StepContext ctx) {
        pipeline.update(ctx);
    }

    /**
     * Whether phase (b) should run on the gradients of phase (a): true if the losses (and, under
     * {@link NanPolicy#SKIP_STEP}, the gradients) are finite; false if the step is to be skipped.
     *
     * @param g what phase (a) computed
     * @param ctx the step
     * @param policy what to do on NaN or Inf
     * @return true to apply the update, false to skip it (only under SKIP_STEP)
     * @throws NumericalFaultException under {@link NanPolicy#STOP} when a loss is not finite
     *     (non-finite gradients are then reported by {@link #applyUpdate}, naming the parameter)
     */
    public boolean shouldApply(Gradients g, StepContext ctx, NanPolicy policy) {
        boolean skip = policy == NanPolicy.SKIP_STEP;
        if (g.finite() && !(skip && !pipeline.gradientsFinite(ctx))) return true;
        if (skip) return false;
        boolean outputs = pipeline.hasOutputRegularizers();
        throw new NumericalFaultException(ctx.step(), "loss", "the data loss is " + g.loss()
                + (outputs ? " and the output penalty " + g.outputPenalty() : "")
                + (pipeline.inputGradient() != null ? " and the input-gradient penalty " + g.inputPenalty()
                        + " (" + pipeline.inputGradient().spec() + ")" : "") + " at step " + ctx.step()
                + " (epoch " + (ctx.epoch() + 1) + "); lower the learning rate, add clip-norm(max=...) or check the input data");
    }

    /**
     * One whole supervised step: phase (a), the finite check, phase (b).
     *
     * @param model the model
     * @param loss the data loss
     * @param x the batch's features (changed in place by batch regularizers)
     * @param y the batch's targets
     * @param ctx the step (TRAIN)
     * @param policy what to do on NaN or Inf
     * @param measureUpdate whether to measure ‖Δθ‖/‖θ‖ of this update ({@link RegularizationPipeline#lastUpdateRatios})
     * @return what phase (a) computed and whether the update ran (false: skipped under SKIP_STEP)
     */
    public Result step(Model model, Loss loss, Tensor x, Tensor y, StepContext ctx, NanPolicy policy, boolean measureUpdate) {
        // the forward changes the model's state (BatchNorm's running statistics): a skipped step must not
        List<float[]> before = policy == NanPolicy.SKIP_STEP ? copyOfState(model) : null;
        Gradients g = computeGradients(model, loss, x, y, ctx);
        if (!shouldApply(g, ctx, policy)) {
            if (before != null) restoreState(model, before);
            return new Result(g, false);
        }
        if (pipeline.inputGradient() != null) pipeline.recordInputGradientPenalty(g.inputPenalty());
        if (measureUpdate) pipeline.measureNextUpdate();
        applyUpdate(ctx);
        return new Result(g, true);
    }

    /**
     * The outcome of {@link #step}.
     *
     * @param gradients what phase (a) computed
     * @param applied whether the update ran
     */
    public record Result(Gradients gradients, boolean applied) {
    }

    /** @return copies of the model's state tensors ({@link Model#state()}), in its order */
    static List<float[]> copyOfState(Model model) {
        List<float[]> copies = new java.util.ArrayList<>();
        for (Tensor t : model.state().values()) copies.add(t.data().clone());
        return copies;
    }

    /** Puts back the model's state tensors as {@link #copyOfState} copied them. */
    static void restoreState(Model model, List<float[]> copies) {
        int i = 0;
        for (Tensor t : model.state().values()) {
            float[] saved = copies.get(i++);
            System.arraycopy(saved, 0, t.data(), 0, saved.length);
        }
    }

    private static double dataLoss(Loss loss, Tensor out, Tensor y, LabelMix mix, Tensor gradOut, StepContext ctx) {
        return mix == null ? loss.compute(out, y, gradOut, ctx.kernels())
                : MixedTargets.compute(loss, out, y, mix, gradOut, ctx.kernels());
    }

    /** The objective of an extra pass at another output: data loss (mixed if the batch was) plus the output penalties (not reported). */
    private double objective(Loss loss, Tensor out, Tensor y, LabelMix mix, Tensor gradOut, StepContext ctx) {
        return dataLoss(loss, out, y, mix, gradOut, ctx)
                + (pipeline.hasOutputRegularizers() ? pipeline.outputPenalty(out, y, gradOut, ctx) : 0);
    }
}
