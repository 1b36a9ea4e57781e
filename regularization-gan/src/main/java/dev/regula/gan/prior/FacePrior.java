package dev.regula.gan.prior;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.faces.FaceAttributes;
import dev.regula.gan.faces.FaceDataset;
import dev.regula.gan.faces.SyntheticFaces;
import dev.regula.gan.features.AttributeProbe;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The limited prior of the face case study: which of the binary face attributes
 * ({@link FaceAttributes#BINARY_NAMES}) the condition c carries, and how to read them.
 *
 * <p>A prior names a subset of {smiling, glasses, dark_hair, pale_skin}; c holds one 0/1 value per
 * named attribute and nothing else, so the latent z still chooses everything the prior does not
 * say: face shape, eye spacing, position, size, background.
 */
public final class FacePrior {
    /** Faces rendered to fit a probe when no training data is given. */
    public static final int PROBE_FACES = 4096;
    /** Seed of the faces a {@link #probeOnRenderedFaces probe is fitted on}, apart from any study's data. */
    public static final long PROBE_SEED = 0x9e3779b97f4a7c15L;

    private FacePrior() {
    }

    /**
     * Parses attribute names joined by '+', e.g. {@code smiling+glasses}.
     *
     * @param text the names, case-insensitive
     * @return the names in the given order, without repeats
     * @throws SpecException naming the unknown attribute and the allowed ones
     */
    public static List<String> parseAttributes(String text) {
        Objects.requireNonNull(text, "text");
        Set<String> out = new LinkedHashSet<>();
        for (String part : text.split("\\+", -1)) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (!FaceAttributes.BINARY_NAMES.contains(name)) {
                throw new SpecException("unknown prior attribute '" + part.strip() + "'; allowed: "
                        + String.join(", ", FaceAttributes.BINARY_NAMES) + " (join several with '+')");
            }
            if (!out.add(name)) throw new SpecException("prior attribute '" + name + "' is named twice in '" + text + "'");
        }
        return List.copyOf(out);
    }

    /**
     * Selects the named columns of a data set's labels: the conditions c of its faces.
     *
     * @param labels [N, 4], columns in the order of {@link FaceAttributes#BINARY_NAMES}
     * @param names attribute names (as from {@link #parseAttributes})
     * @return [N, names.size()]
     */
    public static Tensor conditions(Tensor labels, List<String> names) {
        int k = FaceAttributes.BINARY_NAMES.size();
        if (labels.rank() != 2 || labels.dim(1) != k) {
            throw new ShapeMismatchException("labels must have shape [N, " + k + "], got " + Arrays.toString(labels.shape()));
        }
        int[] cols = names.stream().mapToInt(FaceAttributes.BINARY_NAMES::indexOf).toArray();
        for (int i = 0; i < cols.length; i++) {
            if (cols[i] < 0) throw new IllegalArgumentException("unknown attribute " + names.get(i));
        }
        int n = labels.dim(0);
        float[] in = labels.data();
        float[] out = new float[n * cols.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < cols.length; j++) out[i * cols.length + j] = in[i * k + cols[j]];
        }
        return Tensor.wrap(out, n, cols.length);
    }

    /**
     * Fits a probe for the named attributes on faces with known labels.
     *
     * @param faces the faces
     * @param names the attributes
     * @return the probe
     */
    public static AttributeProbe probe(FaceDataset faces, List<String> names) {
        return AttributeProbe.fit(faces.images(), conditions(faces.labels(), names), names);
    }

    /**
     * Fits a probe on {@value #PROBE_FACES} synthetic faces of seed {@link #PROBE_SEED}: what the
     * {@code prior-guided} spec uses, so that a spec alone defines the penalty.
     *
     * @param size the image side, 16, 32 or 64
     * @param names the attributes
     * @return the probe
     */
    public static AttributeProbe probeOnRenderedFaces(int size, List<String> names) {
        return probe(SyntheticFaces.generate(PROBE_FACES, size, PROBE_SEED), names);
    }

    /**
     * Parses a tolerance: {@code real} for the probe's RMS residual on real faces per attribute,
     * one number ≥ 0 for every attribute, or one number per attribute joined by {@code +} in the
     * order of {@code attributes} (the form {@link PriorGuidedPenalty#spec()} writes, so that a
     * spec parses back to the same penalty).
     *
     * @param text the tolerance text
     * @param probe the probe
     * @return τ_k per attribute
     * @throws SpecException naming the value and what is allowed
     */
    public static double[] tolerance(String text, AttributeProbe probe) {
        return tolerance(text, probe.names(), probe.residualRms());
    }

    /**
     * Parses a tolerance for the named attributes, as {@link #tolerance(String, AttributeProbe)}
     * does; the configuration of a study checks its text with it before any probe exists.
     *
     * @param text the tolerance text
     * @param names the prior's attributes
     * @param real what {@code real} stands for, one value per attribute
     * @return τ_k per attribute
     * @throws SpecException naming the value and what is allowed
     */
    public static double[] tolerance(String text, List<String> names, double[] real) {
        Objects.requireNonNull(text, "text");
        if (text.strip().equalsIgnoreCase("real")) return real.clone();
        // one number first, so that an exponent such as 1e+3 is not taken for a list
        String[] parts = isNumber(text.strip()) ? new String[] {text.strip()} : text.strip().split("\\+", -1);
        int k = names.size();
        if (parts.length != 1 && parts.length != k) {
            throw new SpecException("prior tolerance '" + text + "' has " + parts.length + " values for the " + k + " attributes "
                    + names + "; allowed: 'real', one number >= 0, or " + k + " numbers >= 0 joined by '+'");
        }
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            String part = parts[parts.length == 1 ? 0 : j].strip();
            double t;
            try {
                t = Double.parseDouble(part);
            } catch (NumberFormatException e) {
                t = Double.NaN;
            }
            if (!(t >= 0) || !Double.isFinite(t)) {
                throw new SpecException("prior tolerance must be 'real', a number >= 0 or one number >= 0 per attribute joined by '+', got '"
                        + text + "'");
            }
            out[j] = t;
        }
        return out;
    }

    private static boolean isNumber(String text) {
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
