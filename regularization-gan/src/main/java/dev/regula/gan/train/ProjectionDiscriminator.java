package dev.regula.gan.train;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.ActivationRegularizer;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.layer.Dense;
import dev.regula.core.layer.Initializers;
import dev.regula.core.layer.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A discriminator D(x, c) with a projection head (Miyato &amp; Koyama 2018, "cGANs with Projection
 * Discriminator"): a trunk maps the image to features h(x) ∈ R^F, and
 * <pre>D(x, c) = wᵀh(x) + b + (V·c)ᵀ h(x)</pre>
 * with V an F×C matrix (the parameter {@code d_embed.weight}, shape [F, C], initialised N(0, 0.02²)).
 * The inner product makes D judge whether the image fits its condition, so the generator must
 * follow c to fool it, while z stays free for everything c does not say. With C = 0 (or built by
 * {@link #unconditional}) it is a plain D(x) whose trunk outputs the logit itself.
 *
 * <p>The trunk must not keep batch statistics (BatchNorm), so real and fake images may be scored in
 * one batch: each example's score depends on that example only, or, with a
 * {@link dev.regula.core.layer.MinibatchStddev} layer of group G, on its group of G consecutive
 * examples, which never mixes real and fake when each part is a multiple of G.
 * Layers cache their inputs: every {@link #forward} must be followed by its {@link #backward}
 * before the next forward. Not thread-safe.
 */
public final class ProjectionDiscriminator {
    private final Sequential trunk;
    private final Dense head;
    private final Parameter embed;
    private final int features;
    private final int conditionDim;
    private Tensor cachedFeatures;
    private Tensor cachedCondition;
    private Tensor cachedProjection;

    private ProjectionDiscriminator(Sequential trunk, Dense head, Parameter embed, int conditionDim) {
        this.trunk = Objects.requireNonNull(trunk, "trunk");
        this.head = head;
        this.embed = embed;
        this.conditionDim = conditionDim;
        int[] out = trunk.outputShape();
        if (out.length != 1) {
            throw new ShapeMismatchException("the discriminator's trunk must output a feature vector [F], got "
                    + Arrays.toString(out));
        }
        this.features = out[0];
        if (head == null && features != 1) {
            throw new ShapeMismatchException("an unconditional discriminator must output one logit, got shape " + Arrays.toString(out));
        }
        if (!trunk.state().isEmpty()) {
            throw new IllegalArgumentException("the discriminator must not use batch statistics (BatchNorm): real and fake"
                    + " images are scored in one batch; use spectral-norm or another parameter regularizer instead");
        }
    }

    /**
     * A conditional discriminator.
     *
     * @param trunk image → features [F], without batch statistics
     * @param conditionDim C, the length of c, ≥ 1
     * @param seed initialisation seed of the head and the projection
     * @return D(x, c)
     */
    public static ProjectionDiscriminator conditional(Sequential trunk, int conditionDim, long seed) {
        if (conditionDim < 1) throw new IllegalArgumentException("conditionDim must be >= 1, got " + conditionDim);
        int f = trunk.outputShape()[0];
        Dense head = new Dense("d_logit", f, 1, seed);
        Initializers.normal(head.weight(), Dcgan.INIT_STD, seed);
        Initializers.constant(head.bias(), 0f);
        Parameter embed = new Parameter("d_embed", "weight", ParameterRole.EMBEDDING, Tensor.zeros(f, conditionDim));
        Initializers.normal(embed, Dcgan.INIT_STD, seed + 1);
        return new ProjectionDiscriminator(trunk, head, embed, conditionDim);
    }

    /**
     * @param model image → one logit [1], without batch statistics
     * @return D(x), which ignores the condition
     */
    public static ProjectionDiscriminator unconditional(Sequential model) {
        return new ProjectionDiscriminator(model, null, null, 0);
    }

    /** @return the trunk (the whole model when unconditional) */
    public Sequential trunk() {
        return trunk;
    }

    /** @return C, the length of c it reads (0 when unconditional) */
    public int conditionDim() {
        return conditionDim;
    }

    /** @return the image shape it scores */
    public int[] inputShape() {
        return trunk.inputShape();
    }

    /** @return every trainable parameter: the trunk's, then the head's and the projection's */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(trunk.parameters());
        if (head != null) {
            all.addAll(head.parameters());
            all.add(embed);
        }
        return all;
    }

    /** @return the layers' non-trainable state (none: a discriminator must not keep batch statistics) */
    public Map<String, Tensor> state() {
        return trunk.state();
    }

    /**
     * @param regularizers activation regularizers to insert into the trunk
     * @return a discriminator with the same parameters and the layers inserted
     */
    public ProjectionDiscriminator withActivationRegularizers(List<? extends ActivationRegularizer> regularizers) {
        if (regularizers.isEmpty()) return this;
        return new ProjectionDiscriminator(trunk.withActivationRegularizers(regularizers), head, embed, conditionDim);
    }

    /**
     * @param images [N, 3, S, S]
     * @param condition [N, C] (ignored, may be null, when unconditional)
     * @param ctx the step
     * @return logits [N, 1] (a new tensor)
     */
    public Tensor forward(Tensor images, Tensor condition, StepContext ctx) {
        Tensor h = trunk.forward(images, ctx);
        if (head == null) return h.copy();
        int n = h.dim(0);
        if (condition == null || condition.rank() != 2 || condition.dim(0) != n || condition.dim(1) != conditionDim) {
            throw new ShapeMismatchException("the discriminator's condition must have shape [" + n + ", " + conditionDim + "], got "
                    + (condition == null ? "null" : Arrays.toString(condition.shape())));
        }
        Kernels k = ctx.kernels();
        Tensor proj = Tensor.zeros(n, features); // c·Vᵀ
        k.gemm(false, true, n, features, conditionDim, 1f, condition.data(), 0, conditionDim,
                embed.value().data(), 0, conditionDim, 0f, proj.data(), 0, features);
        Tensor logits = head.forward(h, ctx).copy();
        float[] hd = h.data();
        float[] pd = proj.data();
        float[] out = logits.data();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int f = i * features; f < (i + 1) * features; f++) s += (double) hd[f] * pd[f];
            out[i] += (float) s;
        }
        cachedFeatures = h;
        cachedCondition = condition;
        cachedProjection = proj;
        return logits;
    }

    /**
     * Adds the parameter gradients of Σ gradLogits·D and returns ∂/∂images.
     *
     * @param gradLogits [N, 1]
     * @param ctx the step of the last forward
     * @return ∂/∂images (a buffer of the trunk's first layer, valid until its next backward)
     */
    public Tensor backward(Tensor gradLogits, StepContext ctx) {
        if (head == null) return trunk.backward(gradLogits, ctx);
        return trunk.backward(featureGradient(gradLogits, ctx, true), ctx);
    }

    /**
     * Adds the parameter gradients of Σ gradLogits·D, as {@link #backward} does, without ∂/∂images
     * (the trunk's first layer skips its input gradient when it can, see
     * {@link dev.regula.core.layer.ParameterBackward}).
     *
     * @param gradLogits [N, 1]
     * @param ctx the step of the last forward
     */
    public void backwardParameters(Tensor gradLogits, StepContext ctx) {
        trunk.backwardParameters(head == null ? gradLogits : featureGradient(gradLogits, ctx, true), ctx);
    }

    /**
     * ∂(Σ gradLogits·D)/∂images, the same bits {@link #backward} returns, without the parameter
     * gradients' products (the generator's step needs only this); the parameter gradients are
     * unspecified afterwards (see {@link dev.regula.core.layer.InputBackward}), so zero them before
     * they are next used.
     *
     * @param gradLogits [N, 1]
     * @param ctx the step of the last forward
     * @return ∂/∂images (a buffer of the trunk's first layer, valid until its next backward)
     */
    public Tensor backwardInput(Tensor gradLogits, StepContext ctx) {
        return trunk.backwardInput(head == null ? gradLogits : featureGradient(gradLogits, ctx, false), ctx);
    }

    /** ∂/∂h of the head, adding the head's and the projection's parameter gradients when asked. */
    private Tensor featureGradient(Tensor gradLogits, StepContext ctx, boolean parameters) {
        Tensor h = cachedFeatures;
        int n = h.dim(0);
        Kernels k = ctx.kernels();
        Tensor gradH = (parameters ? head.backward(gradLogits, ctx) : head.backwardInput(gradLogits, ctx)).copy();
        float[] g = gradLogits.data();
        float[] gh = gradH.data();
        float[] pd = cachedProjection.data();
        // ∂/∂h += g·(V c)
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            for (int f = i * features; f < (i + 1) * features; f++) gh[f] += gi * pd[f];
        }
        if (!parameters) return gradH;
        // ∂/∂V += Σ_n g_n·h_n ⊗ c_n
        Tensor scaledH = Tensor.zeros(n, features);
        float[] sh = scaledH.data();
        float[] hd = h.data();
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            for (int f = i * features; f < (i + 1) * features; f++) sh[f] = gi * hd[f];
        }
        float beta = embed.gradientBeta();
        k.gemm(true, false, features, conditionDim, n, 1f, sh, 0, features, cachedCondition.data(), 0, conditionDim,
                beta, embed.grad().data(), 0, conditionDim);
        return gradH;
    }
}
