package dev.regula.core.regularizer.batch;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.regularizer.BatchRegularizer;
import dev.regula.api.regularizer.LabelMix;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;

/**
 * Common part of the per-example image augmentations: each example of the batch is changed on
 * its own with draws keyed by (seed, name, step, example index); labels are left alone.
 */
abstract sealed class ImageAugmentation implements BatchRegularizer permits RandomErasing, Cutout, FlipShift, Rotate {
    private final String name;
    private final String spec;
    private final long stream;
    private final int[] layout;

    ImageAugmentation(String name, SpecArguments a) {
        this.name = name;
        this.spec = a.toSpec().toString();
        this.stream = CounterRng.stream(name);
        this.layout = Images.parse(name, a.text("image"));
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
    public final LabelMix apply(Tensor features, Tensor labels, StepContext ctx) {
        Images im = Images.of(name, features, layout);
        long key = CounterRng.key(ctx.seed(), stream, ctx.step());
        float[] x = features.data();
        for (int i = 0; i < im.batch(); i++) augment(x, i * im.example(), im, Draws.of(key, i));
        return null;
    }

    /**
     * Changes one example in place.
     *
     * @param x the batch's values
     * @param offset where the example starts
     * @param im the layout
     * @param d the example's draws at this step
     */
    abstract void augment(float[] x, int offset, Images im, Draws d);

    /** Sets the box [y1, y2) × [x1, x2) of every channel of the example to {@code value}. */
    static void fill(float[] x, int offset, Images im, int y1, int y2, int x1, int x2, float value) {
        for (int c = 0; c < im.channels(); c++) {
            int base = offset + c * im.plane();
            for (int y = y1; y < y2; y++) java.util.Arrays.fill(x, base + y * im.width() + x1, base + y * im.width() + x2, value);
        }
    }

    @Override
    public final String toString() {
        return spec;
    }
}
