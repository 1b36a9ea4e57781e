package dev.regula.api.regularizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.tensor.Tensor;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The sealed regularizer hierarchy: exactly the kinds the pipeline runs, each open to plugins. */
class RegularizerKindsTest {
    private static final Set<Class<?>> KINDS = Set.of(ParameterRegularizer.class, GradientClipper.class,
            ActivationRegularizer.class, ForwardPerturbation.class, OutputRegularizer.class, WeightAverager.class,
            BatchRegularizer.class, InputGradientRegularizer.class, ScoreGradientRegularizer.class);

    @Test
    void regularizerPermitsExactlyThePipelinesKinds() {
        assertTrue(Regularizer.class.isSealed());
        assertEquals(KINDS, Set.of(Regularizer.class.getPermittedSubclasses()));
    }

    @Test
    void everyKindIsNonSealedSoPluginsCanImplementIt() {
        for (Class<?> kind : KINDS) {
            assertTrue(kind.isInterface() && Modifier.isPublic(kind.getModifiers()), kind + " is a public interface");
            assertFalse(kind.isSealed(), kind + " must be non-sealed");
            assertNull(kind.getPermittedSubclasses(), kind.getName());
        }
    }

    @Test
    void refinementsBelongToExactlyOneKind() {
        Map<Class<?>, Class<?>> refinements = Map.of(LearnableRegularizer.class, ParameterRegularizer.class,
                AnchoredRegularizer.class, ParameterRegularizer.class, CoupledDecay.class, ParameterRegularizer.class,
                ActivityRegularizer.class, ActivationRegularizer.class);
        refinements.forEach((refinement, kind) -> {
            assertFalse(refinement.isSealed(), refinement.getName());
            Set<Class<?>> kinds = KINDS.stream().filter(k -> k.isAssignableFrom(refinement)).collect(Collectors.toSet());
            assertEquals(Set.of(kind), kinds, refinement.getName());
        });
        assertEquals("dev.regula.api.regularizer", AnchoredRegularizer.class.getPackageName(),
                "the anchored kind lives next to its siblings in the API");
    }

    /** An exhaustive switch without a default branch: what the sealed hierarchy buys a trainer. */
    private static String kindOf(Regularizer r) {
        return switch (r) {
            case ParameterRegularizer p -> "parameter@" + p.stage();
            case GradientClipper c -> "clip";
            case ActivationRegularizer a -> "activation";
            case ForwardPerturbation f -> "perturbation";
            case OutputRegularizer o -> "output";
            case WeightAverager w -> "average";
            case BatchRegularizer b -> "batch";
            case InputGradientRegularizer i -> "input-gradient";
            case ScoreGradientRegularizer s -> "score-gradient";
        };
    }

    @Test
    void aPluginImplementsEachKindAndAnExhaustiveSwitchPlacesIt() {
        List<Regularizer> plugins = List.of(new Penalty(), new Clipper(), new Activation(), new Perturbation(),
                new Output(), new Averager(), new Batch(), new InputGradient(), new ScoreGradient(), new Anchored());
        assertEquals(List.of("parameter@GRADIENT", "clip", "activation", "perturbation", "output", "average", "batch",
                "input-gradient", "score-gradient", "parameter@GRADIENT"), plugins.stream().map(RegularizerKindsTest::kindOf).toList());
        // every kind is reached once by the implementations above
        assertEquals(KINDS, plugins.stream().map(r -> Arrays.stream(Regularizer.class.getPermittedSubclasses())
                .filter(k -> k.isInstance(r)).findFirst().orElseThrow()).collect(Collectors.toSet()));
    }

    /** Names and specs every test implementation shares. */
    private abstract static class Named {
        public String name() {
            return "test";
        }

        public String spec() {
            return "test()";
        }
    }

    private static final class Penalty extends Named implements ParameterRegularizer {
        @Override public Stage stage() { return Stage.GRADIENT; }
        @Override public ParameterSelector selector() { return ParameterSelector.parse("weights"); }
        @Override public void apply(Parameter p, StepContext ctx) { }
    }

    private static final class Anchored extends Named implements AnchoredRegularizer {
        @Override public Stage stage() { return Stage.GRADIENT; }
        @Override public ParameterSelector selector() { return ParameterSelector.parse("weights"); }
        @Override public void apply(Parameter p, StepContext ctx) { }
        @Override public void setAnchor(String parameterName, Tensor reference) { }
        @Override public Optional<Tensor> anchor(String parameterName) { return Optional.empty(); }
    }

    private static final class Clipper extends Named implements GradientClipper {
        @Override public double clip(List<Parameter> parameters, StepContext ctx) { return 0; }
    }

    private static final class Activation extends Named implements ActivationRegularizer {
        @Override public Layer newLayer(String name) { throw new UnsupportedOperationException(); }
    }

    private static final class Perturbation extends Named implements ForwardPerturbation {
        @Override public ParameterSelector selector() { return ParameterSelector.parse("weights"); }
        @Override public void perturb(Parameter p, StepContext ctx) { }
        @Override public void restore(Parameter p, StepContext ctx) { }
    }

    private static final class Output extends Named implements OutputRegularizer {
        @Override public double apply(Tensor output, Tensor condition, Tensor gradOutput, StepContext ctx) { return 0; }
    }

    private static final class Averager extends Named implements WeightAverager {
        @Override public String kind() { return "ema"; }
        @Override public void update(List<Parameter> parameters, StepContext ctx) { }
        @Override public Optional<Tensor> average(Parameter p) { return Optional.empty(); }
        @Override public long count() { return 0; }
        @Override public Map<String, Tensor> state() { return Map.of(); }
        @Override public void restoreState(Map<String, Tensor> averages, long count) { }
    }

    private static final class Batch extends Named implements BatchRegularizer {
        @Override public LabelMix apply(Tensor features, Tensor labels, StepContext ctx) { return null; }
    }

    private static final class InputGradient extends Named implements InputGradientRegularizer {
        @Override public double strength(StepContext ctx) { return 0; }
        @Override public double step() { return 1; }
    }

    private static final class ScoreGradient extends Named implements ScoreGradientRegularizer {
        @Override public Samples samples() { return Samples.REAL; }
        @Override public double gamma(StepContext ctx) { return 0; }
        @Override public int every() { return 1; }
    }
}
