package dev.regula.core.regularizer.averaging;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Common part of the weight averagers: one average per trainable parameter, keyed by the
 * parameter's name, created as a copy of the parameter at the first update; later updates fold
 * the value in with the weight {@link #weightOfNew} of the subclass. One instance per run.
 */
abstract sealed class WeightAverage implements WeightAverager permits Ema, Swa {
    private final String spec;
    private final Map<String, Tensor> averages = new LinkedHashMap<>();
    private long count;

    WeightAverage(String spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    @Override
    public final String spec() {
        return spec;
    }

    @Override
    public final String name() {
        return kind();
    }

    /**
     * @param ctx the step just taken
     * @return whether to fold this step's weights in
     */
    abstract boolean averageNow(StepContext ctx);

    /**
     * @param updatesSoFar how many updates are in the average already (≥ 1)
     * @return the weight w of the new value: avg ← (1 − w)·avg + w·θ
     */
    abstract double weightOfNew(long updatesSoFar);

    @Override
    public final void update(List<Parameter> parameters, StepContext ctx) {
        if (!averageNow(ctx)) return;
        float w = count == 0 ? 1f : (float) weightOfNew(count);
        for (Parameter p : parameters) {
            Tensor avg = averages.get(p.name());
            if (count == 0 || avg == null) {
                averages.put(p.name(), p.value().copy());
                continue;
            }
            if (!avg.sameShape(p.value())) {
                throw new IllegalStateException(kind() + ": parameter " + p.name() + " changed shape from "
                        + java.util.Arrays.toString(avg.shape()) + " to " + java.util.Arrays.toString(p.value().shape()));
            }
            float[] a = avg.data();
            float[] x = p.value().data();
            for (int i = 0; i < a.length; i++) a[i] += w * (x[i] - a[i]);
        }
        count++;
    }

    @Override
    public final Optional<Tensor> average(Parameter p) {
        return count == 0 ? Optional.empty() : Optional.ofNullable(averages.get(p.name()));
    }

    @Override
    public final long count() {
        return count;
    }

    @Override
    public final Map<String, Tensor> state() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        averages.forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    @Override
    public final void restoreState(Map<String, Tensor> saved, long savedCount) {
        if (savedCount < 0) throw new IllegalArgumentException(kind() + ": the update count must be >= 0, got " + savedCount);
        if ((savedCount == 0) != saved.isEmpty()) {
            throw new IllegalArgumentException(kind() + ": " + saved.size() + " averages with an update count of " + savedCount
                    + "; both must be zero or both non-zero");
        }
        averages.clear();
        saved.forEach((k, v) -> averages.put(k, v.copy()));
        count = savedCount;
    }

    @Override
    public final String toString() {
        return spec;
    }
}
