package dev.regula.core.train.callbacks;

import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.ParameterPenalty;
import dev.regula.core.train.ParameterStats;
import dev.regula.core.train.TrainingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** The flat record of an epoch that the loggers write: one name → number per metric, in a fixed order. */
final class EpochRecord {
    private EpochRecord() {
    }

    /**
     * @return epoch, step, lr, loss, accuracy, val_loss, val_accuracy, grad_norm (mean global norm
     *     over the epoch's updates), skipped_steps, seconds, examples_per_second, then
     *     {@code penalty/<spec>} per regularizer, each followed by its parts
     *     {@code penalty/<spec>/<parameter>} (parameter regularizers only), and
     *     {@code grad_norm/<parameter>} per parameter
     */
    static Map<String, Double> of(TrainingContext ctx, EpochMetrics m) {
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("epoch", (double) m.epoch());
        r.put("step", (double) m.step());
        r.put("lr", m.learningRate());
        r.put("loss", m.trainLoss());
        r.put("accuracy", m.trainAccuracy());
        r.put("val_loss", m.validationLoss());
        r.put("val_accuracy", m.validationAccuracy());
        r.put("grad_norm", ctx.epochGradientNorm());
        r.put("skipped_steps", (double) m.skippedSteps());
        r.put("seconds", m.seconds());
        r.put("examples_per_second", m.examplesPerSecond());
        new java.util.TreeMap<>(m.penalties()).forEach((spec, v) -> {
            r.put("penalty/" + spec, v);
            for (ParameterPenalty part : m.parameterPenalties()) {
                if (part.regularizer().equals(spec)) r.merge("penalty/" + spec + "/" + part.parameter(), part.value(), Double::sum);
            }
        });
        for (ParameterStats p : m.parameters()) r.put("grad_norm/" + p.name(), p.gradientNorm());
        return r;
    }

    /** @return {@link #of} with the whole-number metrics (epoch, step, skipped_steps) as longs */
    static Map<String, Object> standard(TrainingContext ctx, EpochMetrics m) {
        Map<String, Object> r = new LinkedHashMap<>();
        of(ctx, m).forEach((k, v) -> r.put(k, k.equals("epoch") || k.equals("step") || k.equals("skipped_steps")
                ? (Object) v.longValue() : (Object) v));
        return r;
    }
}
