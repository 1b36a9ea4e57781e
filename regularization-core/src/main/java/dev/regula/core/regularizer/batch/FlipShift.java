package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecArguments;

/**
 * Simple image augmentation: each example is mirrored left-right with probability {@code flip}
 * (torchvision {@code RandomHorizontalFlip}, Keras {@code RandomFlip("horizontal")}), then
 * translated by whole pixels (dy, dx), each uniform in [−shift, shift] (Keras
 * {@code RandomTranslation}, torchvision {@code RandomAffine(translate=)} or
 * {@code RandomCrop(padding=shift)}). Pixels shifted in take {@code fill}: {@code min}, the
 * example's smallest value (the background of Fashion-MNIST-like images, whatever the
 * standardisation), or {@code zero}.
 */
final class FlipShift extends ImageAugmentation {
    static final String NAME = "flip-shift";
    private final double flip;
    private final int shift;
    private final boolean fillMin;
    private float[] plane = new float[0];

    FlipShift(SpecArguments a) {
        super(NAME, a);
        this.flip = a.number("flip");
        this.shift = (int) a.integer("shift");
        this.fillMin = a.text("fill").equals("min");
    }

    @Override
    void augment(float[] x, int offset, Images im, Draws d) {
        boolean mirror = d.uniform() < flip;
        int dy = d.below(2 * shift + 1) - shift;
        int dx = d.below(2 * shift + 1) - shift;
        if (!mirror && dy == 0 && dx == 0) return;
        float fill = 0f;
        if (fillMin) {
            fill = Float.POSITIVE_INFINITY;
            for (int i = offset; i < offset + im.example(); i++) fill = Math.min(fill, x[i]);
        }
        int h = im.height();
        int w = im.width();
        if (plane.length < im.plane()) plane = new float[im.plane()];
        for (int c = 0; c < im.channels(); c++) {
            int base = offset + c * im.plane();
            System.arraycopy(x, base, plane, 0, im.plane());
            for (int y = 0; y < h; y++) {
                int sy = y - dy;
                for (int col = 0; col < w; col++) {
                    int sx = col - dx;
                    boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                    x[base + y * w + col] = inside ? plane[sy * w + (mirror ? w - 1 - sx : sx)] : fill;
                }
            }
        }
    }
}
