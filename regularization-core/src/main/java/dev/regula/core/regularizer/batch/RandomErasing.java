package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;

/**
 * Random erasing (Zhong et al. 2020), torchvision's {@code RandomErasing}: with probability p an
 * example gets one rectangle, of area s·H·W with s ~ U[scale_min, scale_max] and aspect ratio
 * r = h/w log-uniform in [ratio_min, ratio_max], h = round(√(s·H·W·r)), w = round(√(s·H·W/r)),
 * at a uniform position, set to {@code value} in every channel. As in torchvision, up to 10 draws
 * look for a rectangle that fits (h &lt; H and w &lt; W); if none does, the example stays as it
 * is. The value is in the units of the (standardised) inputs: 0 is the mean.
 */
final class RandomErasing extends ImageAugmentation {
    static final String NAME = "random-erasing";
    private final double p;
    private final double scaleMin;
    private final double scaleMax;
    private final double logRatioMin;
    private final double logRatioMax;
    private final float value;

    RandomErasing(SpecArguments a) {
        super(NAME, a);
        this.p = a.number("p");
        this.scaleMin = a.number("scale_min");
        this.scaleMax = a.number("scale_max");
        double rMin = a.number("ratio_min");
        double rMax = a.number("ratio_max");
        if (scaleMin > scaleMax) {
            throw new SpecException("regularizer '" + NAME + "': scale_min=" + scaleMin + " is above scale_max=" + scaleMax
                    + "; allowed: scale_min <= scale_max");
        }
        if (rMin > rMax) {
            throw new SpecException("regularizer '" + NAME + "': ratio_min=" + rMin + " is above ratio_max=" + rMax
                    + "; allowed: ratio_min <= ratio_max");
        }
        this.logRatioMin = Math.log(rMin);
        this.logRatioMax = Math.log(rMax);
        this.value = (float) a.number("value");
    }

    @Override
    void augment(float[] x, int offset, Images im, Draws d) {
        if (d.uniform() >= p) return;
        double area = im.plane();
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * d.uniform(scaleMin, scaleMax);
            double ratio = Math.exp(d.uniform(logRatioMin, logRatioMax));
            int h = (int) Math.round(Math.sqrt(target * ratio));
            int w = (int) Math.round(Math.sqrt(target / ratio));
            if (!(h < im.height() && w < im.width())) continue;
            int y = d.below(im.height() - h + 1);
            int x0 = d.below(im.width() - w + 1);
            fill(x, offset, im, y, y + h, x0, x0 + w, value);
            return;
        }
    }
}
