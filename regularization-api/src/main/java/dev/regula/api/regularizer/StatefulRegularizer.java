package dev.regula.api.regularizer;

import java.util.Map;

/**
 * Implemented beside a {@link Regularizer} kind by a regularizer that keeps a value of its own that is neither a parameter nor an optimizer's state
 * (a reference it fixed at its first step, say), which a checkpoint must carry for a resumed run to
 * continue exactly. Learnable and output regularizers carry their own optimizer's state through
 * their own methods ({@link LearnableRegularizer#ownOptimizerState()}), and a checkpoint saves
 * only those for them: one of them that also implements this interface keeps its value there.
 */
public interface StatefulRegularizer {
    /**
     * The state a checkpoint saves, as vectors of doubles, which checkpoints store exactly. Keys
     * are plain names without '/'.
     *
     * @return key → values, independent copies
     */
    Map<String, double[]> state();

    /**
     * Checks, changing nothing, that {@link #restoreState} would accept this state; a resume calls
     * it before it changes anything of the run.
     *
     * @param state key → values as saved; empty means the run starts afresh
     * @throws IllegalArgumentException naming the key that is unknown, missing, of the wrong length
     *     or out of range
     */
    void checkState(Map<String, double[]> state);

    /**
     * Restores what {@link #state()} returned, before training resumes.
     *
     * @param state key → values as saved; empty means the run starts afresh
     * @throws IllegalArgumentException as {@link #checkState}, before anything changes
     */
    void restoreState(Map<String, double[]> state);
}
