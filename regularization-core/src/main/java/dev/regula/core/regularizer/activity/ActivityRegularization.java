package dev.regula.core.regularizer.activity;

import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.regularizer.ActivityRegularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.core.regularizer.support.LayerGlob;
import java.util.ArrayList;
import java.util.List;

/**
 * L1/L2 activity regularization with the semantics of Keras' {@code ActivityRegularization}
 * layer as tf.keras 2 applies it: for the activations a of one batch of B examples,
 * <pre>R(a) = (l1·Σ|a| + l2·Σa²) / B</pre>
 * the sums running over every element of the batch. The factor convention is Keras', not that of
 * Regula's parameter {@code l2}: no ½ in front of l2, so ∂R/∂a = (l1·sign(a) + 2·l2·a)/B. The
 * division by B (tf.keras 2 divides the layer's activity loss by the batch size "to make it
 * batch-agnostic"; Keras 3 does not) keeps the strength independent of the batch size, like the
 * mean-reduced data loss: Keras 3's {@code l1} equals Regula's {@code l1}/B.
 *
 * <p>Its layers are the identity in both modes; in TRAIN mode they record R and add ∂R/∂a to the
 * gradient in backward. sign(0) = 0. Holds the layers it created, to report the penalty: one
 * instance per training run.
 */
final class ActivityRegularization implements ActivityRegularizer {
    private final String spec;
    private final Schedule l1;
    private final Schedule l2;
    private final LayerGlob after;
    private final List<ActivityLayer> layers = new ArrayList<>();

    ActivityRegularization(SpecArguments a) {
        this.spec = a.toSpec().toString();
        this.l1 = a.schedule("l1");
        this.l2 = a.schedule("l2");
        this.after = LayerGlob.parse(a.text("after"));
    }

    @Override
    public String name() {
        return ActivityRegularizationProvider.NAME;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Layer newLayer(String name) {
        ActivityLayer layer = new ActivityLayer(name, this);
        layers.add(layer);
        return layer;
    }

    @Override
    public boolean insertAfter(String layerName, boolean hiddenActivation) {
        return after.matches(layerName, hiddenActivation);
    }

    @Override
    public double lastPenalty() {
        double sum = 0;
        for (ActivityLayer l : layers) sum += l.lastPenalty();
        return sum;
    }

    /** @return l1 at this step */
    double l1(StepContext ctx) {
        return l1.valueAt(ctx.step(), ctx.epoch());
    }

    /** @return l2 at this step */
    double l2(StepContext ctx) {
        return l2.valueAt(ctx.step(), ctx.epoch());
    }

    @Override
    public String toString() {
        return spec;
    }
}
