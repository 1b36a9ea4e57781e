package dev.regula.core.regularizer.activity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.regularizer.ActivityRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.layer.Dense;
import dev.regula.core.layer.ReLU;
import dev.regula.core.layer.Sequential;
import dev.regula.core.testing.GradientCheck;
import dev.regula.core.train.RegularizationPipeline;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivityRegularizationTest {
    private static ActivityRegularizer create(String spec) {
        return (ActivityRegularizer) Regularizers.installed().parse(spec);
    }

    /** Values with |x| ≥ 0.05 so that ±EPS never crosses the kink of |x|. */
    private static Tensor awayFromZero(long seed, int... shape) {
        Tensor t = GradientCheck.random(seed, 1.5f, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = Math.copySign(0.05f + Math.abs(d[i]), d[i]);
        return t;
    }

    @Test
    void inputGradientIncludesThePenaltyMatchesFiniteDifferences() {
        ActivityRegularizer r = create("activity(l1=0.3, l2=0.7)");
        Layer layer = r.newLayer("activity1");
        StepContext ctx = GradientCheck.train();
        Tensor x = awayFromZero(5, 4, 6);
        Tensor upstream = GradientCheck.random(7, 1f, 4, 6);
        layer.forward(x, ctx);
        float[] analytic = layer.backward(upstream, ctx).data().clone();
        float[] v = x.data();
        float eps = GradientCheck.EPS;
        for (int i = 0; i < v.length; i++) {
            float old = v[i];
            v[i] = old + eps;
            double plus = objective(layer, r, x, upstream, ctx);
            v[i] = old - eps;
            double minus = objective(layer, r, x, upstream, ctx);
            v[i] = old;
            double numeric = (plus - minus) / (2 * eps);
            assertEquals(numeric, analytic[i], GradientCheck.ATOL + GradientCheck.RTOL * Math.abs(numeric), "d/dx[" + i + "]");
        }
    }

    private static double objective(Layer layer, ActivityRegularizer r, Tensor x, Tensor upstream, StepContext ctx) {
        Tensor y = layer.forward(x, ctx);
        double s = 0;
        for (int i = 0; i < y.size(); i++) s += (double) y.get(i) * upstream.get(i);
        return s + r.lastPenalty();
    }

    @Test
    void penaltyAndGradientEqualTheKerasFormulaOnAHandComputedBatch() {
        // batch of 2 rows: a = [[1, -2], [0, 3]]; Σ|a| = 6, Σa² = 14; R = (0.5·6 + 0.25·14)/2 = 3.25
        ActivityRegularizer r = create("activity(l1=0.5, l2=0.25)");
        Layer layer = r.newLayer("activity1");
        StepContext ctx = GradientCheck.train();
        Tensor a = Tensor.of(new float[] {1, -2, 0, 3}, 2, 2);
        assertSame(a, layer.forward(a, ctx), "the forward is the identity");
        assertEquals(3.25, r.lastPenalty(), 1e-6);
        // ∂R/∂a = (0.5·sign(a) + 2·0.25·a)/2 = [[0.5, -0.75], [0, 1.0]]; sign(0) = 0
        Tensor g = layer.backward(Tensor.zeros(2, 2), ctx);
        assertArrayEquals(new float[] {0.5f, -0.75f, 0f, 1.0f}, g.data(), 1e-6f);
    }

    @Test
    void evalModeIsTheIdentityAndRecordsNothing() {
        ActivityRegularizer r = create("activity(l1=1)");
        Layer layer = r.newLayer("activity1");
        Tensor a = Tensor.of(new float[] {1, -2}, 1, 2);
        assertSame(a, layer.forward(a, StepContext.eval(GradientCheck.train().kernels())));
        assertEquals(0, r.lastPenalty());
        assertThrows(IllegalStateException.class, () -> layer.backward(Tensor.zeros(1, 2), GradientCheck.train()));
    }

    @Test
    void insertedAfterHiddenActivationsAndReportedAsAPenalty() {
        ActivityRegularizer r = create("activity(l2=0.1)");
        Sequential net = new Sequential("net", new int[] {3}, new Dense("dense1", 3, 4, 1), new ReLU("relu1"),
                new Dense("out", 4, 2, 2));
        Sequential with = net.withActivationRegularizers(List.of(r));
        assertEquals(List.of("dense1", "relu1", "activity1", "out"), with.layers().stream().map(Layer::name).toList());
        StepContext ctx = new StepContext(Mode.TRAIN, 0, 0, 0.1, 1, GradientCheck.train().kernels());
        with.forward(GradientCheck.random(3, 1f, 5, 3), ctx);
        RegularizationPipeline pipeline = new RegularizationPipeline(with.parameters(), List.of(r),
                dev.regula.api.optim.Optimizers.create("sgd(lr=0.1)"), true);
        double reported = pipeline.penalties(ctx).get(r.spec());
        assertTrue(reported > 0, "the activity penalty of the last training forward is reported, got " + reported);
        assertEquals(r.lastPenalty(), reported, 0);
    }

    @Test
    void negativeFactorsAreRefusedNamingTheKey() {
        SpecException e = assertThrows(SpecException.class, () -> create("activity(l1=-1)"));
        assertTrue(e.getMessage().contains("l1"), e.getMessage());
    }
}
