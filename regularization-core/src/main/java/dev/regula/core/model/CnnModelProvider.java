package dev.regula.core.model;

import dev.regula.api.model.Layer;
import dev.regula.api.model.ModelBlueprint;
import dev.regula.api.model.ModelProvider;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.io.MemoryBudget;
import dev.regula.core.layer.AvgPool2d;
import dev.regula.core.layer.BatchNorm;
import dev.regula.core.layer.Conv2d;
import dev.regula.core.layer.Dense;
import dev.regula.core.layer.Flatten;
import dev.regula.core.layer.MaxPool2d;
import dev.regula.core.layer.ReLU;
import dev.regula.core.layer.Reshape;
import dev.regula.core.layer.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Publishes {@code cnn(channels=32x64, dense=128, pool=max, batchnorm=false, input=auto)}: a small
 * convolutional classifier, by default conv32-conv64-pool-dense128.
 *
 * <p>The built model is a {@link Sequential} named {@code cnn}: a {@code reshape} layer when the
 * example shape is not already [C, H, W] (flat examples of n values become [1, √n, √n], so
 * Fashion-MNIST's [784] becomes [1, 28, 28]; {@code input=CxHxW} names another shape), then for
 * each entry c_i of {@code channels} a {@code conv<i>} layer ({@link Conv2d}, 3×3, stride 1,
 * padding 1, so the image keeps its size) and {@code relu<i>}; then {@code pool} (a 2×2, stride 2
 * {@link MaxPool2d}, or {@link AvgPool2d} with {@code pool=avg}), {@code flatten}, a hidden
 * {@code dense} layer of {@code dense} units and {@code relu_dense} (left out with
 * {@code dense=0}), and {@code out}, a dense layer producing the logits. With
 * {@code batchnorm=true} a {@link BatchNorm} layer sits between every hidden convolution or dense
 * layer and its activation ({@code bn<i>}, {@code bn_dense}), as in {@code mlp}. Every ReLU but
 * none of the others is an activation, so dropout and the other activation regularizers go after
 * each hidden ReLU, convolutional ones included, exactly as they do in {@code mlp}. Each layer's
 * initialisation seed is drawn in order from a {@link SplittableRandom} seeded with the build seed.
 */
public final class CnnModelProvider implements ModelProvider {
    /** Largest accepted number of channels of one convolution. */
    static final int MAX_CHANNELS = 1 << 12;
    /** Largest accepted number of convolutions. */
    static final int MAX_CONVS = 16;
    /** Largest accepted hidden dense width. */
    static final int MAX_DENSE = 1 << 16;
    private static final int KERNEL = 3;
    private static final int POOL = 2;

    private final SpecSchema schema = SpecSchema.of("model", "cnn",
            SpecKey.text("channels", "32x64",
                    "output channels of the 3x3 convolutions (padding 1, each followed by ReLU) joined by x, e.g. 32x64 or 16"),
            SpecKey.integer("dense", "128", 0, MAX_DENSE, "units of the hidden dense layer after pooling; 0 for none"),
            SpecKey.choice("pool", "max", List.of("max", "avg"), "2x2 pooling (stride 2) after the convolutions"),
            SpecKey.bool("batchnorm", false,
                    "insert batch normalisation between each hidden convolution or dense layer and its activation"),
            SpecKey.text("input", "auto",
                    "example shape CxHxW the input is reshaped to, e.g. 1x28x28; auto: [n] becomes 1 x sqrt(n) x sqrt(n)"));

    /** Creates the provider. */
    public CnnModelProvider() {
    }

    @Override
    public String name() {
        return "cnn";
    }

    @Override
    public String description() {
        return "convolutional classifier: 3x3 convolutions with ReLU, pooling, a dense layer, logits out";
    }

    @Override
    public SpecSchema schema() {
        return schema;
    }

    @Override
    public ModelBlueprint create(Spec spec) {
        Objects.requireNonNull(spec, "spec");
        if (!spec.name().equals(name())) {
            throw new SpecException("model provider 'cnn' cannot create '" + spec.name() + "'");
        }
        SpecArguments args = schema.bind(spec);
        int[] channels = parseList("channels", args.text("channels"), MAX_CONVS, MAX_CHANNELS,
                "output channels joined by x, e.g. channels=32x64 or channels=16");
        int dense = (int) args.integer("dense");
        boolean avg = args.text("pool").toLowerCase(Locale.ROOT).equals("avg");
        boolean batchNorm = args.bool("batchnorm");
        String inputText = args.text("input").trim().toLowerCase(Locale.ROOT);
        int[] image = inputText.equals("auto") ? null
                : parseList("input", inputText, 3, Integer.MAX_VALUE, "the example shape CxHxW, e.g. input=1x28x28, or input=auto");
        if (image != null && image.length != 3) {
            throw new SpecException("model 'cnn': input=" + args.text("input") + " has " + image.length
                    + " dimensions; allowed: three, CxHxW, e.g. input=1x28x28, or input=auto");
        }
        return (inputShape, outputs, seed) -> build(channels, dense, avg, batchNorm, image, inputShape, outputs, seed);
    }

    /**
     * @param key the spec key, for the message
     * @param text positive integers joined by {@code x}
     * @return the integers
     * @throws SpecException saying what was wrong and what is allowed
     */
    private static int[] parseList(String key, String text, int maxLength, int maxValue, String allowed) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x", -1);
        if (parts.length > maxLength) {
            throw new SpecException("model 'cnn': " + key + "=" + text + " has " + parts.length + " entries; allowed: at most "
                    + maxLength + ", " + allowed);
        }
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long v = parts[i].matches("\\d{1,10}") ? Long.parseLong(parts[i]) : -1;
            if (v < 1 || v > maxValue) {
                throw new SpecException("model 'cnn': " + key + "=" + text + " is not valid ('" + parts[i]
                        + "' is not a number in [1, " + maxValue + "]); allowed: " + allowed);
            }
            values[i] = (int) v;
        }
        return values;
    }

    /**
     * @param inputShape the data's example shape
     * @param image the shape named by {@code input=}, or null for auto
     * @return the [C, H, W] the convolutions see
     * @throws IllegalArgumentException if the data's examples cannot take that shape
     */
    static int[] imageShape(int[] inputShape, int[] image) {
        Objects.requireNonNull(inputShape, "inputShape");
        if (inputShape.length == 0 || Arrays.stream(inputShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("model 'cnn': input shape must have rank >= 1 and dimensions >= 1, got "
                    + Arrays.toString(inputShape));
        }
        long size = 1;
        for (int d : inputShape) size = Math.min(size * d, Integer.MAX_VALUE + 1L);
        if (image != null) {
            long want = (long) image[0] * image[1] * image[2];
            if (want != size) {
                throw new IllegalArgumentException("model 'cnn': input=" + image[0] + "x" + image[1] + "x" + image[2] + " holds "
                        + want + " values but the examples have shape " + Arrays.toString(inputShape) + " (" + size
                        + " values); allowed: a CxHxW with C*H*W = " + size + ", or input=auto");
            }
            return image.clone();
        }
        return switch (inputShape.length) {
            case 3 -> inputShape.clone();
            case 2 -> new int[] {1, inputShape[0], inputShape[1]};
            case 1 -> {
                int side = (int) Math.round(Math.sqrt(inputShape[0]));
                if ((long) side * side != inputShape[0]) {
                    throw new IllegalArgumentException("model 'cnn': examples of " + inputShape[0]
                            + " values are not a square image, so input=auto cannot shape them; allowed: a square number of"
                            + " values (e.g. 784 = 28x28), or name the shape with input=CxHxW");
                }
                yield new int[] {1, side, side};
            }
            default -> throw new IllegalArgumentException("model 'cnn': examples of shape " + Arrays.toString(inputShape)
                    + " are not images; allowed: [C, H, W], [H, W], a square [n], or input=CxHxW");
        };
    }

    /**
     * Refuses, before allocating anything, an image too small to pool or a network whose tensors
     * or parameters (value, gradient and one optimizer slot each) would not fit.
     */
    private static void checkSize(int[] channels, int dense, boolean batchNorm, int[] image, int outputs) {
        if (image[1] < POOL || image[2] < POOL) {
            throw new IllegalArgumentException("model 'cnn': images of shape " + Arrays.toString(image)
                    + " are smaller than the 2x2 pooling window; allowed: height and width >= 2");
        }
        long total = 0;
        long in = image[0];
        for (int c : channels) {
            total += in * c * KERNEL * KERNEL + c + (batchNorm ? 2L * c : 0);
            in = c;
        }
        long flat = in * (image[1] / POOL) * (image[2] / POOL);
        long hidden = dense == 0 ? flat : dense;
        if (flat * Math.max(dense, outputs) > Integer.MAX_VALUE - 8 || (long) image[1] * image[2] * in > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("model 'cnn': " + in + " channels of " + image[1] + "x" + image[2]
                    + " images give tensors larger than one tensor holds (" + (Integer.MAX_VALUE - 8)
                    + "); choose fewer channels, a smaller dense width or smaller images");
        }
        if (dense > 0) total += flat * dense + dense + (batchNorm ? 2L * dense : 0);
        total += hidden * outputs + outputs;
        if (!MemoryBudget.fits(total * MlpModelProvider.BYTES_PER_PARAMETER)) {
            throw new IllegalArgumentException("model 'cnn': " + total + " parameters need at least "
                    + MemoryBudget.shortfall((double) total * MlpModelProvider.BYTES_PER_PARAMETER)
                    + ", or choose fewer channels or a smaller dense width");
        }
    }

    private static Sequential build(int[] channels, int dense, boolean avg, boolean batchNorm, int[] image,
                                    int[] inputShape, int outputs, long seed) {
        int[] chw = imageShape(inputShape, image);
        if (outputs < 1) throw new IllegalArgumentException("model 'cnn': outputs must be >= 1, got " + outputs);
        checkSize(channels, dense, batchNorm, chw, outputs);
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        if (!Arrays.equals(chw, inputShape)) layers.add(new Reshape("reshape", chw));
        int in = chw[0];
        for (int i = 0; i < channels.length; i++) {
            int n = i + 1;
            layers.add(new Conv2d("conv" + n, in, channels[i], KERNEL, 1, 1, seeds.nextLong()));
            if (batchNorm) layers.add(new BatchNorm("bn" + n, channels[i]));
            layers.add(new ReLU("relu" + n));
            in = channels[i];
        }
        layers.add(avg ? new AvgPool2d("pool", POOL, POOL) : new MaxPool2d("pool", POOL, POOL));
        layers.add(new Flatten("flatten"));
        int width = in * (chw[1] / POOL) * (chw[2] / POOL);
        if (dense > 0) {
            layers.add(new Dense("dense", width, dense, seeds.nextLong()));
            if (batchNorm) layers.add(new BatchNorm("bn_dense", dense));
            layers.add(new ReLU("relu_dense"));
            width = dense;
        }
        layers.add(new Dense("out", width, outputs, seeds.nextLong()));
        return new Sequential("cnn", inputShape, layers);
    }
}
