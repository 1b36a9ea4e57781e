package dev.regula.gan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.NumericalFaultException;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.testing.TestKernels;
import dev.regula.gan.eval.GanEvaluator;
import dev.regula.gan.faces.FaceDataset;
import dev.regula.gan.faces.SyntheticFaces;
import dev.regula.gan.faces.FaceAttributes;
import dev.regula.gan.features.AttributeProbe;
import dev.regula.gan.prior.FacePrior;
import dev.regula.gan.prior.PriorGuidedPenalty;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GanTrainerTest {
    private static final int SIZE = 16;
    private static final int LATENT = 8;
    private static final int WIDTH = 8;
    private static final FaceDataset FACES = SyntheticFaces.generate(96, SIZE, 3);
    private static final AttributeProbe PHI = FacePrior.probe(SyntheticFaces.generate(512, SIZE, 4), FaceAttributes.BINARY_NAMES);
    private static final Tensor C = FACES.labels();

    private static GanTrainer trainer(Double lambda, long seed) {
        return trainer(lambda, seed, List.of());
    }

    private static GanTrainer trainer(Double lambda, long seed, List<String> dRegularizers) {
        return builder(lambda, seed, dRegularizers).build();
    }

    private static GanTrainer.Builder builder(Double lambda, long seed, List<String> dRegularizers) {
        return GanTrainer.builder(Dcgan.generator(SIZE, LATENT, PHI.dimension(), WIDTH, seed),
                        Dcgan.conditionalDiscriminator(SIZE, WIDTH, PHI.dimension(), seed))
                .latent(LATENT)
                .penalty(lambda == null ? null : new PriorGuidedPenalty(Schedule.constant(lambda), PHI))
                .discriminatorRegularizers(dRegularizers.stream().map(Regularizers::create).toList())
                .seed(seed)
                .kernels(TestKernels.selected());
    }

    /** Batch b: faces [b·n, (b+1)·n) of the first 64, cycling. */
    private static GanStep step(GanTrainer t, int b, int n) {
        int from = (b * n) % 64;
        int[] idx = FaceCaseStudy.range(64);
        idx = Arrays.copyOfRange(idx, from, from + n);
        return t.step(FaceCaseStudy.rows(FACES.images(), idx), FaceCaseStudy.rows(C, idx), 0);
    }

    private static float[][] values(GanTrainer t) {
        List<Parameter> all = new java.util.ArrayList<>(t.generator().parameters());
        all.addAll(t.discriminator().parameters());
        return all.stream().map(p -> p.value().data().clone()).toArray(float[][]::new);
    }

    @Test
    void lambdaZeroReproducesTheUnpenalisedRunBitForBit() {
        GanTrainer none = trainer(null, 5);
        GanTrainer zero = trainer(0.0, 5);
        GanTrainer one = trainer(1.0, 5);
        for (int b = 0; b < 3; b++) {
            GanStep a = step(none, b, 8);
            GanStep z = step(zero, b, 8);
            step(one, b, 8);
            assertEquals(a.generatorLoss(), z.generatorLoss(), 0.0);
            assertEquals(0.0, z.penalty(), 0.0);
        }
        float[][] n = values(none);
        float[][] z = values(zero);
        float[][] o = values(one);
        boolean differs = false;
        for (int i = 0; i < n.length; i++) {
            assertArrayEquals(n[i], z[i], 0f, "parameter " + i);
            differs |= !Arrays.equals(n[i], o[i]);
        }
        assertTrue(differs, "lambda = 1 must change the generator, or the test proves nothing");
    }

    @Test
    void sameSeedSameParametersDifferentSeedDifferent() {
        GanTrainer a = trainer(1.0, 9);
        GanTrainer b = trainer(1.0, 9);
        GanTrainer c = trainer(1.0, 10);
        for (int i = 0; i < 2; i++) {
            step(a, i, 8);
            step(b, i, 8);
            step(c, i, 8);
        }
        assertTrue(Arrays.deepEquals(values(a), values(b)));
        assertFalse(Arrays.deepEquals(values(a), values(c)));
    }

    @Test
    void thePenaltyTeachesTheGeneratorToFollowTheCondition() {
        // Held-out conditions: faces 64..95, never used in training.
        int[] held = Arrays.copyOfRange(FaceCaseStudy.range(96), 64, 96);
        Tensor heldC = FaceCaseStudy.rows(C, held);
        Tensor z = GanTrainer.latents(1, "held", 0, held.length, LATENT);
        // A higher learning rate than DCGAN's keeps the test short.
        String adam = "adam(lr=1e-3, beta1=0.5)";
        GanTrainer plain = builder(0.0, 4, List.of()).generatorOptimizer(adam).discriminatorOptimizer(adam).build();
        GanTrainer guided = builder(2.0, 4, List.of()).generatorOptimizer(adam).discriminatorOptimizer(adam).build();
        assertEquals(0, plain.discriminator().conditionDim() - PHI.dimension(), "the test runs the projection discriminator");
        double start = GanEvaluator.featureError(PHI.extract(guided.generate(z, heldC)), heldC);
        for (int b = 0; b < 60; b++) {
            step(plain, b, 16);
            step(guided, b, 16);
        }
        double plainError = GanEvaluator.featureError(PHI.extract(plain.generate(z, heldC)), heldC);
        double guidedError = GanEvaluator.featureError(PHI.extract(guided.generate(z, heldC)), heldC);
        assertTrue(guidedError < 0.75 * start, "feature error should fall well below its start " + start + ": " + guidedError);
        assertTrue(guidedError < 0.8 * plainError, "lambda = 2 should beat lambda = 0 (" + plainError + "): " + guidedError);
    }

    @Test
    void stepReportsLossesAndScores() {
        GanStep s = step(trainer(1.0, 2), 0, 8);
        assertEquals(1, s.step());
        assertEquals(2 * Math.log(2), s.discriminatorLoss(), 0.05, "D starts near chance");
        assertTrue(s.penalty() > 0 && s.featureError() > 0);
        assertTrue(s.realScore() > 0 && s.realScore() < 1 && s.fakeScore() > 0 && s.fakeScore() < 1);
        assertTrue(Double.isNaN(step(trainer(null, 2), 0, 8).featureError()), "no penalty, no feature error");
    }

    @Test
    void theDiversityTermChangesTrainingAndReportsItsPairs() {
        assertTrue(Double.isNaN(step(trainer(0.0, 6), 0, 8).pairRatio()), "no term, no pair ratio");
        // a cap no pair stays under: the same pairing of conditions, no gradient from the term
        GanTrainer pairedOnly = builder(0.0, 6, List.of()).diversity(new DiversityTerm(0.3, 1e-12)).build();
        GanTrainer diverse = builder(0.0, 6, List.of()).diversity(new DiversityTerm(0.3, DiversityTerm.DEFAULT_CAP)).build();
        GanStep p = step(pairedOnly, 0, 8);
        GanStep d = step(diverse, 0, 8);
        assertTrue(d.pairRatio() > 0 && d.pairRatio() < DiversityTerm.DEFAULT_CAP, "pair ratio " + d.pairRatio() + " below the cap");
        assertEquals(1e-12, p.pairRatio(), 1e-24);
        assertFalse(Arrays.deepEquals(values(pairedOnly), values(diverse)), "the term's gradient reaches the generator");
        // with the prior at λ = 0 the run is the one without a prior penalty, the term on or off
        GanTrainer noPrior = builder(null, 6, List.of()).diversity(new DiversityTerm(0.3, DiversityTerm.DEFAULT_CAP)).build();
        step(noPrior, 0, 8);
        assertTrue(Arrays.deepEquals(values(noPrior), values(diverse)), "lambda = 0 with the term reproduces no prior with it");
    }

    @Test
    void discriminatorRegularizersRunInItsPipeline() {
        GanTrainer t = trainer(0.0, 3, List.of("spectral-norm(max=0.01, iterations=50)"));
        step(t, 0, 8);
        Parameter w = t.discriminator().parameters().stream().filter(p -> p.name().equals("d_conv2.weight")).findFirst().orElseThrow();
        double sq = 0;
        for (float v : w.value().data()) sq += v * v;
        // The Frobenius norm bounds the spectral norm from above; N(0, 0.02) init is far above 0.01.
        assertTrue(Math.sqrt(sq) < 1.01 * 0.01 * Math.sqrt(Math.min(w.value().dim(0), w.size() / w.value().dim(0))),
                "spectral-norm(max=0.01) must have shrunk " + w.name() + ", Frobenius norm " + Math.sqrt(sq));
    }

    @Test
    void nanInTheDataIsReportedWithStepAndPlace() {
        GanTrainer t = trainer(1.0, 2);
        step(t, 0, 8);
        Tensor real = FaceCaseStudy.rows(FACES.images(), FaceCaseStudy.range(8));
        real.set(5, Float.NaN);
        NumericalFaultException e = assertThrows(NumericalFaultException.class,
                () -> t.step(real, FaceCaseStudy.rows(C, FaceCaseStudy.range(8)), 0));
        assertEquals(1, e.step());
        assertTrue(e.where().contains("discriminator loss"), e.where());
    }

    @Test
    void shapeErrorsSayWhatIsExpected() {
        GanTrainer t = trainer(1.0, 2);
        Tensor real = FaceCaseStudy.rows(FACES.images(), FaceCaseStudy.range(8));
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> t.step(real, Tensor.zeros(8, 3), 0));
        assertTrue(e.getMessage().contains("[8, " + PHI.dimension() + "]"), e.getMessage());
        ShapeMismatchException wrongPenalty = assertThrows(ShapeMismatchException.class,
                () -> GanTrainer.builder(Dcgan.generator(32, LATENT, PHI.dimension(), WIDTH, 1),
                                Dcgan.conditionalDiscriminator(32, WIDTH, PHI.dimension(), 1))
                        .latent(LATENT).penalty(new PriorGuidedPenalty(Schedule.constant(1), PHI))
                        .kernels(TestKernels.selected()).build());
        assertTrue(wrongPenalty.getMessage().contains("16x16"), wrongPenalty.getMessage());
    }

    /** A soft weight sharing on each network keeps both mixtures under one name: refused as the trainer is built. */
    @Test
    void regularizersOfBothNetworksUnderOneParameterNameAreRefusedBeforeAnyStep() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder(null, 1, List.of("soft-weight-sharing(lambda=1e-5)"))
                        .generatorRegularizers(List.of(Regularizers.create("soft-weight-sharing(lambda=1e-5)"))).build());
        assertTrue(e.getMessage().contains("the parts g/ and d/ both hold a parameter named 'soft-weight-sharing."), e.getMessage());
    }

    @Test
    void aDiscriminatorWithBatchStatisticsIsRefused() {
        var d = new dev.regula.core.layer.Sequential("discriminator", new int[] {3, SIZE, SIZE},
                new dev.regula.core.layer.BatchNorm("d_bn", 3), new dev.regula.core.layer.Flatten("d_flat"),
                new dev.regula.core.layer.Dense("d_logit", 3 * SIZE * SIZE, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GanTrainer.builder(Dcgan.generator(SIZE, LATENT, PHI.dimension(), WIDTH, 1), d).latent(LATENT)
                        .kernels(TestKernels.selected()).build());
        assertTrue(e.getMessage().contains("BatchNorm"), e.getMessage());
    }

    @Test
    void lambdaZeroWithALearnablePriorAlsoReproducesTheUnpenalisedRun() {
        GanTrainer none = trainer(null, 5);
        GanTrainer zero = builder(null, 5, List.of())
                .penalty(new PriorGuidedPenalty(Schedule.constant(0), PHI, true, 0.1)).build();
        for (int b = 0; b < 3; b++) {
            step(none, b, 8);
            step(zero, b, 8);
        }
        assertTrue(Arrays.deepEquals(values(none), values(zero)));
    }

    /**
     * Step of the discriminator's central differences: small, because on rendered faces some of
     * D's pre-activations lie near the kink of its leaky ReLUs, and a step of 1e-2 straddled one
     * (float rounding of the weighted sum stays below 1e-6, so the quotient's error stays under
     * 3e-4, within the tolerance).
     */
    private static final float D_STEP = 2e-3f;

    @org.junit.jupiter.params.ParameterizedTest(name = "minibatch stddev group {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 2})
    void projectionDiscriminatorGradientsMatchFiniteDifferences(int minibatchGroup) {
        ProjectionDiscriminator d = Dcgan.conditionalDiscriminator(SIZE, WIDTH, PHI.dimension(), minibatchGroup, 3);
        dev.regula.api.StepContext ctx = new dev.regula.api.StepContext(dev.regula.api.Mode.TRAIN, 0, 0, 0, 1, TestKernels.selected());
        Tensor x = FaceCaseStudy.rows(FACES.images(), FaceCaseStudy.range(4));
        Tensor c = FaceCaseStudy.rows(C, FaceCaseStudy.range(4));
        Tensor weights = Tensor.wrap(new float[] {0.7f, -1.3f, 0.4f, 0.9f}, 4, 1);
        for (Parameter p : d.parameters()) p.zeroGrad();
        d.forward(x, c, ctx);
        Tensor gx = d.backward(weights, ctx).copy();
        Parameter embed = d.parameters().getLast();
        assertEquals("d_embed.weight", embed.name());
        List<Parameter> checked = List.of(embed, d.parameters().getFirst());
        List<float[]> grads = checked.stream().map(p -> p.grad().data().clone()).toList(); // before any other pass
        for (int q = 0; q < checked.size(); q++) {
            Parameter p = checked.get(q);
            float[] v = p.value().data();
            float[] analytic = grads.get(q);
            for (int i = 0; i < v.length; i += Math.max(1, v.length / 7)) {
                float old = v[i];
                v[i] = old + D_STEP;
                double up = weighted(d, x, c, weights, ctx);
                v[i] = old - D_STEP;
                double down = weighted(d, x, c, weights, ctx);
                v[i] = old;
                assertEquals((up - down) / (2 * D_STEP), analytic[i], 2e-3 + 2e-2 * Math.abs(analytic[i]), p.name() + "[" + i + "]");
            }
        }
        float[] xs = x.data();
        for (int i = 0; i < xs.length; i += 97) {
            float old = xs[i];
            xs[i] = old + D_STEP;
            double up = weighted(d, x, c, weights, ctx);
            xs[i] = old - D_STEP;
            double down = weighted(d, x, c, weights, ctx);
            xs[i] = old;
            assertEquals((up - down) / (2 * D_STEP), gx.get(i), 2e-3 + 2e-2 * Math.abs(gx.get(i)), "x[" + i + "]");
        }
    }

    private static double weighted(ProjectionDiscriminator d, Tensor x, Tensor c, Tensor w, dev.regula.api.StepContext ctx) {
        Tensor out = d.forward(x, c, ctx);
        d.backward(Tensor.zeros(out.shape()), ctx); // keep every forward paired with a backward
        double s = 0;
        for (int i = 0; i < out.size(); i++) s += (double) out.get(i) * w.get(i);
        return s;
    }

    @Test
    void aDiscriminatorWithMinibatchStddevTrainsWithR1AndScoresRealAndFakeApart() {
        GanTrainer t = GanTrainer.builder(Dcgan.generator(SIZE, LATENT, PHI.dimension(), WIDTH, 4),
                        Dcgan.conditionalDiscriminator(SIZE, WIDTH, PHI.dimension(), 4, 4))
                .latent(LATENT).r1(2.0, 2).seed(4).kernels(TestKernels.selected()).build();
        for (int b = 0; b < 4; b++) {
            GanStep s = step(t, b, 8);
            assertTrue(Double.isFinite(s.discriminatorLoss()) && Double.isFinite(s.generatorLoss()) && Double.isFinite(s.r1()), s.toString());
        }
        // real and fake in one batch of D: the real images' scores are those of the real images alone
        ProjectionDiscriminator d = t.discriminator();
        Tensor real = FaceCaseStudy.rows(FACES.images(), FaceCaseStudy.range(8));
        Tensor c8 = FaceCaseStudy.rows(C, FaceCaseStudy.range(8));
        Tensor fake = t.generate(GanTrainer.latents(9, "t", 0, 8, LATENT), c8);
        dev.regula.api.StepContext eval = dev.regula.api.StepContext.eval(TestKernels.selected());
        float[] both = d.forward(GanTrainer.concatRows(real, fake), GanTrainer.concatRows(c8, c8), eval).data();
        float[] alone = d.forward(real, c8, eval).data();
        assertArrayEquals(alone, Arrays.copyOf(both, 8));
        GanTrainer odd = GanTrainer.builder(Dcgan.generator(SIZE, LATENT, PHI.dimension(), WIDTH, 4),
                        Dcgan.conditionalDiscriminator(SIZE, WIDTH, PHI.dimension(), 4, 4))
                .latent(LATENT).seed(4).kernels(TestKernels.selected()).build();
        dev.regula.api.ShapeMismatchException e = assertThrows(dev.regula.api.ShapeMismatchException.class, () -> step(odd, 0, 6));
        assertTrue(e.getMessage().contains("multiple of the group size 4"), e.getMessage());
    }

    /**
     * D scores real and fake images in one batch: with a minibatch standard-deviation group of 4, a
     * batch of 6 makes 12 rows, three whole groups, one of them mixing real and generated images.
     * The step refuses it before D's update, so nothing changes.
     */
    @Test
    void aBatchThatIsNoMultipleOfDsGroupIsRefusedBeforeAnythingChanges() {
        GanTrainer odd = GanTrainer.builder(Dcgan.generator(SIZE, LATENT, PHI.dimension(), WIDTH, 4),
                        Dcgan.conditionalDiscriminator(SIZE, WIDTH, PHI.dimension(), 4, 4))
                .latent(LATENT).seed(4).kernels(TestKernels.selected()).build();
        float[][] before = values(odd);
        dev.regula.api.ShapeMismatchException e = assertThrows(dev.regula.api.ShapeMismatchException.class, () -> step(odd, 0, 6));
        assertTrue(e.getMessage().contains("the batch of real images (6) must be a multiple of the group size 4 of the"
                + " discriminator's d_mbstd"), e.getMessage());
        assertTrue(Arrays.deepEquals(before, values(odd)), "no parameter changed");
        assertEquals(0, odd.step());
    }

    /** The R1 parameter gradient from two backward passes equals the finite difference of R1 itself. */
    @Test
    void r1GradientMatchesFiniteDifferencesOfThePenalty() {
        // A smooth D (tanh), so that R1 is differentiable in θ and its finite differences are meaningful.
        var trunk = new dev.regula.core.layer.Sequential("discriminator", new int[] {3, SIZE, SIZE},
                new dev.regula.core.layer.Flatten("d_flat"), new dev.regula.core.layer.Dense("d_a", 3 * SIZE * SIZE, 8, 1),
                new dev.regula.core.layer.Tanh("d_t1"), new dev.regula.core.layer.Dense("d_b", 8, 8, 2),
                new dev.regula.core.layer.Tanh("d_t2"));
        ProjectionDiscriminator d = ProjectionDiscriminator.conditional(trunk, PHI.dimension(), 5);
        for (Parameter p : d.parameters().subList(d.parameters().size() - 3, d.parameters().size())) {
            for (int i = 0; i < p.size(); i++) p.value().data()[i] *= 20; // head and projection of order 1, as after training
        }
        dev.regula.api.StepContext ctx = new dev.regula.api.StepContext(dev.regula.api.Mode.TRAIN, 0, 0, 0, 1, TestKernels.selected());
        Tensor x = FaceCaseStudy.rows(FACES.images(), FaceCaseStudy.range(4));
        Tensor c = FaceCaseStudy.rows(C, FaceCaseStudy.range(4));
        double gamma = 3;
        double r1 = R1Penalty.writeGradient(d, x, c, gamma, ctx);
        assertTrue(r1 > 0);
        List<Parameter> checked = List.of(d.parameters().getFirst(), d.parameters().getLast());
        List<float[]> grads = checked.stream().map(p -> p.grad().data().clone()).toList(); // before any other pass
        for (int q = 0; q < checked.size(); q++) {
            Parameter p = checked.get(q);
            float[] analytic = grads.get(q);
            float[] v = p.value().data();
            for (int i = 0, n = 0; i < v.length && n < 8; i += Math.max(1, v.length / 8), n++) {
                float old = v[i];
                v[i] = old + 1e-3f;
                double up = r1Value(d, x, c, gamma, ctx);
                v[i] = old - 1e-3f;
                double down = r1Value(d, x, c, gamma, ctx);
                v[i] = old;
                double numeric = (up - down) / 2e-3;
                assertEquals(numeric, analytic[i], 0.05 * Math.abs(numeric) + 1e-3 * r1, p.name() + "[" + i + "]");
            }
        }
    }

    private static double r1Value(ProjectionDiscriminator d, Tensor x, Tensor c, double gamma, dev.regula.api.StepContext ctx) {
        Tensor g = R1Penalty.inputGradient(d, x, c, ctx);
        double sq = 0;
        for (int i = 0; i < g.size(); i++) sq += (double) g.get(i) * g.get(i);
        return 0.5 * gamma * sq / x.dim(0);
    }

    @Test
    void r1RunsLazilyAndIsReported() {
        GanTrainer t = builder(1.0, 7, List.of()).r1(10, 2).build();
        GanStep first = step(t, 0, 8);
        assertTrue(first.r1() > 0 && Double.isFinite(first.r1()), "R1 at step 0: " + first.r1());
        assertTrue(Double.isNaN(step(trainer(1.0, 7), 0, 8).r1()), "no R1, no value");
        GanTrainer off = builder(1.0, 7, List.of()).build();
        GanTrainer on = builder(1.0, 7, List.of()).r1(10, 2).build();
        step(off, 0, 8);
        step(on, 0, 8);
        assertFalse(Arrays.deepEquals(values(off), values(on)), "R1 must change D's update");
    }

    @Test
    void checkpointRestoresTheGeneratorExactly(@TempDir Path dir) throws Exception {
        GanTrainer t = trainer(1.0, 6);
        for (int b = 0; b < 3; b++) step(t, b, 8);
        Tensor z = GanTrainer.latents(1, "ckpt", 0, 4, LATENT);
        Tensor c = FaceCaseStudy.rows(C, FaceCaseStudy.range(4));
        Tensor before = t.generate(z, c);
        Path file = dir.resolve("gan.safetensors");
        GanCheckpoint.save(file, t.generator(), t.discriminator(), java.util.Map.of("lambda", "1"));

        GanTrainer fresh = trainer(1.0, 99);
        assertFalse(Arrays.equals(before.data(), fresh.generate(z, c).data()));
        java.util.Map<String, String> meta = GanCheckpoint.restore(file, fresh.generator(), fresh.discriminator());
        assertEquals("1", meta.get("lambda"));
        assertArrayEquals(before.data(), fresh.generate(z, c).data(), 0f, "EVAL output uses the restored running statistics too");
        assertTrue(Arrays.deepEquals(values(t), values(fresh)));
    }

    @Test
    void r1AsARegularizerSpecIsTheBuilderR1BitForBit() {
        GanTrainer builderR1 = builder(1.0, 7, List.of()).r1(10, 2).build();
        GanTrainer specR1 = trainer(1.0, 7, List.of("r1(gamma=10, every=2)"));
        for (int b = 0; b < 3; b++) {
            GanStep a = step(builderR1, b, 8);
            GanStep c = step(specR1, b, 8);
            assertEquals(a.r1(), c.r1(), 0.0, "step " + b);
        }
        assertTrue(Arrays.deepEquals(values(builderR1), values(specR1)));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> builder(1.0, 7, List.of("r1(gamma=10)")).r1(10, 2).build());
        assertTrue(twice.getMessage().contains("R1 is given twice"), twice.getMessage());
        IllegalArgumentException onG = assertThrows(IllegalArgumentException.class, () -> builder(1.0, 7, List.of())
                .generatorRegularizers(List.of(Regularizers.create("r2(gamma=1)"))).build());
        assertTrue(onG.getMessage().contains("--d-reg"), onG.getMessage());
    }

    /** A smooth D (tanh) whose R2 is differentiable in θ, with head and projection of order 1. */
    private static ProjectionDiscriminator smoothDiscriminator() {
        var trunk = new dev.regula.core.layer.Sequential("discriminator", new int[] {3, SIZE, SIZE},
                new dev.regula.core.layer.Flatten("d_flat"), new dev.regula.core.layer.Dense("d_a", 3 * SIZE * SIZE, 8, 1),
                new dev.regula.core.layer.Tanh("d_t1"), new dev.regula.core.layer.Dense("d_b", 8, 8, 2),
                new dev.regula.core.layer.Tanh("d_t2"));
        ProjectionDiscriminator d = ProjectionDiscriminator.conditional(trunk, PHI.dimension(), 5);
        for (Parameter p : d.parameters().subList(d.parameters().size() - 3, d.parameters().size())) {
            for (int i = 0; i < p.size(); i++) p.value().data()[i] *= 20;
        }
        return d;
    }

    /**
     * r2 adds γ·∇_θ(½·mean‖∇ₓD(G(z, c))‖²) at the step's generated images to D's gradient: with
     * SGD at lr 1 the difference of D's update with and without it equals the finite difference of
     * R2 itself, taken at the same generated images.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "diversity term {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void r2GradientAtTheGeneratedSamplesMatchesFiniteDifferencesOfThePenalty(boolean diversity) {
        double gamma = 3;
        int n = 4;
        // with the diversity term the fakes come from paired conditions, and R2 must score them with those
        java.util.function.Function<List<String>, GanTrainer> make = regs -> GanTrainer.builder(
                        Dcgan.generator(SIZE, LATENT, PHI.dimension(), WIDTH, 5), smoothDiscriminator())
                .latent(LATENT).discriminatorOptimizer("sgd(lr=1)")
                .diversity(diversity ? new DiversityTerm(0.3, DiversityTerm.DEFAULT_CAP) : null)
                .discriminatorRegularizers(regs.stream().map(Regularizers::create).toList()).seed(5).kernels(TestKernels.selected()).build();
        GanTrainer plain = make.apply(List.of());
        GanTrainer withR2 = make.apply(List.of("r2(gamma=" + gamma + ", every=1)"));
        GanTrainer reference = make.apply(List.of());
        List<float[]> before = reference.discriminator().parameters().stream().map(p -> p.value().data().clone()).toList();
        step(plain, 0, n);
        step(withR2, 0, n);
        assertTrue(withR2.lastR2() > 0, "R2 ran: " + withR2.lastR2());
        // the generated images of step 0, as the trainer made them (TRAIN mode: BatchNorm on batch statistics)
        Tensor c = FaceCaseStudy.rows(C, FaceCaseStudy.range(n));
        if (diversity) c = DiversityTerm.pairedConditions(c);
        assertEquals(diversity, !Arrays.equals(c.data(), FaceCaseStudy.rows(C, FaceCaseStudy.range(n)).data()),
                "the first faces' conditions differ, so pairing them matters");
        Tensor z = GanTrainer.latents(5, GanTrainer.LATENT_STREAM, 0, n, LATENT);
        Tensor input = Tensor.zeros(n, LATENT + PHI.dimension());
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < LATENT; j++) input.data()[i * input.dim(1) + j] = z.data()[i * LATENT + j];
            for (int j = 0; j < PHI.dimension(); j++) input.data()[i * input.dim(1) + LATENT + j] = c.data()[i * PHI.dimension() + j];
        }
        dev.regula.api.StepContext ctx = new dev.regula.api.StepContext(dev.regula.api.Mode.TRAIN, 0, 0, 0, 5, TestKernels.selected());
        Tensor fake = reference.generator().forward(input, ctx).copy();
        ProjectionDiscriminator d = reference.discriminator();
        assertEquals(withR2.lastR2(), r1Value(d, fake, c, gamma, ctx), 1e-9 * withR2.lastR2() + 1e-12, "the value is R2 at these images");
        List<Parameter> ps = d.parameters();
        for (int q : new int[] {0, ps.size() - 1}) {
            Parameter p = ps.get(q);
            float[] v = p.value().data();
            float[] a = plain.discriminator().parameters().get(q).value().data();
            float[] b = withR2.discriminator().parameters().get(q).value().data();
            for (int i = 0, k = 0; i < v.length && k < 8; i += Math.max(1, v.length / 8), k++) {
                double analytic = a[i] - b[i]; // lr 1: the extra step R2 took
                float old = v[i];
                assertEquals(before.get(q)[i], old, 0f);
                v[i] = old + 1e-3f;
                double up = r1Value(d, fake, c, gamma, ctx);
                v[i] = old - 1e-3f;
                double down = r1Value(d, fake, c, gamma, ctx);
                v[i] = old;
                double numeric = (up - down) / 2e-3;
                assertEquals(numeric, analytic, 0.05 * Math.abs(numeric) + 1e-3 * withR2.lastR2() + 1e-6, p.name() + "[" + i + "]");
            }
        }
    }

    /**
     * R1 and R2 under the SIMD kernels agree with the scalar ones: one discriminator step (SGD at
     * lr 1, so the update is the gradient) and the penalty values, within a relative 1e-3 of the
     * largest update (the central difference divides rounding differences by 2ε). In the run
     * without the vector module both sides are scalar.
     */
    @Test
    void criticPenaltiesAgreeUnderScalarAndSimdKernels() {
        java.util.function.Function<dev.regula.api.kernels.Kernels, GanTrainer> make = k -> GanTrainer.builder(
                        Dcgan.generator(SIZE, LATENT, PHI.dimension(), WIDTH, 5), smoothDiscriminator())
                .latent(LATENT).discriminatorOptimizer("sgd(lr=1)")
                .discriminatorRegularizers(List.of(Regularizers.create("r1(gamma=3, every=1)"), Regularizers.create("r2(gamma=2, every=1)")))
                .seed(5).kernels(k).build();
        GanTrainer scalar = make.apply(new dev.regula.core.kernels.ScalarKernels());
        GanTrainer selected = make.apply(TestKernels.selected());
        List<float[]> before = scalar.discriminator().parameters().stream().map(p -> p.value().data().clone()).toList();
        GanStep a = step(scalar, 0, 4);
        GanStep b = step(selected, 0, 4);
        String kernels = TestKernels.selected().name();
        if ("vector".equals(System.getProperty("regula.kernels"))) assertTrue(kernels.startsWith("vector"), "the SIMD run compares SIMD: " + kernels);
        assertEquals(a.r1(), b.r1(), 1e-4 * Math.abs(a.r1()), "R1 value, kernels " + kernels);
        assertEquals(scalar.lastR2(), selected.lastR2(), 1e-4 * Math.abs(scalar.lastR2()), "R2 value, kernels " + kernels);
        for (int q = 0; q < before.size(); q++) {
            float[] x = scalar.discriminator().parameters().get(q).value().data();
            float[] y = selected.discriminator().parameters().get(q).value().data();
            float[] v0 = before.get(q);
            double largest = 0;
            for (int i = 0; i < x.length; i++) largest = Math.max(largest, Math.abs(x[i] - v0[i]));
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i] - v0[i], y[i] - v0[i], 1e-3 * largest + 1e-6,
                        scalar.discriminator().parameters().get(q).name() + "[" + i + "], kernels " + kernels);
            }
        }
    }
}
