package dev.regula.properties;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.RegularizerProvider;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The installed regularizers as specs, so that the property tests cover every provider found by
 * {@link Regularizers#installed()}, including ones added later, without naming them.
 */
final class Catalog {
    static final double LR = 0.1;
    static final Regularizers INSTALLED = Regularizers.installed();
    /** Numbers tried, in order, for a required number or schedule key; the first in range is used. */
    private static final double[] CANDIDATES = {0.5, 0.1, 1, 0.01, 2, 3, 0.9, 10};

    private Catalog() {}

    /** A spec text with explicit values for the keys without a default. */
    record Variant(RegularizerProvider provider, String text) {
        ParameterRegularizer create() {
            return (ParameterRegularizer) INSTALLED.parse(text);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static StepContext ctx(long step, int epoch) {
        return new StepContext(Mode.TRAIN, step, epoch, LR, 42L, new ScalarKernels());
    }

    static Parameter weight(float[] values, int rows, int cols) {
        return new Parameter("dense", "weight", ParameterRole.WEIGHT, Tensor.of(values.clone(), rows, cols));
    }

    /** @return a number inside the key's range, preferring the candidates, or NaN if none fits */
    static double inRange(SpecKey key, double avoid) {
        for (double c : CANDIDATES) if (c != avoid && key.inRange(c)) return c;
        return Double.NaN;
    }

    /**
     * @param overrides key=value texts replacing defaults
     * @return the provider's spec with the overrides and a value for every required key, or null
     *     if a required key is not a number
     */
    static String spec(RegularizerProvider p, Map<String, String> overrides) {
        Map<String, String> args = new LinkedHashMap<>();
        for (SpecKey k : p.schema().keys()) {
            if (overrides.containsKey(k.key())) {
                args.put(k.key(), overrides.get(k.key()));
            } else if (k.defaultValue() == null) {
                if (k.type() != SpecKey.Type.NUMBER && k.type() != SpecKey.Type.SCHEDULE) return null;
                double v = inRange(k, Double.NaN);
                if (Double.isNaN(v)) return null;
                args.put(k.key(), String.valueOf(v));
            }
        }
        return p.name() + "(" + args.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }

    /** @return every installed parameter regularizer at {@code stage}, once per value of each choice key */
    static List<Variant> atStage(Stage stage) {
        List<Variant> out = new ArrayList<>();
        for (RegularizerProvider p : INSTALLED.providers()) {
            String base = spec(p, Map.of());
            if (base == null) continue;
            Regularizer r = INSTALLED.parse(base);
            if (!(r instanceof ParameterRegularizer pr) || pr.stage() != stage) continue;
            out.add(new Variant(p, base));
            for (SpecKey k : p.schema().keys()) {
                if (k.type() != SpecKey.Type.CHOICE) continue;
                for (String choice : k.choices()) {
                    if (choice.equals(k.defaultValue())) continue;
                    out.add(new Variant(p, spec(p, Map.of(k.key(), choice))));
                }
            }
        }
        return out;
    }
}
