package dev.regula.gan.train;

import dev.regula.api.model.Layer;
import dev.regula.api.param.Parameter;
import dev.regula.core.layer.BatchNorm;
import dev.regula.core.layer.Conv2d;
import dev.regula.core.layer.ConvTranspose2d;
import dev.regula.core.layer.Dense;
import dev.regula.core.layer.Flatten;
import dev.regula.core.layer.Initializers;
import dev.regula.core.layer.LeakyReLU;
import dev.regula.core.layer.MinibatchStddev;
import dev.regula.core.layer.ReLU;
import dev.regula.core.layer.Reshape;
import dev.regula.core.layer.Sequential;
import dev.regula.core.layer.Tanh;
import dev.regula.core.layer.UpsampleConv2d;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The DCGAN pair of the face case study (Radford et al. 2016), sized by one channel width.
 *
 * <p>With S the image side (16, 32 or 64) and w the width, a feature map of side r has
 * {@code channels(r) = w·S/(8·r)} channels: for S = 32 the generator's 4×4, 8×8 and 16×16 maps have
 * w, w/2 and w/4 channels, and the discriminator's 16×16, 8×8 and 4×4 maps have w/4, w/2 and w
 * (w = 128 is the full DCGAN of the design; S = 64 adds one block, S = 16 removes one).
 * <ul>
 *   <li>Generator G(z, c): input [z ‖ c] → Dense → Reshape [channels(4), 4, 4] → (BatchNorm, ReLU,
 *       doubling) per doubling of the side, the last one to 3 channels → Tanh; output [3, S, S] in
 *       (−1, 1). The doubling is a {@link Upsampling#TRANSPOSE ConvTranspose 4/2/1} (DCGAN's) or a
 *       {@link Upsampling#NEAREST nearest-neighbour ×2 upsample followed by a Conv 3/1/1}, which avoids
 *       the checkerboard artifacts of strided transposed convolutions (Odena et al. 2016), computed
 *       as one {@link UpsampleConv2d} layer.
 *       Layers are named {@code g_*}.</li>
 *   <li>Discriminator D(x): (Conv 4/2/1, LeakyReLU 0.2) per halving down to 4×4 → Flatten → Dense → one
 *       logit. No normalisation layer, so a batch of real and fake images may be scored in one pass.
 *       Optionally a {@link MinibatchStddev minibatch standard-deviation} channel (groups of G
 *       consecutive images) enters the last convolution, as in Karras et al. 2018: D then sees how
 *       varied a group of images is, and a generator that covers too little of the data loses.
 *       Layers are named {@code d_*}, so G's and D's parameter names never collide.</li>
 * </ul>
 * Initialisation is DCGAN's: every convolution and dense weight N(0, 0.02²) drawn by
 * {@link Initializers#normal} from the seed, every bias 0, BatchNorm γ = 1 and β = 0.
 */
public final class Dcgan {
    /** The standard deviation of the weight initialisation. */
    public static final double INIT_STD = 0.02;
    /** The slope of the discriminator's LeakyReLU for negative inputs. */
    public static final float LEAKY_SLOPE = 0.2f;

    private Dcgan() {
    }

    /** How the generator doubles the side of its feature maps. */
    public enum Upsampling {
        /** ConvTranspose 4/2/1, DCGAN's original block. */
        TRANSPOSE,
        /** Nearest-neighbour ×2 upsample, then Conv 3/1/1 ({@link UpsampleConv2d}): no checkerboard artifacts. */
        NEAREST
    }

    /**
     * The generator with DCGAN's {@link Upsampling#TRANSPOSE transposed-convolution} blocks.
     *
     * @param imageSize the image side S: 16, 32 or 64
     * @param latent the length of z, ≥ 1
     * @param conditionDim the length of c, ≥ 0
     * @param width the channel width w: a multiple of 4, at least 4
     * @param seed the initialisation seed
     * @return the generator, input [latent + conditionDim], output [3, S, S]
     * @throws IllegalArgumentException for a size, width or dimension outside those ranges
     */
    public static Sequential generator(int imageSize, int latent, int conditionDim, int width, long seed) {
        return generator(imageSize, latent, conditionDim, width, seed, Upsampling.TRANSPOSE);
    }

    /**
     * @param imageSize the image side S: 16, 32 or 64
     * @param latent the length of z, ≥ 1
     * @param conditionDim the length of c, ≥ 0
     * @param width the channel width w: a multiple of 4, at least 4
     * @param seed the initialisation seed
     * @param upsampling how each block doubles the side
     * @return the generator, input [latent + conditionDim], output [3, S, S]
     * @throws IllegalArgumentException for a size, width or dimension outside those ranges
     */
    public static Sequential generator(int imageSize, int latent, int conditionDim, int width, long seed,
                                       Upsampling upsampling) {
        Objects.requireNonNull(upsampling, "upsampling");
        checkSizes(imageSize, width);
        if (latent < 1 || conditionDim < 0) {
            throw new IllegalArgumentException("generator: latent must be >= 1 and conditionDim >= 0, got latent="
                    + latent + ", conditionDim=" + conditionDim);
        }
        int in = latent + conditionDim;
        int c0 = channels(imageSize, width, 4);
        List<Layer> layers = new ArrayList<>();
        layers.add(new Dense("g_dense", in, c0 * 16, seed));
        layers.add(new Reshape("g_reshape", c0, 4, 4));
        int block = 0;
        for (int r = 4; r < imageSize; r *= 2) {
            block++;
            int cin = channels(imageSize, width, r);
            int cout = 2 * r == imageSize ? 3 : channels(imageSize, width, 2 * r);
            layers.add(new BatchNorm("g_bn" + block, cin));
            layers.add(new ReLU("g_relu" + block));
            if (upsampling == Upsampling.TRANSPOSE) {
                layers.add(new ConvTranspose2d("g_convt" + block, cin, cout, 4, 2, 1, seed + block));
            } else {
                layers.add(new UpsampleConv2d("g_conv" + block, cin, cout, seed + block));
            }
        }
        layers.add(new Tanh("g_tanh"));
        Sequential g = new Sequential("generator", new int[] {in}, layers);
        initialize(g, seed);
        return g;
    }

    /**
     * @param imageSize the image side S: 16, 32 or 64
     * @param width the channel width w: a multiple of 4, at least 4
     * @param seed the initialisation seed
     * @return the discriminator, input [3, S, S], output [1] (a logit)
     * @throws IllegalArgumentException for a size or width outside those ranges
     */
    public static Sequential discriminator(int imageSize, int width, long seed) {
        return discriminator(imageSize, width, 0, seed);
    }

    /**
     * @param imageSize the image side S: 16, 32 or 64
     * @param width the channel width w: a multiple of 4, at least 4
     * @param minibatchGroup G of the minibatch standard-deviation channel before the last
     *     convolution, ≥ 2 (every batch D scores must then be a multiple of G), or 0 for none
     * @param seed the initialisation seed
     * @return the discriminator, input [3, S, S], output [1] (a logit)
     * @throws IllegalArgumentException for a size, width or group outside those ranges
     */
    public static Sequential discriminator(int imageSize, int width, int minibatchGroup, long seed) {
        List<Layer> layers = new ArrayList<>(trunkLayers(imageSize, width, minibatchGroup, seed));
        int features = channels(imageSize, width, 4) * 16;
        layers.add(new Dense("d_logit", features, 1, seed + 100));
        Sequential d = new Sequential("discriminator", new int[] {3, imageSize, imageSize}, layers);
        initialize(d, seed + 100);
        return d;
    }

    /**
     * The conditional discriminator: the same convolutions as {@link #discriminator}, then a
     * {@link ProjectionDiscriminator projection head} on the flattened 4×4 features.
     *
     * @param imageSize the image side S: 16, 32 or 64
     * @param width the channel width w: a multiple of 4, at least 4
     * @param conditionDim the length of c, ≥ 1
     * @param seed the initialisation seed
     * @return D(x, c)
     * @throws IllegalArgumentException for a size, width or dimension outside those ranges
     */
    public static ProjectionDiscriminator conditionalDiscriminator(int imageSize, int width, int conditionDim, long seed) {
        return conditionalDiscriminator(imageSize, width, conditionDim, 0, seed);
    }

    /**
     * The conditional discriminator with an optional minibatch standard-deviation channel.
     *
     * @param imageSize the image side S: 16, 32 or 64
     * @param width the channel width w: a multiple of 4, at least 4
     * @param conditionDim the length of c, ≥ 1
     * @param minibatchGroup G of the minibatch standard-deviation channel before the last
     *     convolution, ≥ 2 (every batch D scores must then be a multiple of G), or 0 for none
     * @param seed the initialisation seed
     * @return D(x, c)
     * @throws IllegalArgumentException for a size, width, dimension or group outside those ranges
     */
    public static ProjectionDiscriminator conditionalDiscriminator(int imageSize, int width, int conditionDim, int minibatchGroup,
                                                                   long seed) {
        Sequential trunk = new Sequential("discriminator", new int[] {3, imageSize, imageSize},
                trunkLayers(imageSize, width, minibatchGroup, seed));
        initialize(trunk, seed + 100);
        return ProjectionDiscriminator.conditional(trunk, conditionDim, seed + 200);
    }

    private static List<Layer> trunkLayers(int imageSize, int width, int minibatchGroup, long seed) {
        checkSizes(imageSize, width);
        if (minibatchGroup != 0 && minibatchGroup < 2) {
            throw new IllegalArgumentException("the minibatch standard-deviation group must be 0 (none) or >= 2, got " + minibatchGroup);
        }
        List<Layer> layers = new ArrayList<>();
        int cin = 3;
        int block = 0;
        for (int r = imageSize / 2; r >= 4; r /= 2) {
            block++;
            int cout = channels(imageSize, width, r);
            if (r == 4 && minibatchGroup > 0) {
                layers.add(new MinibatchStddev("d_mbstd", minibatchGroup));
                cin++;
            }
            layers.add(new Conv2d("d_conv" + block, cin, cout, 4, 2, 1, seed + 100 + block));
            layers.add(new LeakyReLU("d_lrelu" + block, LEAKY_SLOPE));
            cin = cout;
        }
        layers.add(new Flatten("d_flatten"));
        return layers;
    }

    /**
     * @param imageSize the image side S
     * @param width the width w
     * @param side the side r of a feature map, 4 ≤ r &lt; S
     * @return its number of channels, w·S/(8·r)
     */
    public static int channels(int imageSize, int width, int side) {
        return Math.max(1, (int) ((long) width * imageSize / (8L * side)));
    }

    /**
     * DCGAN initialisation: weights N(0, 0.02²), biases 0, normalisation scales 1.
     *
     * @param model the model
     * @param seed the seed (each weight's stream is keyed by its name)
     */
    public static void initialize(Sequential model, long seed) {
        for (Parameter p : model.parameters()) {
            switch (p.role()) {
                case WEIGHT -> Initializers.normal(p, INIT_STD, seed);
                case NORM_SCALE -> Initializers.constant(p, 1f);
                default -> Initializers.constant(p, 0f);
            }
        }
    }

    /**
     * @param model a model
     * @return its BatchNorm layers, in order (their running statistics are a model's extra state)
     */
    public static List<BatchNorm> batchNorms(Sequential model) {
        return model.layers().stream().filter(BatchNorm.class::isInstance).map(BatchNorm.class::cast).toList();
    }

    private static void checkSizes(int imageSize, int width) {
        if (imageSize != 16 && imageSize != 32 && imageSize != 64) {
            throw new IllegalArgumentException("the DCGAN supports image sizes 16, 32 and 64, got " + imageSize);
        }
        if (width < 4 || width % 4 != 0) {
            throw new IllegalArgumentException("the channel width must be a multiple of 4 and >= 4, got " + width);
        }
    }
}
