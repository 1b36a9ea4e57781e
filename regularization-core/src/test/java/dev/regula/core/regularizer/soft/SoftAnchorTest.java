package dev.regula.core.regularizer.soft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.LearnableRegularizer;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.tensor.Tensor;
import dev.regula.api.regularizer.AnchoredRegularizer;
import dev.regula.core.testing.GradientCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoftAnchorTest {
    private final StepContext ctx = GradientCheck.train();

    private static Parameter weight(long seed) {
        return new Parameter("dense1", "weight", ParameterRole.WEIGHT, GradientCheck.random(seed, 1f, 3, 4));
    }

    private static Regularizer create(String spec) {
        return Regularizers.installed().parse(spec);
    }

    @Test
    void capturesInitialWeightsThenPenalisesTheDistance() {
        SoftAnchor r = (SoftAnchor) create("soft-anchor(lambda=0.5)");
        assertFalse(r instanceof LearnableRegularizer);
        Parameter p = weight(1);
        Tensor init = p.value().copy();
        assertEquals(0.0, r.penalty(p, ctx), "θ = θ₀ at capture");
        Tensor moved = GradientCheck.random(2, 1f, 3, 4);
        p.value().copyFrom(moved);
        double expected = 0;
        for (int i = 0; i < init.size(); i++) expected += Math.pow(moved.get(i) - init.get(i), 2);
        assertEquals(0.25 * expected, r.penalty(p, ctx), 1e-5);
        assertArrayEquals(init.data(), r.anchor("dense1.weight").orElseThrow().data());
        GradientCheck.checkPenalty(r, p, ctx);
    }

    @Test
    void zeroAnchorIsL2() {
        SoftAnchor r = (SoftAnchor) create("soft-anchor(lambda=0.2, to=zero)");
        Parameter p = weight(3);
        double sq = 0;
        for (float v : p.value().data()) sq += v * v;
        assertEquals(0.1 * sq, r.penalty(p, ctx), 1e-6);
        GradientCheck.checkPenalty(r, p, ctx);
    }

    @Test
    void pretrainedAnchorsAreCopiedAndShapeChecked() {
        AnchoredRegularizer r = (AnchoredRegularizer) create("soft-anchor(lambda=1)");
        Tensor pretrained = GradientCheck.random(4, 1f, 3, 4);
        r.setAnchors(Map.of("dense1.weight", pretrained));
        pretrained.fill(100f); // the anchor is a copy
        Parameter p = weight(5);
        Tensor expectedAnchor = GradientCheck.random(4, 1f, 3, 4);
        double expected = 0;
        for (int i = 0; i < p.size(); i++) expected += Math.pow(p.value().get(i) - expectedAnchor.get(i), 2);
        assertEquals(0.5 * expected, r.penalty(p, ctx), 1e-5);
        GradientCheck.checkPenalty(r, p, ctx);

        r.setAnchor("dense1.weight", Tensor.zeros(4, 3));
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> r.penalty(p, ctx));
        assertTrue(e.getMessage().contains("dense1.weight"), e.getMessage());
    }

    @Test
    void learnableAnchorHasCorrectGradientAndMovesTowardTheWeights() {
        Regularizer created = create("soft-anchor(lambda=0.5, to=zero, anchor_lr=0.1)");
        LearnableRegularizer r = assertInstanceOf(LearnableRegularizer.class, created);
        Parameter p = weight(6);
        GradientCheck.checkPenalty(r, p, ctx); // creates the anchor, θ-gradient right
        Parameter anchor = r.ownParameters().get(0);
        assertEquals("soft-anchor.dense1.weight", anchor.name());
        assertEquals(ParameterRole.OTHER, anchor.role());
        anchor.value().copyFrom(GradientCheck.random(7, 1f, 3, 4));

        // Finite differences with respect to θ₀.
        anchor.zeroGrad();
        r.apply(p, ctx);
        float[] g = anchor.grad().data().clone();
        float[] a = anchor.value().data();
        for (int i = 0; i < a.length; i++) {
            float old = a[i];
            a[i] = old + GradientCheck.EPS;
            double plus = r.penalty(p, ctx);
            a[i] = old - GradientCheck.EPS;
            double minus = r.penalty(p, ctx);
            a[i] = old;
            assertEquals((plus - minus) / (2 * GradientCheck.EPS), g[i], 2e-3 + 2e-2 * Math.abs(g[i]), "dθ₀[" + i + "]");
        }

        ((AnchoredRegularizer) r).setAnchor("dense1.weight", anchor.value().copy());
        assertEquals(List.of(anchor), r.ownParameters(), "setting an anchor keeps the own parameter");

        double before = r.penalty(p, ctx);
        r.updateOwnParameters(ctx);
        assertTrue(r.penalty(p, ctx) < before, "updating θ₀ lowers the penalty");
        for (float x : anchor.grad().data()) assertEquals(0f, x, "own gradients are zeroed");
    }
}
