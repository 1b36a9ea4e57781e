package dev.regula.examples.cli;

import dev.regula.core.train.EpochMetrics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Soft constraints that never acted: a {@code soft-constraint} whose penalty was exactly 0 at the
 * end of every epoch kept every slice's norm inside its band, so (unless it annealed into the hard
 * projection) it did not change the training at all. Such a run would otherwise look like a
 * working regularizer; {@link #warn} says so on standard error and {@code compare} marks the setting
 * "inactive" in its table.
 */
final class InactivePenalties {
    private static final String SOFT_CONSTRAINT = "soft-constraint";

    private InactivePenalties() {
    }

    /**
     * @param history the epochs of a run
     * @return the specs of the soft constraints whose penalty was 0 at every epoch end, in the
     *     order first seen; empty without epochs
     */
    static List<String> inactive(List<EpochMetrics> history) {
        Set<String> specs = new LinkedHashSet<>();
        for (EpochMetrics m : history) {
            for (String spec : m.penalties().keySet()) if (spec.startsWith(SOFT_CONSTRAINT + "(")) specs.add(spec);
        }
        List<String> out = new ArrayList<>();
        for (String spec : specs) {
            if (history.stream().allMatch(m -> m.penalties().getOrDefault(spec, 0.0) == 0.0)) out.add(spec);
        }
        return out;
    }

    /**
     * Prints one {@code regula: warning:} line per inactive soft constraint.
     *
     * @param history the epochs of a run
     * @param err standard error
     * @return the inactive specs, as {@link #inactive}
     */
    static List<String> warn(List<EpochMetrics> history, PrintWriter err) {
        List<String> inactive = inactive(history);
        for (String spec : inactive) {
            err.println("regula: warning: " + spec + " was inactive: its penalty was 0 at the end of every epoch (every norm"
                    + " stayed inside [min, max]), so it did not change the training; lower max (or raise min) to make it act");
        }
        err.flush();
        return inactive;
    }
}
