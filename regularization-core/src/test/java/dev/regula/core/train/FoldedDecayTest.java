package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

import dev.regula.api.Mode;
import dev.regula.api.NumericalFaultException;
import dev.regula.api.StepContext;
import dev.regula.api.optim.Optimizer;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.CoupledDecay;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.Stage;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GRADIENT stage folded into the optimizer ({@link Optimizer#stepWithDecay}): the same
 * parameters, gradients and optimizer state bit for bit as the stage run on its own, only when it
 * is safe to fold, and NaN/Inf still reported with the parameter's name.
 */
class FoldedDecayTest {
    /** The same L2, hidden behind a plain ParameterRegularizer so the pipeline cannot fold it. */
    private record Opaque(ParameterRegularizer inner) implements ParameterRegularizer {
        public String name() { return inner.name(); }
        public String spec() { return inner.spec(); }
        public Stage stage() { return inner.stage(); }
        public ParameterSelector selector() { return inner.selector(); }
        public double penalty(Parameter p, StepContext ctx) { return inner.penalty(p, ctx); }
        public void apply(Parameter p, StepContext ctx) { inner.apply(p, ctx); }
    }

    private static List<Parameter> parameters() {
        return List.of(new Parameter("dense1", "weight", ParameterRole.WEIGHT, GradientCheck.random(1, 1f, 7, 5)),
                new Parameter("dense1", "bias", ParameterRole.BIAS, GradientCheck.random(2, 1f, 7)),
                new Parameter("out", "weight", ParameterRole.WEIGHT, GradientCheck.random(3, 1f, 3, 7)));
    }

    /** Runs three steps with fresh gradients each and returns values, gradients and optimizer state. */
    private static List<float[]> run(String optimizerSpec, boolean folded, String... specs) {
        List<Parameter> params = parameters();
        List<Regularizer> regs = new ArrayList<>();
        for (String s : specs) {
            ParameterRegularizer r = (ParameterRegularizer) Regularizers.installed().parse(s);
            regs.add(folded ? r : new Opaque(r));
        }
        Optimizer optimizer = Optimizers.create(optimizerSpec);
        RegularizationPipeline pipeline = new RegularizationPipeline(params, regs, optimizer, true);
        for (int step = 0; step < 3; step++) {
            StepContext ctx = new StepContext(Mode.TRAIN, step, 0, 0.05, 42L, new ScalarKernels());
            for (int i = 0; i < params.size(); i++) {
                params.get(i).zeroGrad();
                float[] g = GradientCheck.random(10L * step + i, 1f, params.get(i).value().shape()).data();
                System.arraycopy(g, 0, params.get(i).grad().data(), 0, g.length);
            }
            pipeline.update(ctx);
        }
        List<float[]> out = new ArrayList<>();
        for (Parameter p : params) {
            out.add(p.value().data());
            out.add(p.grad().data());
        }
        optimizer.state().values().forEach(t -> out.add(t.data()));
        return out;
    }

    @Test
    void foldingGivesTheSameNumbersAsTheStageOnItsOwn() {
        for (String optimizer : List.of("sgd(lr=0.05, momentum=0.9)", "sgd(lr=0.05, momentum=0.9, nesterov=true)",
                "sgd(lr=0.05)", "adam(lr=0.01)", "rmsprop(lr=0.01)")) {
            for (String[] specs : List.of(new String[] {"l2(lambda=1e-2)"}, new String[] {"l2(lambda=0.1, on=all)"},
                    new String[] {"l2(lambda=0.05, on=biases)", "l2(lambda=0.01)"})) {
                List<float[]> separate = run(optimizer, false, specs);
                List<float[]> folded = run(optimizer, true, specs);
                assertEquals(separate.size(), folded.size());
                for (int i = 0; i < separate.size(); i++) {
                    assertArrayEquals(separate.get(i), folded.get(i), optimizer + " " + List.of(specs) + " array " + i);
                }
            }
        }
    }

    @Test
    void foldsOnlyWhenNothingHasToSeeTheDecayedGradient() {
        ParameterRegularizer l2 = (ParameterRegularizer) Regularizers.installed().parse("l2(lambda=1e-2)");
        assertTrue(l2 instanceof CoupledDecay, "built-in L2 declares itself a coupled decay");
        List<List<String>> unfoldable = List.of(List.of("l2(lambda=1e-2)", "clip-norm(max=1)"),
                List.of("l2(lambda=1e-2)", "l1(lambda=1e-3)"), List.of("l2(lambda=1e-2)", "l2(lambda=1e-3, on=all)"));
        for (List<String> specs : unfoldable) {
            Optimizer sgd = spy(Optimizers.create("sgd(lr=0.05, momentum=0.9)"));
            List<Regularizer> regs = specs.stream().<Regularizer>map(s -> Regularizers.installed().parse(s)).toList();
            new RegularizationPipeline(parameters(), regs, sgd, true).update(GradientCheck.train());
            verify(sgd, never()).stepWithDecay(anyList(), any(), any());
            verify(sgd).step(anyList(), any());
        }
        Optimizer sgd = spy(Optimizers.create("sgd(lr=0.05, momentum=0.9)"));
        new RegularizationPipeline(parameters(), List.of(l2), sgd, true).update(GradientCheck.train());
        verify(sgd).stepWithDecay(anyList(), any(), any());
        verify(sgd, never()).step(anyList(), any());
    }

    @Test
    void anOverflowInTheFoldedUpdateNamesTheParameterAndTheFoldedStage() {
        List<Parameter> params = parameters();
        params.get(2).value().set(4, 3e38f);
        Regularizer l2 = Regularizers.installed().parse("l2(lambda=1e4)");
        RegularizationPipeline pipeline = new RegularizationPipeline(params, List.of(l2),
                Optimizers.create("sgd(lr=10, momentum=0.9)"), true);
        NumericalFaultException e = assertThrows(NumericalFaultException.class, () -> pipeline.update(GradientCheck.train()));
        assertTrue(e.where().contains("out.weight"), e.where());
        assertTrue(e.getMessage().contains("GRADIENT stage folded in"), e.getMessage());
    }

    @Test
    void theDefaultStepWithDecayAddsTheDecayThenStepsThenChecks() {
        Optimizer adam = Optimizers.create("adam(lr=0.01)");
        List<Parameter> params = parameters();
        for (Parameter p : params) java.util.Arrays.fill(p.grad().data(), 0.5f);
        float[] before = params.get(0).value().data().clone();
        assertTrue(adam.stepWithDecay(params, new float[] {0.1f, 0f, 0.2f}, GradientCheck.train()));
        assertEquals(0.5f + 0.1f * before[0], params.get(0).grad().data()[0], "g + decay·θ written back");
        assertEquals(0.5f, params.get(1).grad().data()[0], "decay 0 leaves the gradient alone");
        params.get(1).grad().set(0, Float.NaN);
        assertFalse(adam.stepWithDecay(params, new float[3], GradientCheck.train()), "a NaN gradient reaches the values");
        assertThrows(IllegalArgumentException.class, () -> adam.stepWithDecay(params, new float[2], GradientCheck.train()));
    }
}
