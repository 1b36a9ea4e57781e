package dev.regula.gan.train;

import dev.regula.gan.eval.GanScores;

/**
 * Receives the progress of a {@link FaceCaseStudy}, e.g. to draw a progress bar; the library prints
 * nothing itself. Called on the training thread; every method defaults to doing nothing.
 */
public interface CaseStudyListener {
    /** A listener that ignores every event. */
    CaseStudyListener NONE = new CaseStudyListener() {
    };

    /**
     * A preparation phase starts (rendering or loading faces, training the evaluation classifier).
     *
     * @param description what is being done, e.g. {@code rendering 10240 synthetic faces}
     */
    default void onPhase(String description) {
    }

    /**
     * A training run starts.
     *
     * @param key the run's λ, prior form and seed
     * @param run the run's index, from 0
     * @param runs the number of runs
     * @param iterations the iterations it will do
     */
    default void onRunStart(FaceCaseStudy.RunKey key, int run, int runs, int iterations) {
    }

    /**
     * After every iteration.
     *
     * @param key the run's λ, prior form and seed
     * @param step the iteration's losses and scores
     */
    default void onIteration(FaceCaseStudy.RunKey key, GanStep step) {
    }

    /**
     * After each evaluation of the generator on held-out conditions.
     *
     * @param key the run's λ, prior form and seed
     * @param iteration the iterations done
     * @param scores the scores
     */
    default void onEvaluation(FaceCaseStudy.RunKey key, long iteration, GanScores scores) {
    }

    /**
     * A training run ended; its files are written.
     *
     * @param run its summary
     */
    default void onRunEnd(CaseStudyResult.Run run) {
    }
}
