package dev.regula.gan.train;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;

/**
 * The diversity-sensitive term of a conditional generator (Yang, Kim, Kim &amp; Lee, "Diversity-Sensitive
 * Conditional Generative Adversarial Networks", ICLR 2019): the generator is rewarded for making
 * different images from different latents under one condition, up to a bound.
 *
 * <p>The generated batch is read as pairs: rows 2i and 2i + 1 are made from the same condition
 * (row 2i's, see {@link #pairedConditions}) and two latents z_2i, z_2i+1. With
 * d_i = mean |x_2i − x_2i+1| over the face region (the central half of each side, all channels)
 * and dz_i = mean |z_2i − z_2i+1|, the generator's loss gains
 * <pre>L = −w · mean_i min(d_i / dz_i, τ)</pre>
 * so G cannot map the latents of one condition to one face (mode collapse within a condition),
 * while the bound τ keeps it from buying diversity with noise once pairs differ enough. The face
 * region is used because the background alone varies with z cheaply; the term asks the face to
 * vary too. An odd last row has no partner and is left out. The gradient of |·| at 0 is taken as 0.
 *
 * <p>Immutable; w &gt; 0 and τ &gt; 0 (a weight of 0 is no term: the trainer then keeps its conditions
 * as they are).
 */
public final class DiversityTerm {
    /**
     * τ of the study, about the ratio of two real faces of one condition (their face regions differ
     * by 0.30 on average, 0.26 at the mean latent distance 2/√π of two standard normal latents).
     */
    public static final double DEFAULT_CAP = 0.25;

    private final double weight;
    private final double cap;

    /**
     * @param weight w, finite and &gt; 0
     * @param cap τ, finite and &gt; 0
     * @throws IllegalArgumentException naming the value out of range
     */
    public DiversityTerm(double weight, double cap) {
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("the diversity weight must be finite and > 0 (0 turns the term off), got " + weight);
        }
        if (!(cap > 0) || Double.isInfinite(cap)) throw new IllegalArgumentException("the diversity cap must be finite and > 0, got " + cap);
        this.weight = weight;
        this.cap = cap;
    }

    /** @return w */
    public double weight() {
        return weight;
    }

    /** @return τ */
    public double cap() {
        return cap;
    }

    /**
     * @param condition conditions [N, k]
     * @return a copy in which row 2i + 1 holds row 2i's condition (an odd last row keeps its own)
     */
    public static Tensor pairedConditions(Tensor condition) {
        Tensor out = condition.copy();
        int k = condition.rowSize();
        for (int i = 0; i + 1 < condition.dim(0); i += 2) System.arraycopy(condition.data(), i * k, out.data(), (i + 1) * k, k);
        return out;
    }

    /**
     * Adds ∂L/∂x to {@code gradImages} and returns the pairs' mean capped ratio mean_i min(d_i/dz_i, τ)
     * (L is −w times it).
     *
     * @param images the generated images [N, C, S, S], rows paired as in the class comment
     * @param z their latents [N, latent]
     * @param gradImages ∂loss/∂images, same shape as images, added to
     * @return the mean capped ratio, in [0, τ]; NaN for a batch of one row
     * @throws ShapeMismatchException if the shapes do not fit
     */
    public double addGradient(Tensor images, Tensor z, Tensor gradImages) {
        int n = images.dim(0);
        if (images.rank() != 4 || images.dim(2) != images.dim(3) || z.rank() != 2 || z.dim(0) != n
                || !java.util.Arrays.equals(images.shape(), gradImages.shape())) {
            throw new ShapeMismatchException("the diversity term needs images [N, C, S, S], latents [N, L] and a gradient of the images' shape, got "
                    + java.util.Arrays.toString(images.shape()) + ", " + java.util.Arrays.toString(z.shape()) + " and "
                    + java.util.Arrays.toString(gradImages.shape()));
        }
        int pairs = n / 2;
        if (pairs == 0) return Double.NaN;
        int channels = images.dim(1);
        int s = images.dim(2);
        int per = images.rowSize();
        int lo = s / 4;
        int hi = s - lo;
        int region = channels * (hi - lo) * (hi - lo);
        int latent = z.dim(1);
        float[] x = images.data();
        float[] g = gradImages.data();
        float[] zd = z.data();
        double total = 0;
        for (int i = 0; i + 1 < n; i += 2) {
            double dz = 0;
            for (int j = 0; j < latent; j++) dz += Math.abs(zd[i * latent + j] - zd[(i + 1) * latent + j]);
            dz /= latent;
            double d = 0;
            for (int ch = 0; ch < channels; ch++) {
                for (int yy = lo; yy < hi; yy++) {
                    int a = i * per + (ch * s + yy) * s;
                    for (int xx = lo; xx < hi; xx++) d += Math.abs(x[a + xx] - x[a + xx + per]);
                }
            }
            d /= region;
            double ratio = dz > 0 ? d / dz : cap; // equal latents: nothing to ask of the pair
            total += Math.min(ratio, cap);
            if (ratio >= cap) continue;
            float k = (float) (-weight / ((double) pairs * region * dz));
            for (int ch = 0; ch < channels; ch++) {
                for (int yy = lo; yy < hi; yy++) {
                    int a = i * per + (ch * s + yy) * s;
                    for (int xx = lo; xx < hi; xx++) {
                        float sign = Math.signum(x[a + xx] - x[a + xx + per]);
                        g[a + xx] += k * sign;
                        g[a + xx + per] -= k * sign;
                    }
                }
            }
        }
        return total / pairs;
    }

    @Override
    public String toString() {
        return "diversity(w=" + weight + ", cap=" + cap + ")";
    }
}
