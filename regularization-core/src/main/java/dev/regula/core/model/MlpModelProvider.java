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
import dev.regula.core.layer.BatchNorm;
import dev.regula.core.layer.Dense;
import dev.regula.core.layer.Flatten;
import dev.regula.core.layer.GroupNorm;
import dev.regula.core.layer.Initializers;
import dev.regula.core.layer.LayerNorm;
import dev.regula.core.layer.LeakyReLU;
import dev.regula.core.layer.ReLU;
import dev.regula.core.layer.Residual;
import dev.regula.core.layer.Sequential;
import dev.regula.core.layer.Sigmoid;
import dev.regula.core.layer.Tanh;
import dev.regula.core.layer.WeightNormDense;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Publishes {@code mlp(hidden=256x256, activation=relu, batchnorm=false)}: a multilayer perceptron.
 *
 * <p>The built model is a {@link Sequential} named {@code mlp}: a {@code flatten} layer when the
 * example shape has rank &gt; 1 (e.g. [1, 28, 28]), then for each hidden width h_i a
 * {@code dense<i>} layer and an activation layer named after it ({@code relu<i>},
 * {@code leaky_relu<i>}, {@code tanh<i>}, {@code sigmoid<i>}), then a {@code out} dense layer
 * producing the logits (no softmax: the losses take logits). With {@code batchnorm=true} a
 * {@link BatchNorm} layer {@code bn<i>} sits between {@code dense<i>} and its activation (the
 * order of the original paper and of Keras' Dense → BatchNormalization → Activation recipe); its
 * scale has role NORM_SCALE and its shift role BIAS, so {@code on=weights} penalties skip them.
 * With {@code norm=layer} or {@code norm=group} a {@code layer_norm<i>} ({@link LayerNorm}) or
 * {@code group_norm<i>} ({@link GroupNorm} with {@code groups} groups, which must divide every
 * width) sits there instead (one normalisation per layer: {@code batchnorm=true} and
 * {@code norm=layer|group} exclude each other). With {@code residual=true} every hidden layer after
 * the first whose width equals the previous one becomes a residual block {@code block<i>}
 * computing x + act(norm(dense(x))) (where drop path acts); at least one such pair is needed.
 * With {@code weight_norm=true} every dense layer, the output one included, is a
 * {@link WeightNormDense} (parameters {@code weight_v}, {@code weight_g}, {@code bias}). {@code hidden} is a list of widths
 * joined by {@code x} ({@code 256}, {@code 512x256}) or {@code none} for a linear model. Each
 * dense layer's initialisation seed is drawn in order from a {@link SplittableRandom} seeded with
 * the build seed. {@code init=pytorch} (the default) keeps {@link Dense}'s PyTorch initialisation;
 * {@code init=xavier} draws each dense weight from N(0, gain²·2/(in+out)) (Glorot &amp; Bengio 2010,
 * {@code torch.nn.init.xavier_normal_}) and {@code init=he} from N(0, gain²·2/in) (He et al. 2015,
 * {@code kaiming_normal_} for ReLU), with gain = {@code init_gain}, from
 * {@link Initializers#normal} keyed by the layer's seed; biases keep the default. An
 * {@code init_gain} above 1 with {@code init=he} makes every ReLU layer amplify its input (the
 * exploding-gradient setting of docs/recipes.md).
 */
public final class MlpModelProvider implements ModelProvider {
    /** Largest accepted hidden width. */
    static final int MAX_WIDTH = 1 << 16;
    /** Largest accepted number of hidden layers. */
    static final int MAX_DEPTH = 64;

    private static final List<String> ACTIVATIONS = List.of("relu", "leaky-relu", "tanh", "sigmoid");
    private static final List<String> NORMS = List.of("none", "layer", "group");
    private static final List<String> INITS = List.of("pytorch", "xavier", "he");

    /**
     * How dense weights are initialised.
     *
     * @param scheme {@code pytorch}, {@code xavier} or {@code he}
     * @param gain the factor on the standard deviation of {@code xavier} and {@code he}
     */
    record Init(String scheme, double gain) {
        static final Init PYTORCH = new Init("pytorch", 1);

        /** @return the standard deviation of a weight of a layer with these fans */
        double std(int in, int out) {
            return switch (scheme) {
                case "xavier" -> gain * Math.sqrt(2.0 / (in + out));
                case "he" -> gain * Math.sqrt(2.0 / in);
                default -> throw new IllegalStateException("no std for init=" + scheme);
            };
        }
    }

    private final SpecSchema schema = SpecSchema.of("model", "mlp",
            SpecKey.text("hidden", "256x256",
                    "hidden layer widths joined by x, e.g. 256x256 or 512; none for no hidden layer"),
            SpecKey.choice("activation", "relu", ACTIVATIONS, "activation after each hidden layer"),
            SpecKey.choice("norm", "none", NORMS, "normalisation between each hidden dense layer and its activation"),
            SpecKey.integer("groups", "8", 1, MAX_WIDTH, "groups of norm=group; must divide every hidden width"),
            SpecKey.bool("residual", false, "hidden layers of the previous layer's width become residual blocks x + f(x)"),
            SpecKey.bool("weight_norm", false, "weight normalisation w = g*v/||v|| per unit in every dense layer (Salimans & Kingma)"),
            SpecKey.bool("batchnorm", false, "insert batch normalisation (bn<i>) between each hidden dense layer and its activation"),
            SpecKey.choice("init", "pytorch", INITS, "dense weights: pytorch U(+-1/sqrt(in)), xavier N(0, 2/(in+out)) or he N(0, 2/in), times init_gain"),
            SpecKey.number("init_gain", "1", 0, false, 100, true, "factor on the standard deviation of init=xavier or init=he"));

    /** Creates the provider. */
    public MlpModelProvider() {
    }

    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public String description() {
        return "multilayer perceptron: dense layers with an activation between them, logits out";
    }

    @Override
    public SpecSchema schema() {
        return schema;
    }

    @Override
    public ModelBlueprint create(Spec spec) {
        Objects.requireNonNull(spec, "spec");
        if (!spec.name().equals(name())) {
            throw new SpecException("model provider 'mlp' cannot create '" + spec.name() + "'");
        }
        SpecArguments args = schema.bind(spec);
        int[] hidden = parseHidden(args.text("hidden"));
        String activation = args.text("activation").toLowerCase(java.util.Locale.ROOT);
        String norm = args.text("norm").toLowerCase(java.util.Locale.ROOT);
        int groups = (int) args.integer("groups");
        if (norm.equals("group")) {
            for (int w : hidden) {
                if (w % groups != 0) {
                    throw new SpecException("model 'mlp': groups=" + groups + " does not divide the hidden width " + w
                            + "; allowed: a number of groups that divides every width in hidden=" + args.text("hidden"));
                }
            }
        }
        boolean residual = args.bool("residual");
        if (residual && java.util.stream.IntStream.range(1, hidden.length).noneMatch(i -> hidden[i] == hidden[i - 1])) {
            throw new SpecException("model 'mlp': residual=true needs two consecutive hidden layers of one width, got hidden="
                    + args.text("hidden") + "; allowed: e.g. hidden=256x256x256");
        }
        boolean weightNorm = args.bool("weight_norm");
        boolean batchNorm = args.bool("batchnorm");
        if (batchNorm && !norm.equals("none")) {
            throw new SpecException("model 'mlp': batchnorm=true and norm=" + norm + " both put a normalisation after each hidden dense layer; "
                    + "allowed: one of them (batchnorm=true with norm=none, or batchnorm=false with norm=layer or norm=group)");
        }
        String normalisation = batchNorm ? "batch" : norm;
        Init init = new Init(args.text("init").toLowerCase(java.util.Locale.ROOT), args.number("init_gain"));
        if (init.scheme().equals("pytorch") && init.gain() != 1) {
            throw new SpecException("model 'mlp': init_gain=" + args.number("init_gain") + " has no effect with init=pytorch; "
                    + "allowed: init_gain with init=xavier or init=he");
        }
        if (weightNorm && !init.scheme().equals("pytorch")) {
            throw new SpecException("model 'mlp': init=" + init.scheme() + " with weight_norm=true is not supported (the norm of v is"
                    + " divided out); allowed: init=pytorch with weight_norm=true");
        }
        return (inputShape, outputs, seed) -> build(hidden, activation, normalisation, groups, residual, weightNorm, init, inputShape, outputs, seed);
    }

    /**
     * @param text widths joined by {@code x}, or {@code none}
     * @return the widths
     * @throws SpecException saying what was wrong and what is allowed
     */
    static int[] parseHidden(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("none")) return new int[0];
        String[] parts = t.split("x", -1);
        if (parts.length > MAX_DEPTH) {
            throw new SpecException("model 'mlp': hidden=" + text + " has " + parts.length + " layers; allowed: at most " + MAX_DEPTH);
        }
        int[] widths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int w;
            try {
                w = p.matches("\\d{1,7}") ? Integer.parseInt(p) : -1;
            } catch (NumberFormatException e) {
                w = -1;
            }
            if (w < 1 || w > MAX_WIDTH) {
                throw new SpecException("model 'mlp': hidden=" + text + " is not valid ('" + p + "' is not a width in [1, "
                        + MAX_WIDTH + "]); allowed: positive widths joined by x, e.g. hidden=256x256 or hidden=512, or hidden=none");
            }
            widths[i] = w;
        }
        return widths;
    }

    /** Bytes per parameter at least: its value, its gradient and one optimizer slot (float32 each). */
    static final int BYTES_PER_PARAMETER = 3 * Float.BYTES;

    /**
     * Refuses, before allocating anything, a network whose layers a tensor cannot hold or whose
     * parameters (value, gradient and one optimizer slot each) would not fit in the heap, so
     * {@code mlp(hidden=40000x40000)} fails at once with the sizes instead of an
     * {@link OutOfMemoryError}.
     */
    private static void checkSize(int[] hidden, String norm, boolean weightNorm, long inputs, int outputs) {
        if (inputs > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("model 'mlp': " + inputs + " inputs per example; allowed: at most " + (Integer.MAX_VALUE - 8));
        }
        long total = 0;
        long in = inputs;
        for (int i = 0; i <= hidden.length; i++) {
            long out = i < hidden.length ? hidden[i] : outputs;
            long weights = in * out;
            if (weights > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("model 'mlp': layer " + (i < hidden.length ? "dense" + (i + 1) : "out") + " would have "
                        + in + " x " + out + " = " + weights + " weights, more than one tensor holds (" + (Integer.MAX_VALUE - 8)
                        + "); choose smaller hidden widths");
            }
            total += weights + out;
            if (!norm.equals("none") && i < hidden.length) total += 2 * out; // a scale and a shift per unit
            if (weightNorm) total += out; // weight_g: one length per unit
            in = out;
        }
        if (!MemoryBudget.fits(total * BYTES_PER_PARAMETER)) {
            throw new IllegalArgumentException("model 'mlp': " + total + " parameters need at least "
                    + MemoryBudget.shortfall((double) total * BYTES_PER_PARAMETER) + ", or choose smaller hidden widths");
        }
    }

    /** A plain network: no normalisation, no residual blocks, plain dense layers (the linear model uses it). */
    static Sequential build(int[] hidden, String activation, int[] inputShape, int outputs, long seed) {
        return build(hidden, activation, "none", 1, false, false, Init.PYTORCH, inputShape, outputs, seed);
    }

    /** @param norm {@code none}, {@code batch}, {@code layer} or {@code group} */
    private static Sequential build(int[] hidden, String activation, String norm, int groups, boolean residual,
                                    boolean weightNorm, Init init, int[] inputShape, int outputs, long seed) {
        Objects.requireNonNull(inputShape, "inputShape");
        if (inputShape.length == 0 || Arrays.stream(inputShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("model 'mlp': input shape must have rank >= 1 and dimensions >= 1, got "
                    + Arrays.toString(inputShape));
        }
        if (outputs < 1) throw new IllegalArgumentException("model 'mlp': outputs must be >= 1, got " + outputs);
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        long inputs = 1;
        for (int d : inputShape) inputs = Math.min(inputs * d, Integer.MAX_VALUE + 1L);
        checkSize(hidden, norm, weightNorm, inputs, outputs);
        int width = inputShape[0];
        if (inputShape.length > 1) {
            layers.add(new Flatten("flatten"));
            width = (int) inputs;
        }
        for (int i = 0; i < hidden.length; i++) {
            int n = i + 1;
            List<Layer> unit = new ArrayList<>();
            unit.add(dense(weightNorm, init, "dense" + n, width, hidden[i], seeds.nextLong()));
            switch (norm) {
                case "batch" -> unit.add(new BatchNorm("bn" + n, hidden[i]));
                case "layer" -> unit.add(new LayerNorm("layer_norm" + n, hidden[i]));
                case "group" -> unit.add(new GroupNorm("group_norm" + n, groups, hidden[i]));
                default -> { }
            }
            unit.add(switch (activation) {
                case "relu" -> new ReLU("relu" + n);
                case "leaky-relu" -> new LeakyReLU("leaky_relu" + n);
                case "tanh" -> new Tanh("tanh" + n);
                case "sigmoid" -> new Sigmoid("sigmoid" + n);
                default -> throw new IllegalStateException("unhandled activation " + activation);
            });
            if (residual && i > 0 && hidden[i] == width) {
                layers.add(new Residual("block" + n, unit));
            } else {
                layers.addAll(unit);
            }
            width = hidden[i];
        }
        layers.add(dense(weightNorm, init, "out", width, outputs, seeds.nextLong()));
        return new Sequential("mlp", inputShape, layers);
    }

    private static Layer dense(boolean weightNorm, Init init, String name, int in, int out, long seed) {
        if (weightNorm) return new WeightNormDense(name, in, out, seed);
        Dense d = new Dense(name, in, out, seed);
        if (!init.scheme().equals("pytorch")) Initializers.normal(d.weight(), init.std(in, out), seed);
        return d;
    }
}
