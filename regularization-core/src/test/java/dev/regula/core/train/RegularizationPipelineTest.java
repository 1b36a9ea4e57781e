package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.regula.api.Mode;
import dev.regula.api.NumericalFaultException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.optim.Optimizer;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ForwardPerturbation;
import dev.regula.api.regularizer.GradientClipper;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

class RegularizationPipelineTest {
    private final Parameter weight = new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.of(new float[] {1, -2}, 2));
    private final Parameter bias = new Parameter("dense1", "bias", ParameterRole.BIAS, Tensor.of(new float[] {0.5f}, 1));
    private final StepContext ctx = GradientCheck.train();

    private static ParameterRegularizer regularizer(Stage stage, String spec) {
        ParameterRegularizer r = mock(ParameterRegularizer.class);
        when(r.stage()).thenReturn(stage);
        when(r.selector()).thenReturn(ParameterSelector.weights());
        when(r.spec()).thenReturn(spec);
        when(r.name()).thenReturn(spec);
        return r;
    }

    @Test
    void stagesRunInTheDocumentedOrderWhateverTheOrderGiven() {
        ParameterRegularizer constraint = regularizer(Stage.CONSTRAINT, "c");
        ParameterRegularizer proximal = regularizer(Stage.PROXIMAL, "p");
        ParameterRegularizer decoupled = regularizer(Stage.DECOUPLED, "d");
        ParameterRegularizer gradient = regularizer(Stage.GRADIENT, "g");
        GradientClipper clipper = mock(GradientClipper.class);
        Optimizer optimizer = mock(Optimizer.class);
        when(optimizer.impliedRegularizers()).thenReturn(List.of());
        RegularizationPipeline pipeline = new RegularizationPipeline(List.of(weight, bias),
                List.of(constraint, proximal, decoupled, clipper, gradient), optimizer, true);

        pipeline.update(ctx);

        InOrder order = inOrder(gradient, clipper, optimizer, decoupled, proximal, constraint);
        order.verify(gradient).apply(weight, ctx);
        order.verify(clipper).clip(List.of(weight, bias), ctx);
        order.verify(decoupled).apply(weight, ctx);
        order.verify(optimizer).step(List.of(weight, bias), ctx);
        order.verify(proximal).apply(weight, ctx);
        order.verify(constraint).apply(weight, ctx);
    }

    /**
     * Two soft weight sharings (on two layers) would keep their mixtures under the same names, and
     * two learnable soft anchors on the same weights their anchors: refused when the run is built,
     * naming both, not when the first checkpoint is written an epoch later.
     */
    @Test
    void regularizersWhoseOwnParametersWouldShareANameAreRefusedBeforeAnyStep() {
        dev.regula.api.regularizer.Regularizers installed = dev.regula.api.regularizer.Regularizers.installed();
        Optimizer optimizer = mock(Optimizer.class);
        for (List<String> specs : List.of(
                List.of("soft-weight-sharing(lambda=1e-5, on=name:dense1.weight)", "soft-weight-sharing(lambda=1e-5, on=name:dense1.bias)"),
                List.of("soft-anchor(anchor_lr=0.1)", "soft-anchor(anchor_lr=0.1, lambda=0.5)"))) {
            List<dev.regula.api.regularizer.Regularizer> regs = specs.stream().map(installed::parse).toList();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new RegularizationPipeline(List.of(weight, bias), regs, optimizer, true));
            assertTrue(e.getMessage().contains(regs.get(0).spec()) && e.getMessage().contains(regs.get(1).spec())
                    && e.getMessage().contains("keep one of them"), e.getMessage());
        }
        // on other parameters, two learnable anchors keep apart names
        new RegularizationPipeline(List.of(weight, bias), List.of(installed.parse("soft-anchor(anchor_lr=0.1, on=name:dense1.weight)"),
                installed.parse("soft-anchor(anchor_lr=0.1, on=name:dense1.bias)")), optimizer, true);
    }

    @Test
    void selectorsAreHonouredSoBiasesAreNotDecayedByDefault() {
        ParameterRegularizer decay = regularizer(Stage.DECOUPLED, "weight-decay");
        Optimizer optimizer = mock(Optimizer.class);
        new RegularizationPipeline(List.of(weight, bias), List.of(decay), optimizer, true).update(ctx);
        verify(decay).apply(weight, ctx);
        verify(decay, never()).apply(bias, ctx);
    }

    @Test
    void impliedDecoupledDecayOfTheOptimizerRunsOnThePreUpdateWeights() {
        ParameterRegularizer implied = regularizer(Stage.DECOUPLED, "adamw-decay");
        Optimizer optimizer = mock(Optimizer.class);
        when(optimizer.impliedRegularizers()).thenReturn(List.of(implied));
        new RegularizationPipeline(List.of(weight), List.of(), optimizer, true).update(ctx);
        InOrder order = inOrder(optimizer, implied);
        order.verify(implied).apply(weight, ctx);
        order.verify(optimizer).step(anyList(), any());
    }

    @Test
    void penaltiesAreReportedPerRegularizer() {
        ParameterRegularizer l2 = regularizer(Stage.GRADIENT, "l2(lambda=1)");
        when(l2.penalty(weight, ctx)).thenReturn(2.5);
        RegularizationPipeline pipeline = new RegularizationPipeline(List.of(weight, bias), List.of(l2), mock(Optimizer.class), true);
        assertEquals(2.5, pipeline.penalties(ctx).get("l2(lambda=1)"));
    }

    @Test
    void perturbationsAreRestoredInReverseOrder() {
        ForwardPerturbation first = mock(ForwardPerturbation.class);
        ForwardPerturbation second = mock(ForwardPerturbation.class);
        for (ForwardPerturbation f : List.of(first, second)) when(f.selector()).thenReturn(ParameterSelector.all());
        RegularizationPipeline pipeline = new RegularizationPipeline(List.of(weight), List.of(first, second), mock(Optimizer.class), true);
        pipeline.beforeForward(ctx);
        pipeline.afterBackward(ctx);
        InOrder order = inOrder(first, second);
        order.verify(first).perturb(weight, ctx);
        order.verify(second).perturb(weight, ctx);
        order.verify(second).restore(weight, ctx);
        order.verify(first).restore(weight, ctx);
    }

    @Test
    void nanInAGradientIsReportedWithStepAndParameterBeforeTheUpdate() {
        Optimizer optimizer = mock(Optimizer.class);
        weight.grad().set(1, Float.NaN);
        RegularizationPipeline pipeline = new RegularizationPipeline(List.of(weight, bias), List.of(), optimizer, true);
        NumericalFaultException e = assertThrows(NumericalFaultException.class, () -> pipeline.update(ctx));
        assertEquals(3, e.step());
        assertTrue(e.where().contains("dense1.weight.grad"), e.where());
        verify(optimizer, never()).step(anyList(), any());
    }

    @Test
    void theFirstParameterWithANonFiniteGradientIsNamedWhateverComesAfterIt() {
        Optimizer optimizer = mock(Optimizer.class);
        bias.grad().set(0, Float.POSITIVE_INFINITY);
        RegularizationPipeline pipeline = new RegularizationPipeline(List.of(weight, bias), List.of(), optimizer, true);
        NumericalFaultException e = assertThrows(NumericalFaultException.class, () -> pipeline.update(ctx));
        assertTrue(e.where().contains("dense1.bias.grad"), e.where());
        weight.grad().set(0, Float.NEGATIVE_INFINITY);
        e = assertThrows(NumericalFaultException.class, () -> pipeline.update(ctx));
        assertTrue(e.where().contains("dense1.weight.grad"), e.where());
        verify(optimizer, never()).step(anyList(), any());
        // the faulty steps left the norms as they were (none measured yet), all of them alike
        assertTrue(Double.isNaN(pipeline.lastGradientNorm()));
        for (double norm : pipeline.lastGradientNorms()) assertTrue(Double.isNaN(norm), "a norm of the faulty step was kept");
    }

    @Test
    void aSumOfSquaresThatOverflowsFromFiniteGradientsIsNoFault() {
        // kernels may sum squares in float: finite gradients can give an infinite sum, which the
        // check after backward tells apart from a NaN or Inf gradient by scanning
        Kernels kernels = spy(new ScalarKernels());
        doReturn(Double.POSITIVE_INFINITY).when(kernels).sumSquares(anyInt(), any(), anyInt());
        StepContext overflowing = new StepContext(Mode.TRAIN, 3, 1, 0.1, 42L, kernels);
        Optimizer optimizer = mock(Optimizer.class);
        RegularizationPipeline pipeline = new RegularizationPipeline(List.of(weight, bias), List.of(), optimizer, true);
        pipeline.update(overflowing);
        verify(optimizer).step(List.of(weight, bias), overflowing);
        verify(kernels).allFinite(weight.grad().size(), weight.grad().data(), 0);
        weight.grad().set(1, Float.NaN);
        NumericalFaultException e = assertThrows(NumericalFaultException.class, () -> pipeline.update(overflowing));
        assertTrue(e.where().contains("dense1.weight.grad"), e.where());
    }

    @Test
    void finiteGradientsAreNotScannedAgainAfterTheirNormsPass() {
        Kernels kernels = spy(new ScalarKernels());
        StepContext counted = new StepContext(Mode.TRAIN, 3, 1, 0.1, 42L, kernels);
        RegularizationPipeline pipeline = new RegularizationPipeline(List.of(weight, bias), List.of(), mock(Optimizer.class), true);
        pipeline.update(counted);
        verify(kernels, never()).allFinite(weight.grad().size(), weight.grad().data(), 0);
        verify(kernels, never()).allFinite(bias.grad().size(), bias.grad().data(), 0);
    }

    @Test
    void infProducedByAStageNamesThatStage() {
        ParameterRegularizer broken = regularizer(Stage.PROXIMAL, "broken()");
        org.mockito.Mockito.doAnswer(inv -> {
            weight.value().set(0, Float.POSITIVE_INFINITY);
            return null;
        }).when(broken).apply(weight, ctx);
        RegularizationPipeline pipeline = new RegularizationPipeline(List.of(weight), List.of(broken), mock(Optimizer.class), true);
        NumericalFaultException e = assertThrows(NumericalFaultException.class, () -> pipeline.update(ctx));
        assertTrue(e.getMessage().contains("PROXIMAL stage (broken())"), e.getMessage());
    }
}
