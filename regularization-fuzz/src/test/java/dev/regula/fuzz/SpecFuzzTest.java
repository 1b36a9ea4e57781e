package dev.regula.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.regula.api.model.Models;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecValue;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the text parsers of the API: spec text (through the real providers of core, so
 * {@code SpecSchema.bind} and every provider's factory run), parameter selectors and schedules.
 * Documented failure: {@link SpecException} only.
 */
class SpecFuzzTest {
    private static final Regularizers REGULARIZERS = Regularizers.installed();
    private static final Optimizers OPTIMIZERS = Optimizers.installed();
    private static final Models MODELS = Models.installed();

    /** Spec.parse, then SpecSchema.bind and create through the installed providers. */
    @FuzzTest(maxDuration = "10s")
    void spec(byte[] input) throws Throwable {
        String text = new String(input, StandardCharsets.UTF_8);
        Contract.onlyDocumented(() -> {
            Spec spec = Spec.parse(text);
            // the canonical text parses back to an equal spec
            assertEquals(spec, Spec.parse(spec.toString()), "round trip of " + spec);
        }, List.of(SpecException.class));
        Contract.onlyDocumented(() -> REGULARIZERS.parse(text), List.of(SpecException.class));
        Contract.onlyDocumented(() -> OPTIMIZERS.parse(text), List.of(SpecException.class));
        Contract.onlyDocumented(() -> MODELS.parse(text), List.of(SpecException.class));
    }

    /** ParameterSelector.parse. */
    @FuzzTest(maxDuration = "10s")
    void selector(byte[] input) throws Throwable {
        String text = new String(input, StandardCharsets.UTF_8);
        Contract.onlyDocumented(() -> {
            ParameterSelector s = ParameterSelector.parse(text);
            assertEquals(s.toString(), ParameterSelector.parse(s.toString()).toString(), "round trip of " + s);
        }, List.of(SpecException.class));
    }

    /** Schedule.parse of a spec value, and valueAt over a few steps. */
    @FuzzTest(maxDuration = "10s")
    void schedule(byte[] input) throws Throwable {
        String text = new String(input, StandardCharsets.UTF_8);
        Contract.onlyDocumented(() -> {
            Spec holder = Spec.parse("s(v=" + text + ")");
            SpecValue value = holder.get("v");
            if (value == null) return;
            Schedule s = Schedule.parse(value);
            // extremes() are the values SpecSchema range-checks: every value the schedule takes
            // must lie between them (a decay also tends to 0, which it reaches by underflow)
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double x : s.extremes()) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            if (s.text().startsWith("exp(") || s.text().startsWith("step(")) {
                lo = Math.min(lo, 0);
                hi = Math.max(hi, 0);
            }
            for (long step : new long[] {0, 1, 7, 1000, Long.MAX_VALUE / 2}) {
                for (int epoch : new int[] {0, 1, 3, 1001, Integer.MAX_VALUE}) {
                    double v = s.valueAt(step, epoch);
                    double slack = Double.isInfinite(lo) || Double.isInfinite(hi) ? 0 : 1e-12 * Math.max(Math.abs(lo), Math.abs(hi));
                    if (!(v >= lo - slack && v <= hi + slack)) {
                        throw new AssertionError(s.text() + ".valueAt(" + step + ", " + epoch + ") = " + v
                                + " outside its extremes [" + lo + ", " + hi + "]");
                    }
                }
            }
            assertEquals(s.text(), Schedule.parse(Spec.parse("s(v=" + s.text() + ")").get("v")).text());
        }, List.of(SpecException.class));
    }
}
