package dev.regula.core.regularizer.noise;

import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.regularizer.ActivationRegularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.regularizer.support.LayerGlob;
import java.util.Objects;

/**
 * Common part of the activation-noise regularizers: each training forward pass computes
 * y = x ⊙ m + c with a random factor m and offset c drawn from
 * {@link dev.regula.api.kernels.CounterRng} with the key (seed, stream(layer name), step), and
 * backward returns ∂L/∂y ⊙ m. Subclasses define how m and y are drawn.
 *
 * <p>Insertion ({@code after} key): {@code hidden} (the default) inserts after every hidden
 * activation layer; otherwise the value is a glob on layer names ({@code *}, {@code ?},
 * alternatives joined with {@code |}), e.g. {@code after=dense*|conv2}.
 */
abstract sealed class NoiseRegularizer implements ActivationRegularizer
        permits Dropout, GaussianDropout, GaussianNoise, AlphaDropout, SpatialDropout, DropPath, DropBlock {
    /** The {@code after} value meaning "after each hidden activation". */
    static final String HIDDEN = LayerGlob.HIDDEN;

    private final String name;
    private final String spec;
    private final LayerGlob after;

    NoiseRegularizer(String name, SpecArguments args) {
        this.name = Objects.requireNonNull(name, "name");
        this.spec = args.toSpec().toString();
        this.after = LayerGlob.parse(args.text("after"));
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String spec() {
        return spec;
    }

    @Override
    public final Layer newLayer(String layerName) {
        return new NoiseLayer(layerName, this);
    }

    @Override
    public final boolean insertAfter(String layerName, boolean hiddenActivation) {
        return after.matches(layerName, hiddenActivation);
    }

    /**
     * Draws the noise for one training forward pass.
     *
     * @param layer the layer's name (for messages)
     * @param x the input
     * @param y receives the output, same size as x
     * @param factor receives ∂y_i/∂x_i
     * @param key the stream key of this layer at this step
     * @param ctx the step
     */
    abstract void draw(String layer, Tensor x, float[] y, float[] factor, long key, StepContext ctx);

    /**
     * @param s a schedule
     * @param ctx the step
     * @return its value now
     */
    static double at(Schedule s, StepContext ctx) {
        return s.valueAt(ctx.step(), ctx.epoch());
    }

    @Override
    public final String toString() {
        return spec;
    }
}
