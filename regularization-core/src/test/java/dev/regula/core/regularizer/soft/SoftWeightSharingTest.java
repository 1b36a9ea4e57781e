package dev.regula.core.regularizer.soft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SoftWeightSharingTest {
    private final StepContext ctx = GradientCheck.train();

    private static SoftWeightSharing create(String spec) {
        return (SoftWeightSharing) Regularizers.installed().parse(spec);
    }

    private static Parameter weight(long seed, float scale) {
        return new Parameter("dense1", "weight", ParameterRole.WEIGHT, GradientCheck.random(seed, scale, 4, 5));
    }

    /** Moves the prior away from its symmetric start so that every term of the gradient matters. */
    private static void scramble(SoftWeightSharing r) {
        List<Parameter> own = r.ownParameters();
        float[] mu = own.get(0).value().data();
        float[] s = own.get(1).value().data();
        float[] l = own.get(2).value().data();
        for (int j = 1; j < mu.length; j++) mu[j] += 0.05f * (j % 3 - 1);
        for (int j = 0; j < s.length; j++) s[j] += 0.3f * ((j * 7) % 5 - 2) / 2f;
        for (int j = 0; j < l.length; j++) l[j] = 0.4f * ((j * 5) % 3 - 1);
    }

    @Test
    void ownParametersAreNamedAndInitialisedDeterministicallyFromTheWeights() {
        SoftWeightSharing a = create("soft-weight-sharing(lambda=1, components=5)");
        SoftWeightSharing b = create("soft-weight-sharing(lambda=1, components=5)");
        Parameter p = weight(1, 0.8f);
        a.penalty(p, ctx);
        b.apply(p, ctx);
        List<Parameter> own = a.ownParameters();
        assertEquals(List.of("soft-weight-sharing.means", "soft-weight-sharing.log_precisions", "soft-weight-sharing.logits"),
                own.stream().map(Parameter::name).toList());
        own.forEach(q -> assertEquals(ParameterRole.OTHER, q.role()));
        for (int t = 0; t < 3; t++) assertArrayEquals(own.get(t).value().data(), b.ownParameters().get(t).value().data());
        float max = 0;
        for (float x : p.value().data()) max = Math.max(max, Math.abs(x));
        float[] mu = own.get(0).value().data();
        assertEquals(0f, mu[0]);
        assertEquals(-max, mu[1], 1e-6f);
        assertEquals(max, mu[4], 1e-6f);
        double[] pi = a.mixingProportions();
        assertEquals(0.99, pi[0], 1e-9);
        assertEquals(1.0, java.util.Arrays.stream(pi).sum(), 1e-9);
    }

    @Test
    void gradientWithRespectToTheWeightsMatchesFiniteDifferences() {
        SoftWeightSharing r = create("soft-weight-sharing(lambda=0.5, components=6, pi0=0.6, init_range=1)");
        scramble(r);
        GradientCheck.checkPenalty(r, weight(2, 1.2f), ctx);
    }

    @Test
    void gradientsOfMeansLogPrecisionsAndLogitsMatchFiniteDifferences() {
        SoftWeightSharing r = create("soft-weight-sharing(lambda=0.5, components=6, pi0=0.6, init_range=1)");
        scramble(r);
        Parameter p = weight(3, 1.2f);
        Parameter p2 = new Parameter("dense2", "weight", ParameterRole.WEIGHT, GradientCheck.random(4, 0.7f, 3, 3));
        r.apply(p, ctx); // gradients accumulate over parameters
        r.apply(p2, ctx);
        for (Parameter own : r.ownParameters()) {
            float[] g = own.grad().data().clone();
            float[] v = own.value().data();
            for (int i = 0; i < v.length; i++) {
                float old = v[i];
                v[i] = old + GradientCheck.EPS;
                double plus = r.penalty(p, ctx) + r.penalty(p2, ctx);
                v[i] = old - GradientCheck.EPS;
                double minus = r.penalty(p, ctx) + r.penalty(p2, ctx);
                v[i] = old;
                double numeric = (plus - minus) / (2 * GradientCheck.EPS);
                if (own.name().endsWith("means") && i == 0) {
                    assertEquals(0f, g[i], "μ₀ is fixed: no gradient");
                    continue;
                }
                assertEquals(numeric, g[i], 2e-3 + 2e-2 * Math.abs(numeric), own.name() + "[" + i + "]");
            }
        }
    }

    @Test
    void updatingTheOwnParametersLowersThePenalty() {
        for (String opt : new String[] {"sgd", "adam"}) {
            SoftWeightSharing r = create("soft-weight-sharing(lambda=0.1, components=4, own_optimizer=" + opt
                    + ", lr_means=1e-3, lr_log_precisions=1e-2, lr_logits=1e-2)");
            Parameter p = weight(5, 1f);
            double first = r.penalty(p, ctx);
            double previous = first;
            for (int step = 0; step < 5; step++) {
                r.apply(p, ctx);
                r.updateOwnParameters(ctx);
                double now = r.penalty(p, ctx);
                assertTrue(now < previous, opt + " step " + step + ": " + now + " >= " + previous);
                previous = now;
                for (Parameter own : r.ownParameters()) {
                    for (float g : own.grad().data()) assertEquals(0f, g, "gradients are zeroed");
                }
            }
            assertEquals(0f, r.ownParameters().get(0).value().get(0), "μ₀ stays 0");
            assertEquals(0.99, r.mixingProportions()[0], 1e-9, "π₀ stays fixed");
        }
    }

    @Test
    void ownAdamStateRestoredIntoAFreshInstanceContinuesBitIdentically() {
        String spec = "soft-weight-sharing(lambda=0.1, components=4, lr_means=1e-3, lr_log_precisions=1e-2, lr_logits=1e-2)";
        SoftWeightSharing whole = create(spec);
        Parameter p = weight(5, 1f);
        for (int step = 0; step < 3; step++) {
            whole.apply(p, ctx);
            whole.updateOwnParameters(ctx);
        }
        SoftWeightSharing resumed = create(spec);
        for (int t = 0; t < 3; t++) resumed.ownParameters().get(t).value().copyFrom(whole.ownParameters().get(t).value());
        resumed.restoreOwnOptimizerState(whole.ownOptimizerState());
        assertEquals(whole.ownOptimizerState().keySet(), resumed.ownOptimizerState().keySet());
        whole.ownOptimizerState().forEach((k, v) -> assertArrayEquals(v, resumed.ownOptimizerState().get(k), 0.0, k));
        assertArrayEquals(new double[] {3}, whole.ownOptimizerState().get("updates"), 0.0);
        for (SoftWeightSharing r : new SoftWeightSharing[] {whole, resumed}) {
            for (int step = 0; step < 3; step++) {
                r.apply(p, ctx);
                r.updateOwnParameters(ctx);
            }
        }
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(whole.ownParameters().get(t).value().data(), resumed.ownParameters().get(t).value().data(), 0f);
        }
    }

    @Test
    void badOwnOptimizerStateIsRefusedNamingTheKey() {
        SoftWeightSharing r = create("soft-weight-sharing(lambda=0.1, components=4)");
        Map<String, double[]> good = r.ownOptimizerState();
        assertEquals(Set.of("updates", "moment1.means", "moment1.log_precisions", "moment1.logits", "moment2.means",
                "moment2.log_precisions", "moment2.logits"), good.keySet());
        Map<String, double[]> shortMoment = new java.util.HashMap<>(good);
        shortMoment.put("moment2.logits", new double[2]);
        assertEquals("soft-weight-sharing: optimizer state 'moment2.logits' must hold 3 numbers, got 2",
                assertThrows(IllegalArgumentException.class, () -> r.restoreOwnOptimizerState(shortMoment)).getMessage());
        Map<String, double[]> badNumber = new java.util.HashMap<>(good);
        badNumber.put("moment1.means", new double[] {0, Double.NaN, 0, 0});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.restoreOwnOptimizerState(badNumber)).getMessage()
                .contains("'moment1.means' has the value NaN, expected a finite number"));
        Map<String, double[]> negativeMoment = new java.util.HashMap<>(good);
        negativeMoment.put("moment2.means", new double[] {0, -1e-9, 0, 0});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.restoreOwnOptimizerState(negativeMoment)).getMessage()
                .contains("'moment2.means' has the value -1.0E-9, expected a finite number >= 0"));
        for (double[] count : new double[][] {{-1}, {1.5}, {1, 2}, {}}) {
            Map<String, double[]> badCount = new java.util.HashMap<>(good);
            badCount.put("updates", count);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> r.restoreOwnOptimizerState(badCount)).getMessage()
                    .contains("'updates' must be one whole number in [0, 2^53]"), java.util.Arrays.toString(count));
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.restoreOwnOptimizerState(Map.of("updates", new double[] {1})))
                .getMessage().contains("do not match the expected"));
        assertEquals(Map.of(), create("soft-weight-sharing(lambda=0.1, own_optimizer=sgd)").ownOptimizerState());
    }

    @Test
    void aPriorRestoredBeforeFirstUseIsKept() {
        SoftWeightSharing trained = create("soft-weight-sharing(lambda=1, components=4, init_range=0.5)");
        scramble(trained);
        SoftWeightSharing resumed = create("soft-weight-sharing(lambda=1, components=4)");
        for (int t = 0; t < 3; t++) resumed.ownParameters().get(t).value().copyFrom(trained.ownParameters().get(t).value());
        Parameter p = weight(7, 3f); // a different range would give a different initialisation
        assertEquals(trained.penalty(p, ctx), resumed.penalty(p, ctx), 1e-9);
    }

    @Test
    void farAwayWeightsStayFinite() {
        SoftWeightSharing r = create("soft-weight-sharing(lambda=1, components=4, init_range=0.1, init_sigma=0.01)");
        Parameter p = new Parameter("d", "weight", ParameterRole.WEIGHT, Tensor.of(new float[] {1000f, -1e4f, 0f}, 3));
        double penalty = r.penalty(p, ctx);
        assertTrue(Double.isFinite(penalty), "log-sum-exp must not underflow to log(0): " + penalty);
        r.apply(p, ctx);
        assertTrue(p.grad().allFinite());
        assertTrue(p.grad().get(0) > 0 && p.grad().get(1) < 0, "pulled back toward the mixture");
    }

    @Test
    void gammaHyperpriorPullsCollapsingPrecisionsBack() {
        SoftWeightSharing free = create("soft-weight-sharing(lambda=1, components=3, init_range=1, own_optimizer=sgd, lr_log_precisions=0.1)");
        SoftWeightSharing prior = create("soft-weight-sharing(lambda=1, components=3, init_range=1, own_optimizer=sgd, lr_log_precisions=0.1,"
                + " gamma_shape=2, gamma_rate=10)");
        Parameter p = weight(6, 1f);
        for (SoftWeightSharing r : new SoftWeightSharing[] {free, prior}) {
            r.apply(p, ctx);
            r.updateOwnParameters(ctx);
        }
        float sFree = free.ownParameters().get(1).value().get(1);
        float sPrior = prior.ownParameters().get(1).value().get(1);
        assertTrue(sPrior < sFree, "the Gamma(2, 10) prior (mean precision 0.2) lowers the precision: " + sPrior + " vs " + sFree);
        SpecException e = assertThrows(SpecException.class, () -> create("soft-weight-sharing(lambda=1, gamma_shape=2)"));
        assertTrue(e.getMessage().contains("gamma_rate"), e.getMessage());
    }

    @Test
    void specRoundTripsAndRejectsBadPi0() {
        SoftWeightSharing r = create("soft-weight-sharing(lambda=1e-4)");
        assertEquals(r.spec(), Regularizers.installed().parse(r.spec()).spec());
        assertTrue(r.spec().contains("components=16"), r.spec());
        SpecException e = assertThrows(SpecException.class, () -> create("soft-weight-sharing(lambda=1, pi0=1)"));
        assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
    }

    /**
     * Pins the gradients of {@link SoftWeightSharing#apply} (model and own parameters) to a plain,
     * unoptimised evaluation of the documented formula, for 16 components and weights spread over,
     * between and far outside the components: a change to the fast kernel that alters any gradient
     * beyond float rounding fails here.
     */
    @Test
    void gradientsEqualTheDirectEvaluationOfTheFormula() {
        SoftWeightSharing r = create("soft-weight-sharing(lambda=0.25, components=16, pi0=0.9, init_range=1)");
        scramble(r);
        Tensor w = GradientCheck.random(11, 1.5f, 40, 25);
        w.data()[0] = 40f; // far in the tail of every component
        w.data()[1] = 0f;
        Parameter p = new Parameter("dense1", "weight", ParameterRole.WEIGHT, w);
        r.apply(p, ctx);
        List<Parameter> own = r.ownParameters();
        int k = 16;
        double[] mu = new double[k];
        double[] s = new double[k];
        for (int j = 0; j < k; j++) {
            mu[j] = own.get(0).value().get(j);
            s[j] = own.get(1).value().get(j);
        }
        double[] pi = r.mixingProportions();
        double[] gx = new double[w.data().length];
        double[] gMu = new double[k];
        double[] gS = new double[k];
        double[] resp = new double[k];
        for (int i = 0; i < gx.length; i++) {
            double x = w.data()[i];
            double[] a = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double tau = Math.exp(s[j]);
                a[j] = Math.log(pi[j]) + 0.5 * Math.log(tau / (2 * Math.PI)) - 0.5 * tau * (x - mu[j]) * (x - mu[j]);
                max = Math.max(max, a[j]);
            }
            double z = 0;
            for (int j = 0; j < k; j++) z += Math.exp(a[j] - max);
            for (int j = 0; j < k; j++) {
                double resp_ = Math.exp(a[j] - max) / z;
                double tau = Math.exp(s[j]);
                gx[i] += resp_ * tau * (x - mu[j]);
                gMu[j] -= resp_ * tau * (x - mu[j]);
                gS[j] -= resp_ * (0.5 - 0.5 * tau * (x - mu[j]) * (x - mu[j]));
                resp[j] += resp_;
            }
        }
        for (int i = 0; i < gx.length; i++) {
            assertEquals(0.25 * gx[i], p.grad().data()[i], 1e-6 + 1e-6 * Math.abs(gx[i]), "weight " + i);
        }
        double rest = 0;
        for (int j = 1; j < k; j++) rest += resp[j];
        for (int j = 0; j < k; j++) {
            if (j > 0) assertEquals(0.25 * gMu[j], own.get(0).grad().get(j), 1e-5 + 1e-6 * Math.abs(gMu[j]), "means " + j);
            assertEquals(0.25 * gS[j], own.get(1).grad().get(j), 1e-5 + 1e-6 * Math.abs(gS[j]), "log_precisions " + j);
            if (j > 0) {
                double q = pi[j] / (1 - pi[0]);
                double gl = -0.25 * (resp[j] - q * rest);
                assertEquals(gl, own.get(2).grad().get(j - 1), 1e-5 + 1e-6 * Math.abs(gl), "logits " + (j - 1));
            }
        }
    }
}
