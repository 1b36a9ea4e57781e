package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Batches;
import dev.regula.core.data.Dataset;
import dev.regula.core.layer.Sequential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trainer runs every batch through {@link TrainingStep}: a hand loop over the step gives the same bits. */
class TrainingStepTest {
    private static final String[] REGULARIZERS = {"l1(lambda=1e-4)", "dropout(p=0.2)", "drop-connect(p=0.1)",
        "weight-decay(lambda=1e-3)", "max-norm(max=3)", "mixup(alpha=0.2)", "clip-norm(max=5)"};

    private static TrainingConfig config() {
        TrainingConfig.Builder b = TrainerTest.config().epochs(3);
        for (String r : REGULARIZERS) b.regularizer(r);
        return b.build();
    }

    @Test
    void trainerEqualsAHandLoopOverTheStep() {
        Dataset train = TrainerTest.blobs(100, 1);
        Model a = TrainerTest.mlp(3);
        new Trainer(a, config()).fit(train, null);

        Model b = TrainerTest.mlp(3);
        TrainingConfig c = config();
        RegularizationPipeline pipeline = new RegularizationPipeline(b.parameters(), c.regularizers(), c.optimizer(), true);
        Model net = ((Sequential) b).withActivationRegularizers(pipeline.activationRegularizers());
        TrainingStep step = new TrainingStep(pipeline);
        long s = 0;
        for (int epoch = 0; epoch < c.epochs(); epoch++) {
            Batches batches = new Batches(train.size(), c.batchSize(), c.seed(), c.shuffle());
            int[] order = batches.order(epoch);
            for (int i = 0; i < batches.count(); i++) {
                Dataset batch = train.batch(order, batches.from(i), batches.to(i), c.kernels());
                double lr = c.optimizer().learningRate().valueAt(s, epoch);
                StepContext ctx = new StepContext(Mode.TRAIN, s, epoch, lr, c.seed(), c.kernels());
                assertTrue(step.step(net, c.loss(), batch.features(), batch.labels(), ctx, c.nanPolicy(), false).applied());
                s++;
            }
        }
        List<float[]> expected = TrainerTest.values(a);
        List<float[]> got = TrainerTest.values(b);
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), got.get(i), "parameter " + i);
    }

    /** Phase (a) then phase (b) on the same gradients is the whole step; phase (a) alone changes no value. */
    @Test
    void theTwoPhasesComposeToTheWholeStep() {
        Dataset train = TrainerTest.blobs(32, 2);
        TrainingConfig c1 = TrainerTest.config().regularizer("l2(lambda=1e-3)").build();
        TrainingConfig c2 = TrainerTest.config().regularizer("l2(lambda=1e-3)").build();
        Model m1 = TrainerTest.mlp(4);
        Model m2 = TrainerTest.mlp(4);
        TrainingStep whole = new TrainingStep(new RegularizationPipeline(m1.parameters(), c1.regularizers(), c1.optimizer(), true));
        TrainingStep split = new TrainingStep(new RegularizationPipeline(m2.parameters(), c2.regularizers(), c2.optimizer(), true));
        StepContext ctx = new StepContext(Mode.TRAIN, 0, 0, 0.05, 7, c1.kernels());
        whole.step(m1, c1.loss(), train.features().copy(), train.labels(), ctx, NanPolicy.STOP, false);

        List<float[]> before = TrainerTest.values(m2);
        TrainingStep.Gradients g = split.computeGradients(m2, c2.loss(), train.features().copy(), train.labels(), ctx);
        assertTrue(g.finite());
        List<float[]> afterPhaseA = TrainerTest.values(m2);
        for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), afterPhaseA.get(i));
        // a driver would average workers' gradients here; one worker's average is its own
        List<Tensor> grads = new ArrayList<>();
        for (Parameter p : m2.parameters()) grads.add(p.grad().copy());
        for (int i = 0; i < grads.size(); i++) m2.parameters().get(i).grad().copyFrom(grads.get(i));
        split.applyUpdate(ctx);
        List<float[]> w = TrainerTest.values(m1);
        List<float[]> v = TrainerTest.values(m2);
        boolean changed = false;
        for (int i = 0; i < w.size(); i++) {
            assertArrayEquals(w.get(i), v.get(i));
            changed |= !java.util.Arrays.equals(before.get(i), v.get(i));
        }
        assertTrue(changed, "the update must change the parameters");
        assertFalse(Double.isNaN(split.pipeline().lastGradientNorm()));
    }
}
