package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;

/**
 * CutMix (Yun et al. 2019): a box of example π(i), the same for the whole batch, is pasted into
 * example i (all channels). With λ ~ Beta(α, α) the box has sides ⌊H·√(1 − λ)⌋ × ⌊W·√(1 − λ)⌋
 * around a uniformly drawn centre, clipped at the borders; the label weight is then
 * λ' = 1 − (box area)/(H·W), as in the paper's code and torchvision's {@code CutMix}.
 * Needs image examples: see {@link Images} for the {@code image} key.
 */
final class CutMix extends LabelMixing {
    static final String NAME = "cutmix";

    private final int[] layout;

    CutMix(SpecArguments a) {
        super(NAME, a);
        this.layout = Images.parse(NAME, a.text("image"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    double mix(Tensor features, float[] original, int[] perm, double lambda, Draws d) {
        Images im = Images.of(NAME, features, layout);
        double r = Math.sqrt(1 - lambda);
        int cutH = (int) (im.height() * r);
        int cutW = (int) (im.width() * r);
        int cy = d.below(im.height());
        int cx = d.below(im.width());
        int y1 = Math.clamp(cy - cutH / 2, 0, im.height());
        int y2 = Math.clamp(cy + cutH / 2, 0, im.height());
        int x1 = Math.clamp(cx - cutW / 2, 0, im.width());
        int x2 = Math.clamp(cx + cutW / 2, 0, im.width());
        float[] x = features.data();
        for (int i = 0; i < perm.length; i++) {
            for (int c = 0; c < im.channels(); c++) {
                int dst = i * im.example() + c * im.plane();
                int src = perm[i] * im.example() + c * im.plane();
                for (int y = y1; y < y2; y++) {
                    System.arraycopy(original, src + y * im.width() + x1, x, dst + y * im.width() + x1, x2 - x1);
                }
            }
        }
        return 1 - (double) (y2 - y1) * (x2 - x1) / im.plane();
    }
}
