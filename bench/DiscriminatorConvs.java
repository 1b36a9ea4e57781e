import dev.regula.api.kernels.ConvGeometry;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Milliseconds per call of the three convolution kernels on the face study's discriminator layers
 * (4×4, stride 2, padding 1: 3 → w/4 channels on 32×32 maps, w/4 → w/2 on 16×16, w/2 → w on 8×8),
 * one thread, random inputs. Each kernel is called 300 times per layer and the fastest call is
 * kept (noise can only make a call slower); the figures are those of the third of three passes,
 * so C2 has compiled every kernel. Prints the time and GFLOP/s (2 flops per multiply-add) of the
 * forward pass, the weight gradient and the input gradient of each layer.
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     bench/DiscriminatorConvs.java [width 64] [batch 64]</pre>
 */
public class DiscriminatorConvs {
    private static final int CALLS = 300;

    public static void main(String[] args) throws InterruptedException {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Kernels kernels = KernelsSelection.create(1);
        KernelsWarmup.await(); // nothing timed beside the kernels' JIT warm-up
        int[][] layers = {{3, width / 4, 32}, {width / 4, width / 2, 16}, {width / 2, width, 8}};
        SplittableRandom rnd = new SplittableRandom(1);
        for (int pass = 1; pass <= 3; pass++) {
            for (int[] layer : layers) {
                int in = layer[0], out = layer[1], side = layer[2], outSide = side / 2;
                ConvGeometry g = new ConvGeometry(batch, in, side, side, out, 4, 2, 1);
                float[] x = uniform(rnd, batch * in * side * side);
                float[] w = uniform(rnd, out * in * 16);
                float[] bias = new float[out];
                float[] y = uniform(rnd, batch * out * outSide * outSide);
                float[] gx = new float[x.length];
                float[] gw = new float[w.length];
                long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
                for (int call = 0; call < CALLS; call++) {
                    long t0 = System.nanoTime();
                    kernels.conv2d(g, x, w, bias, y);
                    long t1 = System.nanoTime();
                    kernels.conv2dBackwardWeight(g, x, y, 0f, gw);
                    long t2 = System.nanoTime();
                    kernels.conv2dBackwardInput(g, y, w, null, gx);
                    long t3 = System.nanoTime();
                    best[0] = Math.min(best[0], t1 - t0);
                    best[1] = Math.min(best[1], t2 - t1);
                    best[2] = Math.min(best[2], t3 - t2);
                }
                if (pass < 3) continue;
                double flops = 2.0 * batch * outSide * outSide * out * in * 16;
                System.out.printf(Locale.ROOT, "%s %3d -> %3d channels, %2dx%-2d batch %d: forward %.3f ms (%.0f GFLOP/s), "
                                + "weight gradient %.3f ms (%.0f), input gradient %.3f ms (%.0f)%n",
                        kernels.name(), in, out, side, side, batch, best[0] / 1e6, flops / best[0], best[1] / 1e6,
                        flops / best[1], best[2] / 1e6, flops / best[2]);
            }
        }
    }

    private static float[] uniform(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextDouble() * 2 - 1);
        return v;
    }
}
