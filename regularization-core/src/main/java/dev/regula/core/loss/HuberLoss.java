package dev.regula.core.loss;

/**
 * Huber loss as PyTorch's {@code HuberLoss(delta)} with {@code reduction='mean'}: per element,
 * ½·d² when |d| ≤ δ and δ·(|d| − ½·δ) otherwise, with d = output − target, averaged over all N
 * elements. Quadratic near the target and linear in the tails, so outliers pull with a bounded
 * force δ. Gradient: d/N inside the band, δ·sign(d)/N outside.
 */
public final class HuberLoss extends ElementwiseLoss {
    private final double delta;

    /**
     * @param delta the threshold δ between the quadratic and the linear part, finite and &gt; 0
     * @throws IllegalArgumentException for another δ
     */
    public HuberLoss(double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("huber: delta must be finite and > 0, got " + delta);
        }
        this.delta = delta;
    }

    /** @return δ */
    public double delta() {
        return delta;
    }

    @Override
    public String name() {
        return "huber";
    }

    @Override
    double term(double x, double t, int i, float[] g, double invN) {
        double d = x - t;
        if (Math.abs(d) <= delta) {
            g[i] = (float) (d * invN);
            return 0.5 * d * d;
        }
        g[i] = (float) (Math.copySign(delta, d) * invN);
        return delta * (Math.abs(d) - 0.5 * delta);
    }
}
