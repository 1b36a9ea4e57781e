package dev.regula.gan.train;

import dev.regula.api.CorruptDataException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.layer.Sequential;
import dev.regula.core.data.Dataset;
import dev.regula.core.train.BatchNormUpdate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An exponential moving average of a generator's weights, used only to draw samples and to evaluate:
 * after the t-th generator update (t from 1) every parameter of the shadow copy becomes
 * θ_avg ← β_t·θ_avg + (1 − β_t)·θ with β_t = min(β, (1 + t)/(10 + t)), so early iterates are forgotten
 * quickly. Training never reads the average.
 *
 * <p>BatchNorm statistics: the averaged weights produce activations whose statistics differ from
 * the live generator's running ones (more so the larger β). {@link #recalibrate} gives the average
 * its own statistics, the mean of its TRAIN-mode batch statistics over a set of inputs (as
 * PyTorch's {@code swa_utils.update_bn}, BigGAN's "standing statistics"); until it is called after
 * the latest {@link #update}, {@link #generate} uses the live generator's running statistics.
 * Deterministic; not thread-safe.
 */
public final class GeneratorAverage {
    private final Sequential live;
    private final Sequential shadow;
    private final List<Parameter> liveParams;
    private final List<Parameter> shadowParams;
    private final double decay;
    private long updates;
    private boolean recalibrated;

    /**
     * @param live the generator being trained
     * @param shadow a generator of the same architecture (its weights are overwritten with live's)
     * @param decay β in [0, 1)
     * @throws IllegalArgumentException if the two do not have the same parameters, or β is out of range
     */
    public GeneratorAverage(Sequential live, Sequential shadow, double decay) {
        this.live = Objects.requireNonNull(live, "live");
        this.shadow = Objects.requireNonNull(shadow, "shadow");
        if (!(decay >= 0 && decay < 1)) throw new IllegalArgumentException("decay must be in [0, 1), got " + decay);
        this.decay = decay;
        this.liveParams = live.parameters();
        this.shadowParams = shadow.parameters();
        if (liveParams.size() != shadowParams.size()) {
            throw new IllegalArgumentException("the shadow generator has " + shadowParams.size() + " parameters, the live one "
                    + liveParams.size());
        }
        for (int i = 0; i < liveParams.size(); i++) {
            Parameter a = liveParams.get(i);
            Parameter b = shadowParams.get(i);
            if (!a.name().equals(b.name()) || a.size() != b.size()) {
                throw new IllegalArgumentException("parameter " + i + " differs: " + a + " against " + b);
            }
            System.arraycopy(a.value().data(), 0, b.value().data(), 0, a.size());
        }
    }

    /** Folds the live weights into the average; call after every generator update. */
    public void update() {
        updates++;
        recalibrated = false;
        float beta = (float) Math.min(decay, (1.0 + updates) / (10.0 + updates));
        float alpha = 1 - beta;
        for (int i = 0; i < liveParams.size(); i++) {
            float[] src = liveParams.get(i).value().data();
            float[] dst = shadowParams.get(i).value().data();
            for (int k = 0; k < dst.length; k++) dst[k] = beta * dst[k] + alpha * src[k];
        }
    }

    /**
     * Generates with the averaged weights in EVAL mode, with the live generator's BatchNorm statistics.
     *
     * @param input [z ‖ c] rows, shape [N, latent + conditionDim]
     * @param kernels the kernels
     * @return images, shape [N, 3, S, S]
     */
    public Tensor generate(Tensor input, Kernels kernels) {
        if (!recalibrated) {
            List<Tensor> from = List.copyOf(live.state().values());
            List<Tensor> to = List.copyOf(shadow.state().values());
            for (int i = 0; i < from.size(); i++) to.get(i).copyFrom(from.get(i));
        }
        return shadow.forward(input, StepContext.eval(kernels));
    }

    /**
     * Sets every BatchNorm of the average to the mean of its TRAIN-mode batch statistics (mean and
     * unbiased variance) over {@code input} cut into consecutive batches of {@code batch} rows (a
     * shorter last batch is left out), so that {@link #generate} normalises the averaged weights'
     * activations by their own statistics until the next {@link #update}. The live generator is not
     * touched.
     *
     * @param input [z ‖ c] rows, shape [N, latent + conditionDim], N ≥ batch
     * @param batch rows per batch, ≥ 2 (the training batch size, whose statistics BatchNorm saw in training)
     * @param kernels the kernels
     * @throws IllegalArgumentException if the batch is below 2 or larger than the input
     */
    public void recalibrate(Tensor input, int batch, Kernels kernels) {
        int n = input.dim(0);
        if (batch < 2 || batch > n) {
            throw new IllegalArgumentException("batch must be in [2, " + n + "] (the input's rows), got " + batch);
        }
        // Whole batches only; the labels are unused by BatchNorm's pass.
        Dataset batches = new Dataset(input, Tensor.zeros(n), 0).subset(0, n / batch * batch);
        BatchNormUpdate.update(shadow, batches, batch, kernels, 0);
        recalibrated = true;
    }

    /** @return the averaged generator */
    public Sequential shadow() {
        return shadow;
    }

    /**
     * Saves the averaged weights and the update count atomically, for a run to resume.
     *
     * @param file the file (safetensors, the shadow's parameters under their names)
     * @param step the trainer's step at the save, checked by {@link #restore}
     * @throws IOException if writing fails
     */
    public void save(Path file, long step) throws IOException {
        Checkpoint.save(file, shadowParams, Map.of(), Map.of("updates", Long.toString(updates), "step", Long.toString(step)));
    }

    /**
     * Restores what {@link #save} wrote at the same step into the first of {@code files} that
     * exists and was saved at that step (a run saves the next average before its state and renames
     * it after, so one of the two names pairs with the state whenever the run was killed).
     *
     * @param files the candidate files, in order
     * @param step the step the run resumes at
     * @throws IOException if a file cannot be read
     * @throws CorruptDataException if none was saved at that step, or the one that was does not hold this generator's average
     */
    public void restore(java.util.List<Path> files, long step) throws IOException {
        for (Path f : files) {
            if (!java.nio.file.Files.exists(f)) continue;
            Checkpoint c = Checkpoint.load(f);
            if (Long.toString(step).equals(c.metadata().get("step"))) {
                restore(f, c, step);
                return;
            }
        }
        restore(files.get(0), step); // none pairs: the first explains why
    }

    /**
     * Restores what {@link #save} wrote at the same step.
     *
     * @param file the file
     * @param step the step the run resumes at
     * @throws IOException if the file cannot be read
     * @throws CorruptDataException if it was saved at another step, or does not hold this generator's average
     */
    public void restore(Path file, long step) throws IOException {
        restore(file, Checkpoint.load(file), step);
    }

    private void restore(Path file, Checkpoint c, long step) throws CorruptDataException {
        String saved = c.metadata().get("step");
        String count = c.metadata().get("updates");
        if (!Long.toString(step).equals(saved) || count == null || !count.matches("[0-9]{1,18}")) {
            throw new CorruptDataException(file + ": the generator average was saved at step " + saved + " with " + count
                    + " updates, but the run resumes at step " + step + "; both files are written at each evaluation, so one is stale");
        }
        c.restoreInto(shadowParams);
        updates = Long.parseLong(count);
    }
}
