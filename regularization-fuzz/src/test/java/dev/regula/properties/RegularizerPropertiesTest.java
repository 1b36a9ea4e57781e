package dev.regula.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.RegularizerProvider;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the regularizer contracts over generated parameters, for every installed
 * provider of the relevant stage (found through {@code Regularizers.installed()}).
 */
class RegularizerPropertiesTest {
    /**
     * Penalties documented as possibly negative: soft weight sharing is a negative log-density
     * ("it may be negative when components are narrow", SoftWeightSharing's Javadoc).
     */
    private static final Set<String> MAY_BE_NEGATIVE = Set.of("soft-weight-sharing");

    /** A weight matrix: rows, columns and values. */
    record Matrix(int rows, int cols, float[] values) {
        Parameter parameter() {
            return Catalog.weight(values, rows, cols);
        }

        @Override
        public String toString() {
            return rows + "x" + cols + " " + Arrays.toString(values);
        }
    }

    @Provide
    Arbitrary<Matrix> matrices() {
        return Combinators.combine(Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 6))
                .flatAs((r, c) -> Arbitraries.floats().between(-4f, 4f).array(float[].class).ofSize(r * c)
                        .map(v -> new Matrix(r, c, v)));
    }

    /** Values in [-1.5, 1.5] at least 0.05 away from 0 (the kink of L1-like terms), for finite differences. */
    @Provide
    Arbitrary<Matrix> smoothMatrices() {
        return matrices().map(m -> new Matrix(m.rows(), m.cols(), scaled(m.values(), 1.5f / 4f))).map(m -> {
            float[] v = m.values().clone();
            for (int i = 0; i < v.length; i++) if (Math.abs(v[i]) < 0.05f) v[i] = v[i] < 0 ? -0.05f - v[i] : 0.05f + v[i];
            return new Matrix(m.rows(), m.cols(), v);
        });
    }

    @Provide
    Arbitrary<Catalog.Variant> constraints() {
        return Arbitraries.of(Catalog.atStage(Stage.CONSTRAINT));
    }

    @Provide
    Arbitrary<Catalog.Variant> penalties() {
        return Arbitraries.of(Catalog.atStage(Stage.GRADIENT));
    }

    @Provide
    Arbitrary<Catalog.Variant> scheduled() {
        List<Catalog.Variant> out = new ArrayList<>();
        for (Stage s : Stage.values()) out.addAll(Catalog.atStage(s));
        return Arbitraries.of(out.stream().filter(v -> v.provider().schema().keys().stream()
                .anyMatch(k -> k.type() == SpecKey.Type.SCHEDULE)).toList());
    }

    @Property(tries = 300)
    void everyConstraintIsAProjection(@ForAll("constraints") Catalog.Variant variant, @ForAll("matrices") Matrix m,
            @ForAll @IntRange(min = 0, max = 5000) int step) {
        ParameterRegularizer r = converged(variant).create();
        Parameter p = m.parameter();
        StepContext ctx = Catalog.ctx(step, step / 100);
        r.apply(p, ctx);
        float[] once = p.value().data().clone();
        r.apply(p, ctx);
        float[] twice = p.value().data();
        for (int i = 0; i < once.length; i++) {
            assertEquals(once[i], twice[i], 1e-5 * Math.max(1, Math.abs(once[i])),
                    variant + " is not idempotent at entry " + i + ": " + Arrays.toString(once) + " then " + Arrays.toString(twice));
        }
    }

    /**
     * spectral-norm estimates σ by power iteration and is a projection only once that converged
     * (its Javadoc says so); with the training default of one iteration per step the estimate,
     * and so the scaling, still improves on the second application. Its idempotence is checked
     * with enough iterations to converge on these small matrices.
     */
    private static Catalog.Variant converged(Catalog.Variant variant) {
        if (!variant.provider().name().equals("spectral-norm")) return variant;
        return new Catalog.Variant(variant.provider(), Catalog.spec(variant.provider(), Map.of("iterations", "1000")));
    }

    @Property(tries = 300)
    void penaltiesAreNonNegativeWhereDocumented(@ForAll("penalties") Catalog.Variant variant, @ForAll("matrices") Matrix m,
            @ForAll @IntRange(min = 0, max = 5000) int step) {
        if (MAY_BE_NEGATIVE.contains(variant.provider().name())) return;
        ParameterRegularizer r = variant.create();
        double penalty = r.penalty(m.parameter(), Catalog.ctx(step, step / 100));
        assertTrue(penalty >= 0, variant + " penalty " + penalty + " < 0");
    }

    @Property(tries = 200)
    void penaltyGradientMatchesCentralFiniteDifferences(@ForAll("penalties") Catalog.Variant variant,
            @ForAll("smoothMatrices") Matrix m, @ForAll @IntRange(min = 0, max = 5000) int step) {
        ParameterRegularizer r = variant.create();
        StepContext ctx = Catalog.ctx(step, step / 100);
        Parameter p = m.parameter();
        r.apply(p, ctx); // adds dR/dθ to the (zero) gradient; may also fix a reference θ₀ on first use
        float[] grad = p.grad().data().clone();
        double penalty = r.penalty(p, ctx);
        float[] v = p.value().data();
        for (int i = 0; i < v.length; i++) {
            // Richardson extrapolation of two central differences: truncation error O(h⁴), so
            // strongly curved terms (soft weight sharing's narrow mixture) are checked tightly.
            // The penalties are evaluated in float32 (kernels), so R itself carries a rounding
            // error of about 1e-6·|R|, which a difference quotient divides by h: that is the
            // second part of the tolerance.
            // The change between two step sizes estimates what is left of the truncation error.
            double coarse = (4 * centralDifference(r, p, ctx, i, 5e-3) - centralDifference(r, p, ctx, i, 1e-2)) / 3;
            double fd = (4 * centralDifference(r, p, ctx, i, 2e-3) - centralDifference(r, p, ctx, i, 4e-3)) / 3;
            double noise = 1e-6 * Math.abs(penalty) * (4 / 2e-3 + 1 / 4e-3) / 3;
            assertEquals(fd, grad[i], 2e-3 * Math.max(1, Math.abs(fd)) + noise + Math.abs(coarse - fd),
                    variant + ": dR/dθ[" + i + "] = " + grad[i] + " but finite difference " + fd + " at " + m);
        }
    }

    @Property(tries = 300)
    void softThresholdingSatisfiesTheSubgradientOptimalityConditions(@ForAll("matrices") Matrix m,
            @ForAll @IntRange(min = 1, max = 50) int lambdaTenths) {
        double lambda = lambdaTenths / 10.0;
        ParameterRegularizer r = (ParameterRegularizer) Catalog.INSTALLED.parse("l1-proximal(lambda=" + lambda + ")");
        assertEquals(Stage.PROXIMAL, r.stage());
        Parameter p = m.parameter();
        r.apply(p, Catalog.ctx(0, 0));
        // x = argmin ½‖x − v‖² + t‖x‖₁, t = ηλ  ⇔  0 ∈ x − v + t·∂‖x‖₁
        double t = Catalog.LR * lambda;
        float[] x = p.value().data();
        float[] v = m.values();
        for (int i = 0; i < x.length; i++) {
            if (x[i] == 0) {
                assertTrue(Math.abs(v[i]) <= t + 1e-6, "x[" + i + "] = 0 needs |v| <= t: v = " + v[i] + ", t = " + t);
            } else {
                assertEquals(0, x[i] - v[i] + t * Math.signum(x[i]), 1e-5, "x[" + i + "] = " + x[i] + " from v = " + v[i]);
                assertTrue(Math.abs(v[i]) > t - 1e-6, "x[" + i + "] should be an exact zero");
            }
        }
    }

    @Property(tries = 300)
    void groupLassoSatisfiesTheSubgradientOptimalityConditions(@ForAll("matrices") Matrix m,
            @ForAll @IntRange(min = 1, max = 50) int lambdaTenths) {
        double lambda = lambdaTenths / 10.0;
        ParameterRegularizer r = (ParameterRegularizer) Catalog.INSTALLED.parse("group-lasso(lambda=" + lambda + ")");
        assertEquals(Stage.PROXIMAL, r.stage());
        Parameter p = m.parameter();
        r.apply(p, Catalog.ctx(0, 0));
        // groups are rows; t = ηλ√(group size); 0 ∈ x_g − v_g + t·∂‖x_g‖₂
        double t = Catalog.LR * lambda * Math.sqrt(m.cols());
        Tensor x = p.value();
        for (int g = 0; g < m.rows(); g++) {
            double nx = 0, nv = 0;
            for (int c = 0; c < m.cols(); c++) {
                nx += x.get(g, c) * (double) x.get(g, c);
                nv += m.values()[g * m.cols() + c] * (double) m.values()[g * m.cols() + c];
            }
            nx = Math.sqrt(nx);
            nv = Math.sqrt(nv);
            if (nx == 0) {
                assertTrue(nv <= t + 1e-5, "row " + g + " zeroed needs ‖v‖ <= t: ‖v‖ = " + nv + ", t = " + t);
            } else {
                for (int c = 0; c < m.cols(); c++) {
                    double xi = x.get(g, c);
                    assertEquals(0, xi - m.values()[g * m.cols() + c] + t * xi / nx, 1e-5, "row " + g + " column " + c);
                }
            }
        }
    }

    /**
     * A schedule key really drives the regularizer: with {@code key=linear(from=a, to=b, steps=100)}
     * it acts at step s exactly as with the constant {@code key=valueAt(s)}.
     */
    @Property(tries = 200)
    void scheduleValuesAreTheOnesUsed(@ForAll("scheduled") Catalog.Variant variant, @ForAll("smoothMatrices") Matrix m,
            @ForAll @IntRange(min = 0, max = 250) int step) {
        RegularizerProvider provider = variant.provider();
        for (SpecKey k : provider.schema().keys()) {
            if (k.type() != SpecKey.Type.SCHEDULE) continue;
            double a = Catalog.inRange(k, Double.NaN);
            double b = Catalog.inRange(k, a);
            if (Double.isNaN(a) || Double.isNaN(b)) continue;
            double at = a + (b - a) * Math.min(1.0, step / 100.0);
            String ramp = Catalog.spec(provider, Map.of(k.key(), "linear(from=" + a + ", to=" + b + ", steps=100)"));
            String constant = Catalog.spec(provider, Map.of(k.key(), Double.toString(at)));
            String other = Catalog.spec(provider, Map.of(k.key(), Double.toString(at == a ? b : a)));
            float[][] byRamp = effect(ramp, m, step);
            float[][] byConstant = effect(constant, m, step);
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < byRamp[j].length; i++) {
                    assertEquals(byConstant[j][i], byRamp[j][i], 1e-6 * Math.max(1, Math.abs(byConstant[j][i])),
                            ramp + " at step " + step + " acts unlike " + constant);
                }
            }
            // and the value matters (else the check above proves nothing): another constant differs,
            // unless the regularizer leaves this matrix alone at both values (a constraint already met)
            float[][] byOther = effect(other, m, step);
            boolean untouched = Arrays.equals(byConstant[0], m.values()) && Arrays.equals(byOther[0], m.values())
                    && allZero(byConstant[1]) && allZero(byOther[1]);
            if (!untouched) {
                assertFalse(Arrays.equals(byConstant[0], byOther[0]) && Arrays.equals(byConstant[1], byOther[1]),
                        constant + " and " + other + " act the same: is " + k.key() + " read at all?");
            }
        }
    }

    private static double centralDifference(ParameterRegularizer r, Parameter p, StepContext ctx, int i, double h) {
        float[] v = p.value().data();
        float x = v[i];
        float up = (float) (x + h);
        float down = (float) (x - h);
        v[i] = up;
        double fUp = r.penalty(p, ctx);
        v[i] = down;
        double fDown = r.penalty(p, ctx);
        v[i] = x;
        return (fUp - fDown) / ((double) up - (double) down);
    }

    private static float[] scaled(float[] v, float factor) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] * factor;
        return out;
    }

    private static boolean allZero(float[] a) {
        for (float f : a) if (f != 0) return false;
        return true;
    }

    /** @return the value and gradient after one apply at {@code step} (penalty folded into the gradient) */
    private static float[][] effect(String spec, Matrix m, int step) {
        ParameterRegularizer r = (ParameterRegularizer) Catalog.INSTALLED.parse(spec);
        Parameter p = m.parameter();
        StepContext ctx = Catalog.ctx(step, step / 50);
        double penalty = r.penalty(p, ctx);
        r.apply(p, ctx);
        float[] g = Arrays.copyOf(p.grad().data(), p.size() + 1);
        g[p.size()] = (float) penalty;
        return new float[][] {p.value().data().clone(), g};
    }
}
