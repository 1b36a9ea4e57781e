package dev.regula.core.model;

import dev.regula.api.model.Layer;
import dev.regula.api.model.ModelBlueprint;
import dev.regula.api.model.ModelProvider;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.layer.Dense;
import dev.regula.core.layer.Flatten;
import dev.regula.core.layer.GroupNorm;
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
 * Publishes {@code mlp(hidden=256x256, activation=relu)}: a multilayer perceptron.
 *
 * <p>The built model is a {@link Sequential} named {@code mlp}: a {@code flatten} layer when the
 * example shape has rank &gt; 1 (e.g. [1, 28, 28]), then for each hidden width h_i a
 * {@code dense<i>} layer and an activation layer named after it ({@code relu<i>},
 * {@code leaky_relu<i>}, {@code tanh<i>}, {@code sigmoid<i>}), then a {@code out} dense layer
 * producing the logits (no softmax: the losses take logits). With {@code norm=layer} or
 * {@code norm=group} a {@code layer_norm<i>} ({@link LayerNorm}) or {@code group_norm<i>}
 * ({@link GroupNorm} with {@code groups} groups, which must divide every width) sits between each
 * hidden dense layer and its activation. With {@code residual=true} every hidden layer after
 * the first whose width equals the previous one becomes a residual block {@code block<i>}
 * computing x + act(norm(dense(x))) (where drop path acts); at least one such pair is needed.
 * With {@code weight_norm=true} every dense layer, the output one included, is a
 * {@link WeightNormDense} (parameters {@code weight_v}, {@code weight_g}, {@code bias}). {@code hidden} is a list of widths
 * joined by {@code x} ({@code 256}, {@code 512x256}) or {@code none} for a linear model. Each
 * dense layer's initialisation seed is drawn in order from a {@link SplittableRandom} seeded with
 * the build seed.
 */
public final class MlpModelProvider implements ModelProvider {
    /** Largest accepted hidden width. */
    static final int MAX_WIDTH = 1 << 16;
    /** Largest accepted number of hidden layers. */
    static final int MAX_DEPTH = 64;

    private static final List<String> ACTIVATIONS = List.of("relu", "leaky-relu", "tanh", "sigmoid");
    private static final List<String> NORMS = List.of("none", "layer", "group");

    private final SpecSchema schema = SpecSchema.of("model", "mlp",
            SpecKey.text("hidden", "256x256",
                    "hidden layer widths joined by x, e.g. 256x256 or 512; none for no hidden layer"),
            SpecKey.choice("activation", "relu", ACTIVATIONS, "activation after each hidden layer"),
            SpecKey.choice("norm", "none", NORMS, "normalisation between each hidden dense layer and its activation"),
            SpecKey.integer("groups", "8", 1, MAX_WIDTH, "groups of norm=group; must divide every hidden width"),
            SpecKey.bool("residual", false, "hidden layers of the previous layer's width become residual blocks x + f(x)"),
            SpecKey.bool("weight_norm", false, "weight normalisation w = g*v/||v|| per unit in every dense layer (Salimans & Kingma)"));

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
        return (inputShape, outputs, seed) -> build(hidden, activation, norm, groups, residual, weightNorm, inputShape, outputs, seed);
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

    private static Sequential build(int[] hidden, String activation, String norm, int groups, boolean residual,
                                    boolean weightNorm, int[] inputShape, int outputs, long seed) {
        Objects.requireNonNull(inputShape, "inputShape");
        if (inputShape.length == 0 || Arrays.stream(inputShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("model 'mlp': input shape must have rank >= 1 and dimensions >= 1, got "
                    + Arrays.toString(inputShape));
        }
        if (outputs < 1) throw new IllegalArgumentException("model 'mlp': outputs must be >= 1, got " + outputs);
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int width = inputShape[0];
        if (inputShape.length > 1) {
            layers.add(new Flatten("flatten"));
            width = Math.toIntExact(Arrays.stream(inputShape).asLongStream().reduce(1, Math::multiplyExact));
        }
        for (int i = 0; i < hidden.length; i++) {
            int n = i + 1;
            List<Layer> unit = new ArrayList<>();
            unit.add(dense(weightNorm, "dense" + n, width, hidden[i], seeds.nextLong()));
            switch (norm) {
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
        layers.add(dense(weightNorm, "out", width, outputs, seeds.nextLong()));
        return new Sequential("mlp", inputShape, layers);
    }

    private static Layer dense(boolean weightNorm, String name, int in, int out, long seed) {
        return weightNorm ? new WeightNormDense(name, in, out, seed) : new Dense(name, in, out, seed);
    }
}
