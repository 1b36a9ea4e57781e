package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.ActivationRegularizer;
import dev.regula.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model applying its layers one after the other.
 *
 * <p>The construction checks that layer names and parameter names are unique and runs the
 * example shape through every layer's {@link Layer#outputShape(int[])}, so an architecture that
 * does not fit fails at once with a {@link ShapeMismatchException} naming the layer. Forward
 * checks the batch against {@link #inputShape()}; backward goes through the layers in reverse.
 * {@link #backwardParameters} (what the trainer calls) does the same but lets the first layer skip
 * its input gradient ({@link ParameterBackward}), since nobody needs ∂L/∂data;
 * {@link #backwardInput} returns ∂L/∂input and lets every layer skip its parameter gradients
 * ({@link InputBackward}).
 * Layers are assumed not to modify their input tensors (they may keep references for backward).
 *
 * <p>Thread safety: a shared EVAL forward ({@link dev.regula.api.StepContext#eval}) changes no
 * state if none of its layers does (true for every layer in this package), so one trained model
 * may serve inference from many threads; exclusive EVAL forwards, TRAIN forwards and backwards
 * are for one thread at a time.
 */
public final class Sequential implements Model, ParameterBackward, InputBackward {
    private final String name;
    private final int[] inputShape;
    private final int[] outputShape;
    private final List<Layer> layers;

    /**
     * @param name the model name
     * @param inputShape shape of one example, without the batch dimension
     * @param layers the layers in order, at least one
     * @throws ShapeMismatchException if a layer does not accept the shape the previous one produces
     * @throws IllegalArgumentException for duplicate layer or parameter names
     */
    public Sequential(String name, int[] inputShape, Layer... layers) {
        this(name, inputShape, List.of(layers));
    }

    /**
     * @param name the model name
     * @param inputShape shape of one example, without the batch dimension
     * @param layers the layers in order, at least one
     * @throws ShapeMismatchException if a layer does not accept the shape the previous one produces
     * @throws IllegalArgumentException for duplicate layer or parameter names
     */
    public Sequential(String name, int[] inputShape, List<? extends Layer> layers) {
        this.name = Shapes.checkName(name);
        Objects.requireNonNull(inputShape, "inputShape");
        this.inputShape = inputShape.clone();
        for (int d : this.inputShape) {
            if (d < 1) throw new IllegalArgumentException("model '" + name + "': input dimensions must be >= 1, got "
                    + Arrays.toString(inputShape));
        }
        this.layers = List.copyOf(layers);
        if (this.layers.isEmpty()) throw new IllegalArgumentException("model '" + name + "' needs at least one layer");
        Set<String> layerNames = new HashSet<>();
        Set<String> paramNames = new HashSet<>();
        int[] shape = this.inputShape;
        for (Layer layer : this.layers) {
            List<String> names = new ArrayList<>(List.of(layer.name()));
            if (layer instanceof Residual r) names.addAll(r.names());
            for (String n : names) {
                if (!layerNames.add(n)) {
                    throw new IllegalArgumentException("model '" + name + "': layer name '" + n
                            + "' is used twice; layer names must be unique");
                }
            }
            for (Parameter p : layer.parameters()) {
                if (!paramNames.add(p.name())) {
                    throw new IllegalArgumentException("model '" + name + "': parameter name '" + p.name()
                            + "' is used twice; parameter names must be unique");
                }
            }
            int[] next;
            try {
                next = layer.outputShape(shape.clone());
            } catch (ShapeMismatchException e) {
                String msg = e.getMessage() == null ? "" : e.getMessage();
                throw new ShapeMismatchException("model '" + name + "'"
                        + (msg.contains("'" + layer.name() + "'") ? "" : ", layer '" + layer.name() + "'") + ": " + msg);
            }
            shape = next;
        }
        this.outputShape = shape;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** @return the shape of one output example */
    public int[] outputShape() {
        return outputShape.clone();
    }

    /**
     * @param input shape [batch, inputShape...]
     * @param ctx the step
     * @return the output of the last layer
     * @throws ShapeMismatchException naming this model, the expected and the actual shape
     */
    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        Shapes.requireBatchOf(name, input, inputShape);
        Tensor x = input;
        for (Layer layer : layers) x = layer.forward(x, ctx);
        return x;
    }

    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        Tensor g = gradOutput;
        for (int i = layers.size() - 1; i >= 0; i--) g = layers.get(i).backward(g, ctx);
        return g;
    }

    /**
     * Backward through every layer in reverse, adding the parameter gradients, but without the
     * gradient with respect to the model input: the first layer runs
     * {@link ParameterBackward#backwardParameters} when it implements it.
     *
     * @param gradOutput ∂L/∂output for the batch of the last TRAIN forward
     * @param ctx the same step
     */
    @Override
    public void backwardParameters(Tensor gradOutput, StepContext ctx) {
        Tensor g = gradOutput;
        for (int i = layers.size() - 1; i > 0; i--) g = layers.get(i).backward(g, ctx);
        ParameterBackward.backwardParametersOf(layers.get(0), g, ctx);
    }

    /**
     * Backward through every layer in reverse for ∂L/∂input alone: each layer runs
     * {@link InputBackward#backwardInput} when it implements it, else its full backward (whose
     * parameter gradients are then added as usual), so the parameter gradients are unspecified
     * afterwards.
     *
     * @param gradOutput ∂L/∂output for the batch of the last TRAIN forward
     * @param ctx the same step
     * @return ∂L/∂input, the same bits {@link #backward} returns
     */
    @Override
    public Tensor backwardInput(Tensor gradOutput, StepContext ctx) {
        Tensor g = gradOutput;
        for (int i = layers.size() - 1; i >= 0; i--) g = InputBackward.backwardInputOf(layers.get(i), g, ctx);
        return g;
    }

    /**
     * @param shape must equal {@link #inputShape()}
     * @return {@link #outputShape()}
     */
    @Override
    public int[] outputShape(int[] shape) {
        if (!Arrays.equals(shape, inputShape)) {
            throw new ShapeMismatchException("model '" + name + "' expects examples of shape " + Arrays.toString(inputShape)
                    + " but got " + Arrays.toString(shape));
        }
        return outputShape.clone();
    }

    /**
     * A model with the layers of the given activation regularizers inserted. The new model shares
     * this one's layer objects, hence its parameters: training either trains both.
     *
     * <p>Layers are visited in order; after each layer L, for each regularizer in list order, a
     * layer {@code regularizer.newLayer(n)} is inserted when
     * {@code regularizer.insertAfter(L.name(), L.isActivation() && L is not the last layer)}.
     * The names n are {@code <regularizer name><k>} with k = 1, 2, ... counted per regularizer
     * name and skipping names already taken (e.g. {@code dropout1}, {@code dropout2}); they key the
     * random streams, so they are stable for a given architecture. {@link Residual} blocks are
     * entered: their branches get the same insertions (every activation in a branch counts as
     * hidden), and each regularizer whose {@code insertAtBranchEnd()} is true (drop path) gets a
     * layer after the branch's last layer, before the addition.
     *
     * @param regularizers the regularizers, possibly empty
     * @return the new model (this one if nothing was inserted)
     */
    public Sequential withActivationRegularizers(List<? extends ActivationRegularizer> regularizers) {
        Objects.requireNonNull(regularizers, "regularizers");
        Set<String> taken = new HashSet<>(layerNames());
        Map<String, Integer> counters = new HashMap<>();
        List<Layer> result = insert(layers, true, regularizers, r -> newLayer(r, taken, counters));
        return result.equals(layers) ? this : new Sequential(name, inputShape, result);
    }

    /**
     * @return the names an activation regularizer's {@code after=} glob is matched against: every
     *     layer's, those inside residual branches included, in order
     */
    public List<String> layerNames() {
        List<String> names = new ArrayList<>();
        for (Layer l : layers) {
            names.add(l.name());
            if (l instanceof Residual r) names.addAll(r.names());
        }
        return names;
    }

    /**
     * Those of the regularizers that {@link #withActivationRegularizers} gives no layer in this
     * model (an {@code after=} glob that names no layer, drop path without residual blocks): they
     * do nothing, which a user should hear about.
     *
     * @param regularizers the regularizers
     * @return the ones placed nowhere, in their order
     */
    public List<ActivationRegularizer> placedNowhere(List<? extends ActivationRegularizer> regularizers) {
        Set<ActivationRegularizer> placed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        insert(layers, true, regularizers, r -> { // the same decisions, recorded instead of made into layers
            placed.add(r);
            return null;
        });
        List<ActivationRegularizer> out = new ArrayList<>();
        for (ActivationRegularizer r : regularizers) if (!placed.contains(r)) out.add(r);
        return out;
    }

    /**
     * The insertion of {@link #withActivationRegularizers} into one list of layers: the model's
     * (top level) or a residual branch's, where every activation counts as hidden, and after whose
     * last layer the regularizers with {@code insertAtBranchEnd()} get a layer. Each placement goes
     * through {@code place}, which returns the layer to insert, or null to insert nothing.
     */
    private static List<Layer> insert(List<Layer> layers, boolean topLevel, List<? extends ActivationRegularizer> regularizers,
                                      java.util.function.Function<ActivationRegularizer, Layer> place) {
        List<Layer> result = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer instanceof Residual r) {
                List<Layer> branch = insert(r.branch(), false, regularizers, place);
                for (ActivationRegularizer reg : regularizers) {
                    if (reg.insertAtBranchEnd()) addIfAny(branch, place.apply(reg));
                }
                layer = branch.equals(r.branch()) ? r : r.withBranch(branch);
            }
            result.add(layer);
            boolean hiddenActivation = layer.isActivation() && (!topLevel || i < layers.size() - 1);
            for (ActivationRegularizer r : regularizers) {
                if (r.insertAfter(layer.name(), hiddenActivation)) addIfAny(result, place.apply(r));
            }
        }
        return result;
    }

    private static void addIfAny(List<Layer> layers, Layer layer) {
        if (layer != null) layers.add(layer);
    }

    private static Layer newLayer(ActivationRegularizer r, Set<String> taken, Map<String, Integer> counters) {
        String base = r.name().replaceAll("[\\s.#]", "_");
        String unique;
        do {
            int k = counters.merge(base, 1, Integer::sum);
            unique = base + k;
        } while (!taken.add(unique));
        Layer added = Objects.requireNonNull(r.newLayer(unique), () -> r.name() + ".newLayer returned null");
        if (!added.name().equals(unique)) taken.add(added.name());
        return added;
    }

    @Override
    public String toString() {
        return "Sequential(" + name + ", " + Arrays.toString(inputShape) + " -> " + Arrays.toString(outputShape)
                + ", " + layers + ")";
    }
}
