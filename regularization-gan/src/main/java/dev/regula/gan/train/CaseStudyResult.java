package dev.regula.gan.train;

import dev.regula.gan.eval.GanScores;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a {@link FaceCaseStudy}: the real-vs-real baseline and one final score per run.
 *
 * @param baseline the scores of held-out real faces against the reference real faces (the best a
 *     generator can do; feature error 0)
 * @param runs one entry per λ, in the configured order
 * @param seconds wall time of the whole study, data and evaluation included
 * @param directory the output directory
 */
public record CaseStudyResult(GanScores baseline, List<Run> runs, double seconds, Path directory) {
    /** Copies the list. */
    public CaseStudyResult {
        Objects.requireNonNull(baseline, "baseline");
        runs = List.copyOf(runs);
        Objects.requireNonNull(directory, "directory");
    }

    /**
     * One training run.
     *
     * @param key its λ, prior form and seed
     * @param iterations the iterations done
     * @param scores the final scores on held-out conditions
     * @param priorWeights the learned per-attribute weights e^{s_k} at the end, or null for a fixed prior
     * @param seconds wall time of the run (training, sample grids and evaluations)
     * @param directory the run's directory
     */
    public record Run(FaceCaseStudy.RunKey key, long iterations, GanScores scores, double[] priorWeights, double seconds,
                      Path directory) {
        /** @return λ */
        public double lambda() {
            return key.lambda();
        }
    }
}
