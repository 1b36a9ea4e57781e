package dev.regula.examples.cli;

import dev.regula.api.NumericalFaultException;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs that would otherwise do nothing, or next to nothing, without a word: a regularizer whose
 * selector picks no parameter or whose layers find no place in the model, and a {@code --nan skip-step} run that skipped most of its steps.
 * Warnings go to standard error as {@code regula: warning: ...} lines.
 */
final class Warnings {
    /** Above this fraction of skipped steps a run has not trained: it ends with exit code 4. */
    static final double MAX_SKIPPED_FRACTION = 0.5;

    private Warnings() {
    }

    /**
     * @param trainer a trainer before its fit
     * @param err standard error
     */
    static void unmatched(Trainer trainer, PrintWriter err) {
        List<String> nowhere = trainer.activationRegularizersPlacedNowhere();
        if (!nowhere.isEmpty()) {
            String layers = String.join(", ", trainer.activationPlaceNames());
            for (String spec : nowhere) {
                err.println("regula: warning: " + spec + " finds no place in the model, so it does nothing; check its after= glob"
                        + " (the layers are " + layers + "; drop-path needs residual blocks)");
            }
            err.flush();
        }
        List<String> none = trainer.pipeline().unmatchedRegularizers();
        if (none.isEmpty()) return;
        String parameters = trainer.model().parameters().stream()
                .map(p -> p.name() + " (" + p.role() + ")").collect(Collectors.joining(", "));
        for (String spec : none) {
            err.println("regula: warning: " + spec + " selects no parameter of the model, so it does nothing;"
                    + " check its on= selector (the parameters are " + parameters + ")");
        }
        err.flush();
    }

    /**
     * Warns when steps were skipped for NaN/Inf, and fails when most were.
     *
     * @param history the epochs of this run
     * @param stepsRun the optimizer steps this run took (skipped ones included)
     * @param err standard error
     * @throws NumericalFaultException if more than {@link #MAX_SKIPPED_FRACTION} of the steps were skipped
     */
    static void skippedSteps(List<EpochMetrics> history, long stepsRun, PrintWriter err) {
        long skipped = history.stream().mapToLong(EpochMetrics::skippedSteps).sum();
        if (skipped == 0 || stepsRun <= 0) return;
        double fraction = skipped / (double) stepsRun;
        String what = String.format(Locale.ROOT, "%d of %d steps (%.1f%%) were skipped for NaN/Inf (--nan skip-step)", skipped, stepsRun,
                100 * fraction);
        if (fraction > MAX_SKIPPED_FRACTION) {
            long last = history.isEmpty() ? 0 : history.getLast().step();
            throw new NumericalFaultException(last, "skipped steps", what + ", more than "
                    + (int) (100 * MAX_SKIPPED_FRACTION) + "%: the model was hardly trained; lower the learning rate, add"
                    + " clip-norm(max=...) or check the input data");
        }
        err.println("regula: warning: " + what);
        err.flush();
    }
}
