package dev.regula.gan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.gan.faces.FaceAttributes;
import dev.regula.gan.faces.FaceDataset;
import dev.regula.gan.faces.SyntheticFaces;
import dev.regula.gan.features.AttributeProbe;
import dev.regula.gan.prior.FacePrior;
import dev.regula.gan.prior.PriorGuidedPenalty;
import dev.regula.gan.testing.TestKernels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GAN run saved by {@link GanTrainer#saveState} and restored ends bit-identical to the uninterrupted run. */
class GanResumeTest {
    private static final FaceDataset FACES = SyntheticFaces.generate(64, 16, 3);
    private static final AttributeProbe PHI = FacePrior.probe(SyntheticFaces.generate(256, 16, 4), FaceAttributes.BINARY_NAMES);
    private static final Map<String, String> SETTINGS = Map.of("lambda", "0.5");

    private static GanTrainer trainer() {
        return GanTrainer.builder(Dcgan.generator(16, 8, PHI.dimension(), 8, 5), Dcgan.conditionalDiscriminator(16, 8, PHI.dimension(), 5))
                .latent(8).penalty(new PriorGuidedPenalty(Schedule.constant(0.5), PHI, true, 0.01))
                .generatorRegularizers(List.of(Regularizers.create("soft-anchor(lambda=0.01, to=init)")))
                .discriminatorRegularizers(List.of(Regularizers.create("spectral-norm")))
                .r1(1.0, 2).seed(5).kernels(TestKernels.selected()).build();
    }

    private static void steps(GanTrainer t, int from, int to) {
        for (int b = from; b < to; b++) {
            int[] idx = Arrays.copyOfRange(FaceCaseStudy.range(64), (b % 4) * 16, (b % 4) * 16 + 16);
            t.step(FaceCaseStudy.rows(FACES.images(), idx), FaceCaseStudy.rows(FACES.labels(), idx), 0);
        }
    }

    private static List<float[]> state(GanTrainer t) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : t.generatorPipeline().allParameters()) out.add(p.value().data().clone());
        for (Parameter p : t.discriminatorPipeline().allParameters()) out.add(p.value().data().clone());
        t.generator().state().values().forEach(s -> out.add(s.data().clone()));
        t.generatorPipeline().optimizer().state().values().forEach(s -> out.add(s.data().clone()));
        t.discriminatorPipeline().optimizer().state().values().forEach(s -> out.add(s.data().clone()));
        return out;
    }

    @Test
    void aResumedGanRunEndsBitIdenticalToTheUninterruptedOne(@TempDir Path dir) throws IOException {
        GanTrainer whole = trainer();
        steps(whole, 0, 6);

        GanTrainer first = trainer();
        steps(first, 0, 3);
        Path file = dir.resolve("gan-state.safetensors");
        first.saveState(file, 0, SETTINGS);
        Checkpoint c = Checkpoint.load(file);
        assertTrue(c.extraState().keySet().stream().anyMatch(k -> k.startsWith("g/") && k.contains("#")), "G's optimizer state");
        assertTrue(c.extraState().keySet().stream().anyMatch(k -> k.startsWith("d/") && k.contains("#")), "D's optimizer state");
        assertTrue(c.extraState().keySet().stream().anyMatch(k -> k.startsWith("g/") && k.endsWith(".running_mean")), "G's BatchNorm");
        assertEquals(3, c.float64State().keySet().stream().filter(k -> k.startsWith("g/regularizer/")
                && (k.endsWith("/updates") || k.endsWith("/moment1") || k.endsWith("/moment2"))).count(),
                "the learnable prior's Adam state, as float64 tensors: " + c.float64State().keySet());
        assertTrue(c.metadata().keySet().stream().noneMatch(k -> k.contains("regularizer/")), c.metadata().keySet().toString());

        GanTrainer second = trainer();
        List<String> warnings = new ArrayList<>();
        second.restoreState(file, SETTINGS, warnings::add);
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertEquals(3, second.step());
        steps(second, 3, 6);

        List<float[]> expected = state(whole);
        List<float[]> got = state(second);
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), got.get(i), "state tensor " + i);
        Tensor z = GanTrainer.latents(9, "check", 0, 4, 8);
        Tensor cond = FaceCaseStudy.rows(FACES.labels(), new int[] {0, 1, 2, 3});
        assertArrayEquals(whole.generate(z, cond).data(), second.generate(z, cond).data(), "EVAL output, running statistics included");
        assertFalse(Arrays.equals(expected.get(0), state(trainer()).get(0)), "training changed the generator");
    }
}
