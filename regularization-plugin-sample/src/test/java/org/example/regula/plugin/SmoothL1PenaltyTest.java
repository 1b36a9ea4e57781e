package org.example.regula.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import java.lang.module.ModuleDescriptor;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SmoothL1PenaltyTest {
    private final SmoothL1Provider provider = new SmoothL1Provider();

    private ParameterRegularizer create(String spec) {
        return (ParameterRegularizer) provider.create(Spec.parse(spec));
    }

    private static Parameter weight(float... values) {
        return new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.of(values, values.length));
    }

    @Test
    void gradientMatchesFiniteDifferencesInBothZones() {
        ParameterRegularizer r = create("smooth-l1(lambda=0.3, delta=0.05)");
        SplittableRandom random = new SplittableRandom(11);
        float[] v = new float[3 * 7];
        for (int i = 0; i < v.length; i++) {
            float x;
            do {
                x = (float) ((random.nextDouble() * 2 - 1) * 0.3);
            } while (Math.abs(Math.abs(x) - 0.05f) < 4 * FiniteDifferences.EPS); // the curvature jumps at ±δ
            v[i] = x;
        }
        v[0] = 0.01f; // quadratic zone
        v[1] = -0.2f; // linear zone
        Parameter p = new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.of(v, 3, 7));
        FiniteDifferences.checkGradient(r, p, FiniteDifferences.train(3));
        assertArrayEquals(v, p.value().data(), "the check must restore the value");
    }

    @Test
    void penaltyIsQuadraticInsideDeltaAndLinearOutsideAndContinuousAtDelta() {
        ParameterRegularizer r = create("smooth-l1(lambda=2, delta=0.5)");
        // s(0) = 0, s(0.25) = 0.0625/1, s(-0.5) = 0.25 from both sides, s(2) = 2 − 0.25
        Parameter p = weight(0f, 0.25f, -0.5f, 2f);
        assertEquals(2 * (0 + 0.0625 + 0.25 + 1.75), r.penalty(p, FiniteDifferences.train(0)), 1e-6);
    }

    @Test
    void gradientIsLambdaTimesClampedRatioAndIsAddedToTheExistingGradient() {
        ParameterRegularizer r = create("smooth-l1(lambda=2, delta=0.5)");
        Parameter p = weight(0f, 0.25f, -0.5f, 2f, -7f);
        p.grad().fill(1f);
        r.apply(p, FiniteDifferences.train(0));
        assertArrayEquals(new float[] {1f, 2f, -1f, 3f, -1f}, p.grad().data(), 1e-6f);
        assertArrayEquals(new float[] {0f, 0.25f, -0.5f, 2f, -7f}, p.value().data(), "GRADIENT stage must not change θ");
    }

    @Test
    void followsTheLambdaSchedule() {
        ParameterRegularizer r = create("smooth-l1(lambda=linear(from=0, to=1, steps=10), delta=1)");
        Parameter p = weight(3f);
        assertEquals(0, r.penalty(p, FiniteDifferences.train(0)));
        r.apply(p, FiniteDifferences.train(0));
        assertEquals(0f, p.grad().get(0));
        assertEquals(0.5 * 2.5, r.penalty(p, FiniteDifferences.train(5)), 1e-9);
        assertEquals(1 * 2.5, r.penalty(p, FiniteDifferences.train(50)), 1e-9);
    }

    @Test
    void defaultsActOnWeightsOnlyAtTheGradientStage() {
        ParameterRegularizer r = create("smooth-l1");
        assertEquals(Stage.GRADIENT, r.stage());
        assertEquals("smooth-l1(lambda=1e-4, delta=0.01, on=weights)", r.spec());
        assertTrue(r.selector().test(weight(1f)));
        assertFalse(r.selector().test(new Parameter("dense1", "bias", ParameterRole.BIAS, Tensor.zeros(1))));
    }

    @Test
    void specRoundTrips() {
        ParameterRegularizer r = create("SMOOTH-L1(on=weights|layer:out, delta=2e-3, lambda=cosine(from=1e-3, to=0, epochs=5))");
        assertEquals(r.spec(), provider.create(Spec.parse(r.spec())).spec());
        assertEquals("smooth-l1", r.name());
    }

    @Test
    void rejectsBadSpecsWithTheAllowedValues() {
        SpecException zero = assertThrows(SpecException.class, () -> create("smooth-l1(delta=0)"));
        assertTrue(zero.getMessage().contains("delta") && zero.getMessage().contains("(0, +inf)"), zero.getMessage());
        SpecException negative = assertThrows(SpecException.class, () -> create("smooth-l1(lambda=-1)"));
        assertTrue(negative.getMessage().contains("lambda"), negative.getMessage());
        SpecException typo = assertThrows(SpecException.class, () -> create("smooth-l1(lamda=1)"));
        assertTrue(typo.getMessage().contains("Did you mean 'lambda'"), typo.getMessage());
        assertThrows(SpecException.class, () -> provider.create(Spec.parse("l1(lambda=1)")));
    }

    @Test
    void isFoundByServiceLoaderOnTheModulePath() {
        Regularizers installed = Regularizers.installed();
        assertInstanceOf(SmoothL1Provider.class, installed.provider("smooth-l1"));
        StepContext ctx = FiniteDifferences.train(0);
        ParameterRegularizer r = (ParameterRegularizer) installed.parse("smooth-l1(lambda=1, delta=1)");
        assertEquals(1.5, r.penalty(weight(2f), ctx), 1e-9);
    }

    @Test
    void moduleRequiresOnlyTheApiAndExportsNothing() {
        ModuleDescriptor d = SmoothL1Provider.class.getModule().getDescriptor();
        Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertEquals(Set.of("java.base", "dev.regula.api"), requires, "a plugin needs the API only, never core");
        assertTrue(d.exports().isEmpty(), "the plugin exports nothing; users reach it through spec text");
        assertTrue(d.provides().stream().anyMatch(p -> p.service().equals("dev.regula.api.regularizer.RegularizerProvider")
                && p.providers().equals(java.util.List.of(SmoothL1Provider.class.getName()))));
    }
}
