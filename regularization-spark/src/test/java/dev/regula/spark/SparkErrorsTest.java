package dev.regula.spark;

import dev.regula.api.RegulaException;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.OutputRegularizer;
import dev.regula.api.tensor.Tensor;
import java.util.List;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.core.data.Dataset;
import java.io.IOException;
import java.net.ServerSocket;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input fails at once, with a message that names what was wrong and what is allowed. */
class SparkErrorsTest {
    private static JavaSparkContext sc;
    private static final Dataset TRAIN = LocalSpark.data(40, 4, 1);

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("SparkErrorsTest");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void syncEveryBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainingConfig.builder()
                .model("linear").optimizer("sgd(lr=0.1)").syncEvery(0).build());
        assertTrue(e.getMessage().contains("syncEvery (K, local steps per synchronisation) must be >= 1, got 0"), e.getMessage());
    }

    /** Not serialisable: a worker could not receive it. */
    private static final class Holder {
    }

    @Test
    void aRegularizerThatCannotBeSerialisedIsNamed() {
        Holder captured = new Holder();
        RegularizerSource bad = () -> {
            captured.hashCode();
            return Regularizers.create("l2(lambda=1e-4)");
        };
        SparkTrainingConfig c = SparkTrainingConfig.builder().model("linear").optimizer("sgd(lr=0.1)")
                .regularizer("l1(lambda=1e-4)").regularizer(bad).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.forData(sc, c, TRAIN));
        assertTrue(e.getMessage().startsWith("regularizer #2"), e.getMessage());
        assertTrue(e.getMessage().contains(Holder.class.getName()), e.getMessage());
    }

    @Test
    void aModelThatCannotBeSerialisedIsNamed() {
        Holder captured = new Holder();
        ModelSource model = new ModelSource() {
            private final Holder held = captured;

            @Override
            public dev.regula.api.model.Model build(int[] inputShape, int outputs, long seed) {
                return ModelSource.spec("linear").build(inputShape, outputs, seed);
            }

            @Override
            public String describe() {
                return "my-model " + held;
            }
        };
        SparkTrainingConfig c = SparkTrainingConfig.builder().model(model).optimizer("sgd(lr=0.1)").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.forData(sc, c, TRAIN));
        assertTrue(e.getMessage().startsWith("the model my-model"), e.getMessage());
        assertTrue(e.getMessage().contains(Holder.class.getName()), e.getMessage());
    }

    @Test
    void anUnreachableMasterIsReportedAtOnce() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String master = "spark://127.0.0.1:" + port;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkMasters.checkReachable(master));
        assertTrue(e.getMessage().startsWith("cannot reach the Spark master " + master), e.getMessage());
        for (String bad : new String[] {"local[two]", "local[0]"}) {
            IllegalArgumentException local = assertThrows(IllegalArgumentException.class, () -> SparkMasters.checkReachable(bad));
            assertTrue(local.getMessage().contains("local, local[N] with N >= 1, local[*]"), local.getMessage());
        }
    }

    /** An output regularizer with a learnable parameter of its own (a learned output scale). */
    private static final class LearnedScale implements OutputRegularizer {
        private final Parameter scale = new Parameter("learned_scale", "value", ParameterRole.WEIGHT, Tensor.zeros(1));

        @Override
        public String name() {
            return "learned-scale";
        }

        @Override
        public String spec() {
            return "learned-scale()";
        }

        @Override
        public double apply(Tensor output, Tensor condition, Tensor gradOutput, StepContext ctx) {
            return 0;
        }

        @Override
        public List<Parameter> ownParameters() {
            return List.of(scale);
        }
    }

    @Test
    void outputRegularizersWithParametersOfTheirOwnAreRefusedByName() {
        SparkTrainingConfig c = SparkTrainingConfig.builder().model("linear").optimizer("sgd(lr=0.1)")
                .regularizer(LearnedScale::new).build();
        RegulaException e = assertThrows(RegulaException.class, () -> SparkTrainer.forData(sc, c, TRAIN));
        assertTrue(e.getMessage().contains("output regularizer learned-scale() learns parameters of its own"), e.getMessage());
    }

    @Test
    void fewerRowsThanWorkersIsRefused() {
        SparkTrainingConfig c = SparkTrainingConfig.builder().model("linear").optimizer("sgd(lr=0.1)").workers(50).build();
        try (SparkTrainer t = SparkTrainer.forData(sc, c, TRAIN)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(TRAIN, null));
            assertTrue(e.getMessage().contains("fewer than the 50 workers"), e.getMessage());
        }
    }
}
