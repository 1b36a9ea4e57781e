package dev.regula.examples.compress;

import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.StepContext;
import java.util.Map;
import java.util.Objects;

/**
 * Fine-tuning of a quantised network's codebooks with the codes fixed (the "trained
 * quantisation" of Han et al.'s Deep Compression, applied after soft weight sharing): after every
 * optimizer step, each weight tensor is projected back onto its codes, every weight with code
 * j ≥ 1 set to the mean of the tensor's weights with code j and every weight with code 0 (the
 * pruned zero component) to 0. Under SGD this is a gradient step on the shared value, so the
 * tensor's codebook entry j follows the summed gradient of its weights; the pattern of zeros and
 * the assignment never change, so the compressed size does not either.
 *
 * <p>A projection: applying it twice gives the result of applying it once. Parameters whose name
 * is not in the code map are left alone (biases stay free).
 */
public final class CodebookProjection implements ParameterRegularizer {
    private final Map<String, int[]> codes;
    private final int components;

    /**
     * @param codes per weight tensor's {@link Parameter#name()} its code per element, in [0, components)
     * @param components the codebook size K
     * @throws IllegalArgumentException if K &lt; 2 or a code is outside [0, K)
     */
    public CodebookProjection(Map<String, int[]> codes, int components) {
        if (components < 2) throw new IllegalArgumentException("components must be >= 2, got " + components);
        for (Map.Entry<String, int[]> e : codes.entrySet()) {
            for (int c : e.getValue()) {
                if (c < 0 || c >= components) {
                    throw new IllegalArgumentException("code " + c + " of " + e.getKey() + " outside [0, " + components + ")");
                }
            }
        }
        this.codes = Map.copyOf(Objects.requireNonNull(codes, "codes"));
        this.components = components;
    }

    @Override
    public String name() {
        return "codebook-projection";
    }

    @Override
    public String spec() {
        return "codebook-projection(components=" + components + ")";
    }

    @Override
    public Stage stage() {
        return Stage.CONSTRAINT;
    }

    @Override
    public ParameterSelector selector() {
        return ParameterSelector.weights();
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        int[] c = codes.get(p.name());
        if (c == null) return;
        float[] v = p.value().data();
        if (v.length != c.length) {
            throw new IllegalStateException(p.name() + " has " + v.length + " elements but " + c.length + " codes");
        }
        float[] book = codebook(v, c, components);
        for (int i = 0; i < v.length; i++) v[i] = book[c[i]];
    }

    /**
     * The per-tensor codebook: entry j ≥ 1 the mean of the values with code j (0 if there are
     * none), entry 0 exactly 0.
     *
     * @param values the tensor's values
     * @param codes their codes, in [0, components)
     * @param components K
     * @return K entries
     */
    public static float[] codebook(float[] values, int[] codes, int components) {
        double[] sum = new double[components];
        int[] count = new int[components];
        for (int i = 0; i < values.length; i++) {
            sum[codes[i]] += values[i];
            count[codes[i]]++;
        }
        float[] book = new float[components];
        for (int j = 1; j < components; j++) book[j] = count[j] == 0 ? 0f : (float) (sum[j] / count[j]);
        return book;
    }
}
