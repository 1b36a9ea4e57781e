package dev.regula.core.testing;

import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * A parameter-free identity layer for tests: forward and backward return their argument. It
 * records, for every EVAL forward, whether its context was exclusive (in a list safe for several
 * threads), then runs an optional hook.
 */
public final class RecordingIdentity implements Layer {
    private final String name;
    private final List<Boolean> evalExclusive = Collections.synchronizedList(new ArrayList<>());
    private final Consumer<StepContext> afterEvalRecord;

    /** @param name the layer name */
    public RecordingIdentity(String name) {
        this(name, ctx -> { });
    }

    /**
     * @param name the layer name
     * @param afterEvalRecord called by every EVAL forward after it recorded its context (may block)
     */
    public RecordingIdentity(String name, Consumer<StepContext> afterEvalRecord) {
        this.name = name;
        this.afterEvalRecord = afterEvalRecord;
    }

    /** @return for each EVAL forward so far, in order, whether it was exclusive (live list) */
    public List<Boolean> evalExclusive() {
        return evalExclusive;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        if (!ctx.training()) {
            evalExclusive.add(ctx.exclusive());
            afterEvalRecord.accept(ctx);
        }
        return input;
    }

    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        return gradOutput;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }
}
