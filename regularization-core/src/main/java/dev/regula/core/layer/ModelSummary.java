package dev.regula.core.layer;

import dev.regula.api.model.Layer;
import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A model's layers with their output shapes and parameter counts, as Keras's {@code summary()}
 * prints them: one row per layer of {@link Model#layers()} (a residual block is one row), the
 * shapes of one example (without the batch dimension), and the totals of trainable parameters
 * and of non-trainable state values ({@link Layer#state()}, BatchNorm's running statistics).
 *
 * @param rows the layers in order
 * @param inputShape the model's input shape
 * @param trainableParameters Σ of the layers' parameter sizes
 * @param stateValues Σ of the layers' state tensor sizes
 */
public record ModelSummary(List<Row> rows, int[] inputShape, long trainableParameters, long stateValues) {
    /** Copies the list and the shape. */
    public ModelSummary {
        rows = List.copyOf(rows);
        inputShape = inputShape.clone();
    }

    /**
     * One layer.
     *
     * @param name the layer's name
     * @param type its class's simple name
     * @param outputShape the shape of one output example
     * @param parameters its trainable parameter count
     */
    public record Row(String name, String type, int[] outputShape, long parameters) {
        /** Copies the shape. */
        public Row {
            outputShape = outputShape.clone();
        }
    }

    /**
     * @param model the model
     * @return its summary
     * @throws dev.regula.api.ShapeMismatchException if a layer does not accept its input shape
     */
    public static ModelSummary of(Model model) {
        Objects.requireNonNull(model, "model");
        int[] shape = model.inputShape();
        List<Row> rows = new ArrayList<>();
        long total = 0;
        for (Layer l : model.layers()) {
            shape = l.outputShape(shape);
            long n = 0;
            for (Parameter p : l.parameters()) n += p.size();
            total += n;
            rows.add(new Row(l.name(), l.getClass().getSimpleName(), shape, n));
        }
        long state = 0;
        for (Tensor t : model.state().values()) state += t.size();
        return new ModelSummary(rows, model.inputShape(), total, state);
    }

    /** @return the table: layer (type), output shape, parameters; then the totals */
    @Override
    public String toString() {
        int w = Math.max(20, rows.stream().mapToInt(r -> r.name().length() + r.type().length() + 3).max().orElse(0));
        StringBuilder b = new StringBuilder();
        String format = "%-" + w + "s  %-18s  %,12d%n";
        b.append(String.format(Locale.ROOT, "%-" + w + "s  %-18s  %12s%n", "layer (type)", "output shape", "parameters"));
        b.append(String.format(Locale.ROOT, "%-" + w + "s  %-18s%n", "input", Arrays.toString(inputShape)));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, format, r.name() + " (" + r.type() + ")", Arrays.toString(r.outputShape()), r.parameters()));
        }
        b.append(String.format(Locale.ROOT, "trainable parameters: %,d%n", trainableParameters));
        b.append(String.format(Locale.ROOT, "non-trainable state values: %,d%n", stateValues));
        return b.toString();
    }
}
