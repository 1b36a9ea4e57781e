package dev.regula.core.train;

import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import java.util.Objects;

/**
 * Summary of one parameter after an epoch, with its gradient health.
 *
 * @param name the parameter name
 * @param size number of entries
 * @param l2Norm ‖θ‖₂
 * @param maxAbs max |θ|
 * @param sparsity fraction of entries that count as zero ({@link #isZero}: |θ| &lt; {@value #ZERO})
 * @param gradientNorm mean over the epoch's steps of ‖∂L/∂θ‖₂, the data-loss gradient right after
 *     backward (before penalties and clipping); NaN for parameters the model does not own
 *     (learnable regularizers') or when no step ran
 * @param updateRatio ‖θ_t − θ_{t−1}‖₂ / ‖θ_{t−1}‖₂ over the epoch's last step, all stages included
 *     (healthy training is often quoted near 1e-3); NaN when not measured or ‖θ_{t−1}‖ = 0
 * @param role the parameter's role (OTHER when unknown)
 */
public record ParameterStats(String name, int size, double l2Norm, double maxAbs, double sparsity,
                             double gradientNorm, double updateRatio, ParameterRole role) {
    /**
     * Below this magnitude an entry counts as zero in every sparsity figure (the epoch metrics,
     * {@code regula compare}'s table, cross-validation): the exact zeros of proximal operators
     * and of pruning, and values too small to change an output.
     */
    public static final double ZERO = 1e-8;

    /**
     * @param value an entry
     * @return whether it counts as zero: |value| &lt; {@value #ZERO}
     */
    public static boolean isZero(float value) {
        return Math.abs(value) < ZERO;
    }

    /**
     * The sparsity every report shows: the fraction of the entries of the parameters with role
     * {@link ParameterRole#WEIGHT} that count as zero ({@link #isZero}); biases, normalisation
     * scales and other parameters are left out (regularizers select weights by default). A model
     * that marks no parameter as a weight (a plugin's, with every role OTHER) is counted over all
     * its parameters, so that it does not read as dense.
     *
     * @param parameters a model's parameters
     * @return that fraction, 0 when there are no parameters at all
     */
    public static double weightSparsity(Iterable<Parameter> parameters) {
        return sparsity(parameters, Parameter::role, p -> p.value().size(), p -> {
            long zeros = 0;
            for (float w : p.value().data()) if (isZero(w)) zeros++;
            return zeros;
        });
    }

    /**
     * The rule of {@link #weightSparsity}, over anything that has a role, a size and a count of
     * zeros (a model's parameters, or an epoch's statistics of them).
     */
    static <T> double sparsity(Iterable<T> items, java.util.function.Function<T, ParameterRole> role,
                               java.util.function.ToLongFunction<T> size, java.util.function.ToDoubleFunction<T> zeros) {
        boolean anyWeight = false;
        for (T item : items) anyWeight |= role.apply(item) == ParameterRole.WEIGHT;
        double zeroCount = 0;
        long n = 0;
        for (T item : items) {
            if (anyWeight && role.apply(item) != ParameterRole.WEIGHT) continue;
            zeroCount += zeros.applyAsDouble(item);
            n += size.applyAsLong(item);
        }
        return n == 0 ? 0 : zeroCount / n;
    }

    /** Checks the role. */
    public ParameterStats {
        Objects.requireNonNull(role, "role");
    }

    /**
     * Statistics without gradient health (both NaN) and role OTHER.
     *
     * @param name the parameter name
     * @param size number of entries
     * @param l2Norm ‖θ‖₂
     * @param maxAbs max |θ|
     * @param sparsity fraction of entries that count as zero ({@link #isZero})
     */
    public ParameterStats(String name, int size, double l2Norm, double maxAbs, double sparsity) {
        this(name, size, l2Norm, maxAbs, sparsity, Double.NaN, Double.NaN, ParameterRole.OTHER);
    }

    /** @return ‖∂L/∂θ‖₂ / √size, the root-mean-square gradient entry, comparable across layers of different sizes */
    public double gradientRms() {
        return size == 0 ? Double.NaN : gradientNorm / Math.sqrt(size);
    }
}
