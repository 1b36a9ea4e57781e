package dev.regula.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import dev.regula.api.kernels.Kernels;
import org.junit.jupiter.api.Test;

/** Which contexts are exclusive (layers may reuse their buffers) and which are shared. */
class StepContextTest {
    private final Kernels kernels = mock(Kernels.class);

    @Test
    void evalIsSharedAndExclusiveEvalIsNot() {
        StepContext shared = StepContext.eval(kernels);
        StepContext exclusive = StepContext.exclusiveEval(kernels);
        assertEquals(Mode.EVAL, shared.mode());
        assertEquals(Mode.EVAL, exclusive.mode());
        assertFalse(shared.exclusive());
        assertTrue(exclusive.exclusive());
        assertFalse(shared.training());
        assertFalse(exclusive.training());
    }

    @Test
    void trainIsAlwaysExclusive() {
        assertTrue(new StepContext(Mode.TRAIN, 3, 1, 0.1, 42, kernels).exclusive());
        assertTrue(new StepContext(Mode.TRAIN, 3, 1, 0.1, 42, kernels, false).exclusive());
        assertFalse(new StepContext(Mode.EVAL, 3, 1, 0.1, 42, kernels).exclusive());
    }

    @Test
    void switchingFromTrainToEvalGivesASharedContext() {
        StepContext train = new StepContext(Mode.TRAIN, 7, 2, 0.05, 9, kernels);
        StepContext eval = train.withMode(Mode.EVAL);
        assertFalse(eval.exclusive());
        assertEquals(7, eval.step());
        assertEquals(2, eval.epoch());
        assertEquals(9, eval.seed());
        assertTrue(StepContext.exclusiveEval(kernels).withMode(Mode.EVAL).exclusive());
        assertTrue(StepContext.eval(kernels).withMode(Mode.TRAIN).exclusive());
    }

    @Test
    void badComponentsAreNamed() {
        assertEquals("step must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new StepContext(Mode.EVAL, -1, 0, 0, 0, kernels)).getMessage());
        assertThrows(NullPointerException.class, () -> StepContext.exclusiveEval(null));
    }
}
