package dev.regula.examples.cli;

import dev.regula.api.regularizer.Regularizer;
import dev.regula.core.regularizer.MayStayIdle;
import dev.regula.core.train.EpochMetrics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Soft constraints that never acted: a {@code soft-constraint} whose penalty was exactly 0 at the
 * end of every epoch and that never added a gradient nor moved a slice by its annealed projection
 * ({@link MayStayIdle#acted}) kept every slice's norm inside its band, so it did not change the
 * training at all. Such a run would otherwise look like a working regularizer; {@link #warn} says
 * so on standard error and {@code compare} marks the setting "inactive" in its table.
 */
final class InactivePenalties {
    private static final String SOFT_CONSTRAINT = "soft-constraint";

    private InactivePenalties() {
    }

    /**
     * @param history the epochs of a run
     * @param regularizers the run's regularizers
     * @return the specs of the soft constraints whose penalty was 0 at every epoch end and that
     *     never acted, in the order first seen; empty without epochs
     */
    static List<String> inactive(List<EpochMetrics> history, List<Regularizer> regularizers) {
        Set<String> specs = new LinkedHashSet<>();
        for (EpochMetrics m : history) {
            for (String spec : m.penalties().keySet()) if (spec.startsWith(SOFT_CONSTRAINT + "(")) specs.add(spec);
        }
        List<String> out = new ArrayList<>();
        for (String spec : specs) {
            boolean acted = regularizers.stream().anyMatch(r -> r instanceof MayStayIdle idle && r.spec().equals(spec) && idle.acted());
            if (!acted && history.stream().allMatch(m -> m.penalties().getOrDefault(spec, 0.0) == 0.0)) out.add(spec);
        }
        return out;
    }

    /**
     * Prints one {@code regula: warning:} line per inactive soft constraint.
     *
     * @param history the epochs of a run
     * @param regularizers the run's regularizers
     * @param err standard error
     * @return the inactive specs, as {@link #inactive}
     */
    static List<String> warn(List<EpochMetrics> history, List<Regularizer> regularizers, PrintWriter err) {
        List<String> inactive = inactive(history, regularizers);
        for (String spec : inactive) {
            err.println("regula: warning: " + spec + " never acted: it added no gradient and moved no weight (its penalty was 0 at"
                    + " the end of every epoch), so it did not change the training; every norm stayed inside [min, max] or its lambda"
                    + " was 0: lower max (or raise min), or give it a lambda > 0 or anneal_steps, to make it act");
        }
        err.flush();
        return inactive;
    }
}
