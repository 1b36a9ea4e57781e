import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.layer.Sequential;
import dev.regula.gan.train.Dcgan;
import dev.regula.gan.train.GanTrainer;
import dev.regula.gan.train.ProjectionDiscriminator;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seconds per G + D iteration of the face case study's networks (bench/gan_torch.py is the PyTorch
 * twin): DCGAN G and D of width w on 32×32 images, latent 64 plus a 4-value condition, batch 32,
 * Adam(2e-4, β1 0.5) for both, spectral-norm(max=1.0) on D, no R1, unconditional D. Real images
 * are fixed random values in (−1, 1): the speed does not depend on what they show. Prints the
 * median of the timed iterations after the warm-up ones, and the process CPU time per timed
 * iteration (with one thread the fairer figure on a loaded machine).
 *
 * <p>With the recipe {@code study} the networks and losses are those {@code regula gan} trains:
 * G doubles by nearest-neighbour upsampling and a 3×3 convolution, D is the projection
 * discriminator D(x, c) without spectral norm, Adam(5e-4, β1 0.5) for both, and the lazy R1
 * penalty (γ 10 every 16 iterations) on D; it prints {@code gan_study_iter_s_w<w>}.
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     bench/GanSteps.java [width 64] [threads 2] [timed iterations 60] [warm-up iterations 40] [recipe bench|study]</pre>
 */
public class GanSteps {
    public static void main(String[] args) throws InterruptedException {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int timed = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int warm = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        boolean study = args.length > 4 && switch (args[4]) {
            case "study" -> true;
            case "bench" -> false;
            default -> throw new IllegalArgumentException("recipe must be bench or study, got " + args[4]);
        };
        int batch = 32;
        int size = 32;
        int latent = 64;
        int cond = 4;
        Kernels kernels = KernelsSelection.create(threads);
        KernelsWarmup.await(); // nothing timed beside the kernels' JIT warm-up
        Sequential g = study ? Dcgan.generator(size, latent, cond, width, 1, Dcgan.Upsampling.NEAREST)
                : Dcgan.generator(size, latent, cond, width, 1);
        Dcgan.initialize(g, 1);
        GanTrainer.Builder builder;
        if (study) {
            String adam = "adam(lr=5e-4, beta1=0.5)";
            builder = GanTrainer.builder(g, Dcgan.conditionalDiscriminator(size, width, cond, 2))
                    .generatorOptimizer(adam).discriminatorOptimizer(adam).r1(10, 16);
        } else {
            Sequential d = Dcgan.discriminator(size, width, 2);
            Dcgan.initialize(d, 2);
            builder = GanTrainer.builder(g, ProjectionDiscriminator.unconditional(d))
                    .discriminatorRegularizers(List.of(Regularizers.installed().parse("spectral-norm(max=1.0)")))
                    .r1(0, 1);
        }
        GanTrainer trainer = builder.latent(latent).seed(3).kernels(kernels).build();
        SplittableRandom rnd = new SplittableRandom(4);
        Tensor real = Tensor.zeros(batch, 3, size, size);
        float[] r = real.data();
        for (int i = 0; i < r.length; i++) r[i] = (float) (2 * rnd.nextDouble() - 1);
        Tensor c = Tensor.zeros(batch, cond);
        float[] cd = c.data();
        for (int i = 0; i < cd.length; i++) cd[i] = rnd.nextBoolean() ? 1f : 0f;
        for (int i = 0; i < warm; i++) trainer.step(real, c, 0);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        double[] s = new double[timed];
        for (int i = 0; i < timed; i++) {
            long t0 = System.nanoTime();
            trainer.step(real, c, 0);
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        double cpuS = (os.getProcessCpuTime() - cpu0) / 1e9 / timed;
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "RESULT gan_%siter_s_w%d regula %.4f s (median of %d, min %.4f, %s; process CPU %.4f s/iteration)%n",
                study ? "study_" : "", width, s[timed / 2], timed, s[0], kernels.name(), cpuS);
    }
}
