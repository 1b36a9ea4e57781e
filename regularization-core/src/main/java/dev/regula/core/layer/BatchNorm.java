package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batch normalisation over the channel dimension, with PyTorch's semantics
 * ({@code nn.BatchNorm1d} on [batch, C], {@code nn.BatchNorm2d} on [batch, C, H, W]).
 *
 * <p>TRAIN: each channel is normalised with the mean and the biased variance of its
 * batch·H·W values, y = γ·(x − mean)/√(var + eps) + β, and the running statistics are updated as
 * running ← (1 − momentum)·running + momentum·batch statistic, with the <em>unbiased</em> variance
 * (n/(n − 1)·var) for the running variance; a channel needs at least 2 values. EVAL: the running
 * statistics replace the batch ones and, in a shared EVAL forward, no state changes, so inference
 * may run on many threads (TRAIN and exclusive EVAL forwards write into buffers of the layer).
 *
 * <p>γ is {@code <name>.weight} (role {@link ParameterRole#NORM_SCALE}, initialised to 1) and β is
 * {@code <name>.bias} (role {@link ParameterRole#BIAS}, initialised to 0). The running mean
 * (initially 0) and running variance (initially 1) are exposed as tensors so that they can be
 * checkpointed as extra state ({@code running_mean}, {@code running_var} in PyTorch).
 */
public final class BatchNorm implements Layer {
    /** PyTorch's default momentum of the running statistics. */
    public static final double DEFAULT_MOMENTUM = 0.1;
    /** PyTorch's default epsilon added to the variance. */
    public static final double DEFAULT_EPS = 1e-5;

    private final String name;
    private final int channels;
    private final double momentum;
    private final double eps;
    private final Parameter gamma;
    private final Parameter beta;
    private final Tensor runningMean;
    private final Tensor runningVar;
    /** Batches averaged since {@link #startCumulativeStatistics()}, or −1 for momentum averages. */
    private long cumulativeBatches = -1;

    private int[] cachedShape;
    private float[] normalized;
    private final ForwardOutput output = new ForwardOutput();
    /** Backward's result, reused while the shape stays the same (one thread at a time trains a layer). */
    private Tensor inputGradient;
    private final float[] invStd;

    /**
     * @param name the layer name, unique in the model
     * @param channels number of channels C, ≥ 1
     */
    public BatchNorm(String name, int channels) {
        this(name, channels, DEFAULT_MOMENTUM, DEFAULT_EPS);
    }

    /**
     * @param name the layer name, unique in the model
     * @param channels number of channels C, ≥ 1
     * @param momentum weight of the new batch statistic in the running averages, in [0, 1]
     * @param eps added to the variance, finite and &gt; 0
     */
    public BatchNorm(String name, int channels, double momentum, double eps) {
        this.name = Shapes.checkName(name);
        if (channels < 1) {
            throw new IllegalArgumentException("layer '" + name + "': channels must be >= 1, got " + channels);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("layer '" + name + "': momentum must be in [0, 1], got " + momentum);
        }
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("layer '" + name + "': eps must be finite and > 0, got " + eps);
        }
        this.channels = channels;
        this.momentum = momentum;
        this.eps = eps;
        this.gamma = new Parameter(name, "weight", ParameterRole.NORM_SCALE, Tensor.zeros(channels).fill(1f));
        this.beta = new Parameter(name, "bias", ParameterRole.BIAS, Tensor.zeros(channels));
        this.runningMean = Tensor.zeros(channels);
        this.runningVar = Tensor.zeros(channels).fill(1f);
        this.invStd = new float[channels];
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the weight of a TRAIN batch's statistics in the running averages, in [0, 1] */
    public double momentum() {
        return momentum;
    }

    /** @return the number of channels */
    public int channels() {
        return channels;
    }

    /** @return γ, shape [C] */
    public Parameter weight() {
        return gamma;
    }

    /** @return β, shape [C] */
    public Parameter bias() {
        return beta;
    }

    /** @return {@code <name>.running_mean} and {@code <name>.running_var}, live */
    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put(name + ".running_mean", runningMean);
        s.put(name + ".running_var", runningVar);
        return s;
    }

    /**
     * Resets the running statistics (mean 0, variance 1) and makes the following TRAIN forwards
     * average the batch statistics with equal weights (the k-th batch since the reset has weight
     * 1/k), PyTorch's {@code momentum=None}, until {@link #stopCumulativeStatistics()}. Used to
     * recompute the statistics for averaged weights ({@code dev.regula.core.train.BatchNormUpdate}).
     */
    public void startCumulativeStatistics() {
        runningMean.fill(0f);
        runningVar.fill(1f);
        cumulativeBatches = 0;
    }

    /** Returns to exponential running averages with this layer's momentum. */
    public void stopCumulativeStatistics() {
        cumulativeBatches = -1;
    }

    /** @return the running mean, shape [C]; live state (write into it to restore a checkpoint) */
    public Tensor runningMean() {
        return runningMean;
    }

    /** @return the running (unbiased) variance, shape [C]; live state (write into it to restore a checkpoint) */
    public Tensor runningVar() {
        return runningVar;
    }

    /**
     * @param input shape [batch, C] or [batch, C, H, W]
     * @param ctx the step; TRAIN uses and records batch statistics, EVAL uses the running ones
     * @return the normalised batch, same shape
     * @throws ShapeMismatchException naming this layer, the expected and the actual shape, or if
     *         a TRAIN batch has a single value per channel
     */
    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        int[] s = input.shape();
        outputShape(Arrays.copyOfRange(s, Math.min(1, s.length), s.length));
        int batch = s[0];
        int plane = s.length == 4 ? s[2] * s[3] : 1;
        int count = batch * plane;
        float[] x = input.data();
        Tensor y = output.next(ctx, s);
        float[] yd = y.data();
        float[] g = gamma.value().data();
        float[] b = beta.value().data();
        if (!ctx.training()) {
            float[] rm = runningMean.data();
            float[] rv = runningVar.data();
            for (int c = 0; c < channels; c++) {
                float scale = (float) (g[c] / Math.sqrt(rv[c] + eps));
                float shift = b[c] - rm[c] * scale;
                for (int n = 0; n < batch; n++) {
                    int off = (n * channels + c) * plane;
                    for (int i = off; i < off + plane; i++) yd[i] = x[i] * scale + shift;
                }
            }
            return y;
        }
        if (count < 2) {
            throw new ShapeMismatchException("layer '" + name + "': TRAIN mode needs more than 1 value per channel"
                    + " to estimate its variance, got input of shape " + Arrays.toString(s)
                    + (s[0] == 1 ? ": a batch of 1 example, as the last batch of an epoch is when the training set is one more"
                    + " than a multiple of the batch size; choose a batch size that leaves more (PyTorch refuses it too)" : ""));
        }
        float[] xh = normalized = Im2Col.atLeast(normalized, x.length);
        double w = cumulativeBatches >= 0 ? 1.0 / (cumulativeBatches + 1) : momentum;
        float[] rm = runningMean.data();
        float[] rv = runningVar.data();
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * plane;
                for (int i = off; i < off + plane; i++) sum += x[i];
            }
            double mean = sum / count;
            double sq = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * plane;
                for (int i = off; i < off + plane; i++) {
                    double d = x[i] - mean;
                    sq += d * d;
                }
            }
            double var = sq / count;
            float is = (float) (1.0 / Math.sqrt(var + eps));
            invStd[c] = is;
            float m = (float) mean;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * plane;
                for (int i = off; i < off + plane; i++) {
                    float h = (x[i] - m) * is;
                    xh[i] = h;
                    yd[i] = g[c] * h + b[c];
                }
            }
            rm[c] = (float) ((1 - w) * rm[c] + w * mean);
            rv[c] = (float) ((1 - w) * rv[c] + w * var * count / (count - 1));
        }
        if (cumulativeBatches >= 0) cumulativeBatches++;
        cachedShape = s;
        return y;
    }

    /**
     * Adds Σ g·x̂ to γ's gradient and Σ g to β's gradient, per channel.
     *
     * @param gradOutput ∂L/∂y of the last TRAIN forward's batch
     * @param ctx the step
     * @return ∂L/∂x = γ/σ·(g − mean(g) − x̂·mean(g·x̂)), per channel, in a buffer of the layer that
     *     its next backward overwrites (one thread at a time trains a layer)
     */
    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        int[] s = cachedShape;
        if (s == null) throw Shapes.noForward(name);
        Shapes.requireGradShape(name, gradOutput, s);
        int batch = s[0];
        int plane = s.length == 4 ? s[2] * s[3] : 1;
        int count = batch * plane;
        float[] gy = gradOutput.data();
        float[] xh = normalized;
        float[] gam = gamma.value().data();
        float[] dGamma = gamma.grad().data();
        float[] dBeta = beta.grad().data();
        Tensor dx = inputGradient = Tensor.reuse(inputGradient, s); // every value is written below
        float[] dxd = dx.data();
        for (int c = 0; c < channels; c++) {
            double sumG = 0;
            double sumGx = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * plane;
                for (int i = off; i < off + plane; i++) {
                    sumG += gy[i];
                    sumGx += (double) gy[i] * xh[i];
                }
            }
            dBeta[c] += (float) sumG;
            dGamma[c] += (float) sumGx;
            float k = gam[c] * invStd[c];
            float meanG = (float) (sumG / count);
            float meanGx = (float) (sumGx / count);
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * plane;
                for (int i = off; i < off + plane; i++) dxd[i] = k * (gy[i] - meanG - xh[i] * meanGx);
            }
        }
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    /**
     * @param inputShape [C] or [C, H, W]
     * @return the same shape
     * @throws ShapeMismatchException for any other shape
     */
    @Override
    public int[] outputShape(int[] inputShape) {
        if ((inputShape.length != 1 && inputShape.length != 3) || inputShape[0] != channels) {
            throw new ShapeMismatchException("layer '" + name + "' expects input of shape [batch, " + channels
                    + "] or [batch, " + channels + ", height, width] but got examples of shape "
                    + Arrays.toString(inputShape));
        }
        return inputShape.clone();
    }

    @Override
    public String toString() {
        return "BatchNorm(" + name + ", " + channels + ", momentum=" + momentum + ", eps=" + eps + ")";
    }
}
