package dev.regula.core.train;

import dev.regula.api.param.ParameterRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Warnings about vanishing and exploding gradients, from an epoch's {@link ParameterStats}. The
 * thresholds are heuristics, stated here so that a reader can judge a warning:
 * <ul>
 *   <li><b>vanishing</b>: a weight's root-mean-square gradient entry is below
 *       {@value #VANISHING_RATIO} times the largest one among the model's weights (the classic
 *       symptom of a deep sigmoid or tanh network: the first layers learn orders of magnitude
 *       more slowly than the last), or its update moved it by less than {@value #STALLED_UPDATE}
 *       of its norm;</li>
 *   <li><b>exploding</b>: a gradient norm is not finite, or one update moved a weight by more than
 *       {@value #EXPLODING_UPDATE} of its norm (healthy updates are often quoted near 1e-3).</li>
 * </ul>
 * Only parameters of role WEIGHT with gradient statistics are judged (biases and normalisation
 * scales legitimately differ).
 */
public final class GradientHealth {
    /** A weight's RMS gradient below this fraction of the largest one is reported as vanishing. */
    public static final double VANISHING_RATIO = 1e-3;
    /** An update-to-weight ratio below this is reported as a stalled (vanishing) update. */
    public static final double STALLED_UPDATE = 1e-7;
    /** An update-to-weight ratio above this is reported as exploding. */
    public static final double EXPLODING_UPDATE = 1.0;

    private GradientHealth() {
    }

    /**
     * @param m an epoch's metrics
     * @return one line per problem found, naming the epoch, the parameter and the figures; empty if none
     */
    public static List<String> warnings(EpochMetrics m) {
        List<ParameterStats> weights = m.parameters().stream()
                .filter(p -> p.role() == ParameterRole.WEIGHT && !Double.isNaN(p.gradientNorm()))
                .toList();
        List<String> out = new ArrayList<>();
        double largest = weights.stream().mapToDouble(ParameterStats::gradientRms).filter(Double::isFinite).max().orElse(Double.NaN);
        for (ParameterStats p : weights) {
            String where = "epoch " + m.epoch() + ": " + p.name();
            if (!Double.isFinite(p.gradientNorm())) {
                out.add(where + ": exploding gradients (gradient norm " + p.gradientNorm() + "); add clip-norm(max=...) or lower the learning rate");
            } else if (p.updateRatio() > EXPLODING_UPDATE) {
                out.add(String.format(Locale.ROOT, "%s: exploding updates (one step changed the weights by %.3g of their norm, above %s);"
                        + " add clip-norm(max=...) or lower the learning rate", where, p.updateRatio(), EXPLODING_UPDATE));
            } else if (weights.size() > 1 && largest > 0 && p.gradientRms() < VANISHING_RATIO * largest) {
                out.add(String.format(Locale.ROOT, "%s: vanishing gradients (RMS gradient %.3g, %.2g of the largest layer's %.3g);"
                        + " try relu, mlp(batchnorm=true) or fewer layers", where, p.gradientRms(), p.gradientRms() / largest, largest));
            } else if (p.updateRatio() < STALLED_UPDATE) {
                out.add(String.format(Locale.ROOT, "%s: stalled updates (one step changed the weights by %.3g of their norm, below %s)",
                        where, p.updateRatio(), STALLED_UPDATE));
            }
        }
        return out;
    }
}
