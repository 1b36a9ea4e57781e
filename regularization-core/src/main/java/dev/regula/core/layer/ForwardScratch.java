package dev.regula.core.layer;

import dev.regula.api.StepContext;

/**
 * A scratch array of one layer's forward, kept by the same rule as {@link ForwardOutput}: one
 * array reused by TRAIN forwards (backward may read it), another by exclusive EVAL forwards, and a
 * new array for every shared EVAL forward.
 */
final class ForwardScratch {
    private float[] train;
    private float[] eval;

    /**
     * @param ctx the forward's context
     * @param size the number of elements needed
     * @return an array of at least {@code size} elements with arbitrary values
     */
    float[] next(StepContext ctx, int size) {
        if (ctx.training()) return train = Im2Col.atLeast(train, size);
        if (ctx.exclusive()) return eval = Im2Col.atLeast(eval, size);
        return new float[size];
    }

    /** @return the array of the last TRAIN forward, or null before the first */
    float[] lastTrain() {
        return train;
    }
}
