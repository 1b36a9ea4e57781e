package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Evaluation with averaged weights: the averages are used, and the live weights come back. */
class EvalWeightsTest {
    @Test
    void evaluatesWithTheAverageAndRestoresTheLiveWeights() {
        Dataset train = TrainerTest.blobs(300, 1);
        Dataset test = TrainerTest.blobs(150, 2);
        Trainer t = new Trainer(TrainerTest.mlp(3), TrainerTest.config().epochs(3).regularizer("ema(decay=0.9)")
                .regularizer("swa(start_epoch=1)").build());
        t.fit(train, test);
        List<float[]> live = TrainerTest.values(t.model());
        Trainer.Evaluation liveEval = t.evaluate(test);
        Tensor liveOut = t.predict(test.features());

        WeightAverager ema = t.pipeline().weightAverager("ema").orElseThrow();
        t.evaluateWith(EvalWeights.EMA);
        Trainer.Evaluation emaEval = t.evaluate(test);
        Tensor emaOut = t.predict(test.features());
        assertArrayEquals(live.toArray(), TrainerTest.values(t.model()).toArray(), "live weights restored after evaluation");

        // the same numbers as a model whose weights are the averages
        Model copy = TrainerTest.mlp(3);
        for (int i = 0; i < copy.parameters().size(); i++) {
            Parameter p = copy.parameters().get(i);
            p.value().copyFrom(ema.average(t.model().parameters().get(i)).orElseThrow());
        }
        Tensor expected = copy.forward(test.features(), dev.regula.api.StepContext.eval(t.config().kernels()));
        assertArrayEquals(expected.data(), emaOut.data());
        assertNotEquals(liveOut.data()[0], emaOut.data()[0], "the average differs from the live weights");
        assertTrue(emaEval.accuracy() > 0.8, "EMA weights of a separable problem classify it: " + emaEval);

        t.evaluateWith(EvalWeights.SWA);
        assertTrue(t.evaluate(test).accuracy() > 0.8);
        t.evaluateWith(EvalWeights.LIVE);
        assertEquals(liveEval, t.evaluate(test));
    }

    @Test
    void refusesWeightsTheRunDoesNotAverage() {
        Trainer t = new Trainer(TrainerTest.mlp(3), TrainerTest.config().regularizer("ema()").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.evaluateWith(EvalWeights.SWA));
        assertTrue(e.getMessage().contains("swa(") && e.getMessage().contains("ema("), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EvalWeights.parse("average"));
        assertEquals(EvalWeights.SWA, EvalWeights.parse("SWA"));
    }

    @Test
    void averagingDoesNotChangeTraining() {
        Dataset train = TrainerTest.blobs(120, 1);
        Trainer plain = new Trainer(TrainerTest.mlp(3), TrainerTest.config().epochs(2).build());
        plain.fit(train, null);
        Trainer averaged = new Trainer(TrainerTest.mlp(3), TrainerTest.config().epochs(2).regularizer("ema()").regularizer("swa(start_epoch=0)").build());
        averaged.fit(train, null);
        assertArrayEquals(TrainerTest.values(plain.model()).toArray(), TrainerTest.values(averaged.model()).toArray());
    }
}
