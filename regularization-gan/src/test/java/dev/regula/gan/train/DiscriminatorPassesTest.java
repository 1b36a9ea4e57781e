package dev.regula.gan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.testing.TestKernels;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The discriminator's single passes give the bits of its full backward: {@link
 * ProjectionDiscriminator#backwardInput} the same ∂/∂images without touching a parameter gradient
 * (the generator's step), {@link ProjectionDiscriminator#backwardParameters} the same parameter
 * gradients (the discriminator's step and R1's passes), for the conditional and the
 * unconditional D.
 */
class DiscriminatorPassesTest {
    private static final int SIZE = 16;
    private static final int COND = 3;
    private static final int N = 5;

    private static ProjectionDiscriminator discriminator(boolean conditional) {
        if (conditional) return Dcgan.conditionalDiscriminator(SIZE, 8, COND, 4);
        return ProjectionDiscriminator.unconditional(Dcgan.discriminator(SIZE, 8, 4));
    }

    private static Tensor random(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < t.size(); i++) t.data()[i] = (float) r.nextGaussian();
        return t;
    }

    @Test
    void singlePassesMatchTheFullBackwardBitForBit() {
        for (boolean conditional : new boolean[] {true, false}) {
            StepContext ctx = new StepContext(Mode.TRAIN, 0, 0, 0, 1, TestKernels.selected());
            Tensor x = random(1, N, 3, SIZE, SIZE);
            Tensor c = random(2, N, COND);
            Tensor g = random(3, N, 1);

            ProjectionDiscriminator full = discriminator(conditional);
            full.forward(x, c, ctx);
            float[] dx = full.backward(g, ctx).data().clone();

            ProjectionDiscriminator inputOnly = discriminator(conditional);
            for (Parameter p : inputOnly.parameters()) p.grad().fill(3f);
            inputOnly.forward(x, c, ctx);
            assertArrayEquals(dx, inputOnly.backwardInput(g, ctx).data(), "∂D/∂images, conditional " + conditional);
            for (Parameter p : inputOnly.parameters()) {
                float[] expected = new float[p.size()];
                java.util.Arrays.fill(expected, 3f);
                assertArrayEquals(expected, p.grad().data(), p.name() + " untouched by the input-only pass");
            }

            ProjectionDiscriminator paramsOnly = discriminator(conditional);
            paramsOnly.forward(x, c, ctx);
            paramsOnly.backwardParameters(g, ctx);
            List<Parameter> expected = full.parameters();
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i).grad().data(), paramsOnly.parameters().get(i).grad().data(),
                        expected.get(i).name() + ", conditional " + conditional);
            }
        }
    }
}
