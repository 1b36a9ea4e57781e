package dev.regula.api.schedule;

import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecValue;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A coefficient that may change with the step and epoch: a regularization strength, a learning
 * rate, a dropout probability. Every coefficient in Regula is a schedule; a plain number is
 * {@link #constant(double)}.
 *
 * <p>Text forms (as spec values): {@code 1e-4}; {@code linear(from=0, to=1e-4, steps=1000)};
 * {@code cosine(from=0.05, to=0, epochs=10)}; {@code step(value=0.1, gamma=0.5, every=3)} (epochs);
 * {@code exp(value=0.1, gamma=0.9)} (per epoch); {@code warmup(value=0.05, steps=500)}.
 * {@code linear} and {@code cosine} take {@code steps} or {@code epochs} and hold {@code to} after.
 */
public interface Schedule {
    /**
     * @param step the global step (from 0)
     * @param epoch the epoch (from 0)
     * @return the coefficient's value
     */
    double valueAt(long step, int epoch);

    /** @return the text form, parseable by {@link #parse(SpecValue)} */
    String text();

    /** @return the smallest and largest values the schedule can take, for range checks */
    double[] extremes();

    /** Names of the schedule forms. */
    Set<String> FORMS = Set.of("linear", "cosine", "step", "exp", "warmup");

    /**
     * @param value the constant
     * @return a schedule that always returns {@code value}
     */
    static Schedule constant(double value) {
        return new Schedules.Constant(value);
    }

    /**
     * @param from value at step 0
     * @param to value from {@code steps} on
     * @param steps length of the ramp, > 0
     * @return a linear ramp over steps
     */
    static Schedule linear(double from, double to, long steps) {
        return new Schedules.Ramp("linear", from, to, steps, false, false);
    }

    /**
     * @param from value at the start
     * @param to value at the end
     * @param steps length in steps, > 0
     * @return a half-cosine from {@code from} to {@code to}
     */
    static Schedule cosine(double from, double to, long steps) {
        return new Schedules.Ramp("cosine", from, to, steps, false, true);
    }

    /**
     * Parses a spec value: a number or one of the schedule calls.
     *
     * @param value the value
     * @return the schedule
     * @throws SpecException for unknown forms, missing or extra keys, non-finite numbers in a call, lengths
     *     that are not whole numbers >= 1, or a negative {@code gamma}
     */
    static Schedule parse(SpecValue value) {
        if (value instanceof SpecValue.Num n) return constant(n.value());
        if (value instanceof SpecValue.Word w) {
            if (dev.regula.api.spec.SpecArguments.quotedNumber(w)) {
                throw new SpecException("\"" + w.text() + "\" is quoted text, not a number; write it without quotes; allowed: a number or one"
                        + " of " + FORMS);
            }
            throw new SpecException("'" + w.text() + "' is not a number or schedule; allowed: a number or one of " + FORMS);
        }
        Spec s = ((SpecValue.Call) value).spec();
        Map<String, SpecValue> a = s.arguments();
        return switch (s.name()) {
            case "linear", "cosine" -> {
                keys(s, List.of("from", "to", "steps", "epochs"));
                boolean byEpoch = a.containsKey("epochs");
                if (byEpoch == a.containsKey("steps")) throw new SpecException(s.name() + " needs exactly one of steps= or epochs=");
                long len = (long) positive(s, byEpoch ? "epochs" : "steps");
                yield new Schedules.Ramp(s.name(), num(s, "from"), num(s, "to"), len, byEpoch, s.name().equals("cosine"));
            }
            case "step" -> {
                keys(s, List.of("value", "gamma", "every"));
                yield new Schedules.StepDecay(num(s, "value"), gamma(s), (int) positive(s, "every"));
            }
            case "exp" -> {
                keys(s, List.of("value", "gamma"));
                yield new Schedules.StepDecay(num(s, "value"), gamma(s), 1);
            }
            case "warmup" -> {
                keys(s, List.of("value", "steps"));
                yield new Schedules.Ramp("warmup", 0, num(s, "value"), (long) positive(s, "steps"), false, false);
            }
            default -> throw new SpecException("unknown schedule '" + s.name() + "'; allowed: " + FORMS + " or a number");
        };
    }

    private static void keys(Spec s, List<String> allowed) {
        for (String k : s.arguments().keySet()) {
            if (!allowed.contains(k)) throw new SpecException("schedule " + s.name() + " has no key '" + k + "'; allowed: " + allowed);
        }
    }

    private static double num(Spec s, String key) {
        SpecValue v = s.get(key);
        if (v instanceof SpecValue.Num n && Double.isFinite(n.value())) return n.value();
        throw new SpecException("schedule " + s.name() + " needs a finite number for " + key + "=, got " + (v == null ? "nothing" : v.text()));
    }

    // gamma must be >= 0: a negative one flips the sign every period, so the values would escape
    // the range that extremes() reports and SpecSchema checks (a dropout p of -0.5 would pass).
    private static double gamma(Spec s) {
        double g = num(s, "gamma");
        if (g < 0) throw new SpecException("schedule " + s.name() + ": gamma must be >= 0, got " + g);
        return g;
    }

    private static double positive(Spec s, String key) {
        double d = num(s, key);
        if (d < 1 || d != Math.rint(d)) throw new SpecException("schedule " + s.name() + ": " + key + " must be a whole number >= 1, got " + d);
        return d;
    }
}
