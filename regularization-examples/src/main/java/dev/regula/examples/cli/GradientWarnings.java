package dev.regula.examples.cli;

import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.GradientHealth;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCallback;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;

/**
 * Prints {@link GradientHealth} warnings to the error stream after each epoch, each kind of
 * problem once per parameter and run, so that a long run does not repeat the same line.
 */
final class GradientWarnings implements TrainingCallback {
    private final PrintStream err;
    private final Set<String> seen = new HashSet<>();

    /** @param err where the warnings go */
    GradientWarnings(PrintStream err) {
        this.err = err;
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochMetrics m) {
        for (String w : GradientHealth.warnings(m)) {
            // "epoch N: <parameter>: <kind> (...)": key on parameter and kind
            String rest = w.substring(w.indexOf(": ") + 2);
            int paren = rest.indexOf(" (");
            if (seen.add(paren < 0 ? rest : rest.substring(0, paren))) err.println("warning: " + w);
        }
    }
}
