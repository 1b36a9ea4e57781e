package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecArguments;

/**
 * Cutout (DeVries &amp; Taylor 2017): with probability p an example gets a size × size square,
 * its centre uniform over the image and the square clipped at the borders (so it may fall partly
 * outside, as in the paper), set to {@code value} in every channel (0: the mean of standardised
 * inputs, as the paper's zero after normalisation).
 */
final class Cutout extends ImageAugmentation {
    static final String NAME = "cutout";
    private final int size;
    private final double p;
    private final float value;

    Cutout(SpecArguments a) {
        super(NAME, a);
        this.size = (int) a.integer("size");
        this.p = a.number("p");
        this.value = (float) a.number("value");
    }

    @Override
    void augment(float[] x, int offset, Images im, Draws d) {
        if (d.uniform() >= p) return;
        int cy = d.below(im.height());
        int cx = d.below(im.width());
        int y1 = Math.clamp(cy - size / 2, 0, im.height());
        int y2 = Math.clamp(cy - size / 2 + (long) size, 0, im.height());
        int x1 = Math.clamp(cx - size / 2, 0, im.width());
        int x2 = Math.clamp(cx - size / 2 + (long) size, 0, im.width());
        fill(x, offset, im, y1, y2, x1, x2, value);
    }
}
