package dev.regula.core.regularizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.GradientClipper;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.RegularizerProvider;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The classic built-ins as a user reaches them: by name through ServiceLoader and spec text. */
class ClassicRegularizersTest {
    /** A minimal valid spec of every classic built-in, with the stage it must run at (null: a clipper). */
    private static final Map<String, Stage> MINIMAL = new LinkedHashMap<>();

    static {
        MINIMAL.put("l1(lambda=1e-4)", Stage.GRADIENT);
        MINIMAL.put("l2(lambda=1e-4)", Stage.GRADIENT);
        MINIMAL.put("elastic-net(l1=1e-5, l2=1e-4)", Stage.GRADIENT);
        MINIMAL.put("orthogonal(lambda=1e-3)", Stage.GRADIENT);
        MINIMAL.put("weight-decay(lambda=0.01)", Stage.DECOUPLED);
        MINIMAL.put("l1-proximal(lambda=1e-4)", Stage.PROXIMAL);
        MINIMAL.put("group-lasso(lambda=1e-4)", Stage.PROXIMAL);
        MINIMAL.put("max-norm", Stage.CONSTRAINT);
        MINIMAL.put("unit-norm", Stage.CONSTRAINT);
        MINIMAL.put("min-max-norm", Stage.CONSTRAINT);
        MINIMAL.put("non-negative", Stage.CONSTRAINT);
        MINIMAL.put("clip-norm(max=1)", null);
        MINIMAL.put("clip-value(max=1)", null);
    }

    private static String nameOf(String spec) {
        int paren = spec.indexOf('(');
        return paren < 0 ? spec : spec.substring(0, paren);
    }

    @Test
    void everyClassicProviderIsFoundByName() {
        Regularizers installed = Regularizers.installed();
        Set<String> names = installed.providers().stream().map(RegularizerProvider::name).collect(Collectors.toSet());
        for (String spec : MINIMAL.keySet()) {
            String name = nameOf(spec);
            assertTrue(names.contains(name), name + " not among " + names);
            RegularizerProvider p = installed.provider(name);
            assertEquals(name, p.name());
            assertFalse(p.description().isBlank(), name);
            assertEquals(name, p.schema().name());
        }
    }

    @Test
    void everySpecCreatesTheRightKindAtTheRightStageAndRoundTrips() {
        Regularizers installed = Regularizers.installed();
        MINIMAL.forEach((spec, stage) -> {
            Regularizer r = installed.parse(spec);
            assertEquals(nameOf(spec), r.name(), spec);
            if (stage == null) {
                assertInstanceOf(GradientClipper.class, r, spec);
            } else {
                assertEquals(stage, assertInstanceOf(ParameterRegularizer.class, r, spec).stage(), spec);
            }
            assertEquals(r.spec(), installed.parse(r.spec()).spec(), "canonical spec must parse back to itself");
        });
    }

    @Test
    void defaultSelectorTakesWeightsNotBiases() {
        Parameter weight = new Parameter("dense", "weight", ParameterRole.WEIGHT, Tensor.zeros(2, 2));
        Parameter bias = new Parameter("dense", "bias", ParameterRole.BIAS, Tensor.zeros(2));
        Parameter norm = new Parameter("bn", "gamma", ParameterRole.NORM_SCALE, Tensor.zeros(2));
        MINIMAL.forEach((spec, stage) -> {
            if (stage == null) return;
            ParameterRegularizer r = (ParameterRegularizer) Regularizers.create(spec);
            assertTrue(r.selector().test(weight), spec);
            assertFalse(r.selector().test(bias), spec);
            assertFalse(r.selector().test(norm), spec);
        });
        ParameterRegularizer all = (ParameterRegularizer) Regularizers.create("l2(lambda=1, on=weights|biases)");
        assertTrue(all.selector().test(bias));
    }

    @Test
    void unknownKeyNamesProviderKeyAndAllowedKeys() {
        SpecException e = assertThrows(SpecException.class, () -> Regularizers.installed().parse("l2(lambda=1e-4, lamda=2)"));
        String m = e.getMessage();
        assertTrue(m.contains("'l2'") && m.contains("'lamda'") && m.contains("allowed keys: lambda, on"), m);
        SpecException g = assertThrows(SpecException.class, () -> Regularizers.installed().parse("group-lasso(lambda=1, group=rows)"));
        assertTrue(g.getMessage().contains("'group-lasso'") && g.getMessage().contains("groups"), g.getMessage());
    }

    @Test
    void outOfRangeValuesNameTheRange() {
        Regularizers installed = Regularizers.installed();
        SpecException neg = assertThrows(SpecException.class, () -> installed.parse("l1(lambda=-0.1)"));
        assertTrue(neg.getMessage().contains("'l1'") && neg.getMessage().contains("lambda")
                && neg.getMessage().contains("[0, +inf)"), neg.getMessage());
        SpecException ramp = assertThrows(SpecException.class,
                () -> installed.parse("l2(lambda=linear(from=0, to=-1, steps=10))"));
        assertTrue(ramp.getMessage().contains("[0, +inf)"), ramp.getMessage());
        SpecException max = assertThrows(SpecException.class, () -> installed.parse("max-norm(max=0)"));
        assertTrue(max.getMessage().contains("max") && max.getMessage().contains("(0, +inf)"), max.getMessage());
        SpecException clip = assertThrows(SpecException.class, () -> installed.parse("clip-norm(max=-1)"));
        assertTrue(clip.getMessage().contains("clip-norm"), clip.getMessage());
        SpecException axis = assertThrows(SpecException.class, () -> installed.parse("unit-norm(axis=diagonal)"));
        assertTrue(axis.getMessage().contains("rows | columns"), axis.getMessage());
        SpecException missing = assertThrows(SpecException.class, () -> installed.parse("clip-value"));
        assertTrue(missing.getMessage().contains("needs max"), missing.getMessage());
    }

    @Test
    void unknownNameSuggestsTheNearestOne() {
        SpecException e = assertThrows(SpecException.class, () -> Regularizers.installed().parse("max-nrom(max=2)"));
        assertTrue(e.getMessage().contains("did you mean 'max-norm'"), e.getMessage());
    }
}
