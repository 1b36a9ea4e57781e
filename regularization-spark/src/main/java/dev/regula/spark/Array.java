package dev.regula.spark;

import dev.regula.api.tensor.Tensor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tensor's values and shape in serialisable form, for broadcasts and task results
 * ({@link Tensor} itself is not serialisable).
 *
 * @param data the values
 * @param shape the shape
 */
record Array(float[] data, int[] shape) implements Serializable {
    static Array of(Tensor t) {
        return new Array(t.data().clone(), t.shape());
    }

    Tensor tensor() {
        return Tensor.of(data, shape);
    }

    static Map<String, Array> of(Map<String, Tensor> tensors) {
        Map<String, Array> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k, of(v)));
        return out;
    }

    static Map<String, Tensor> tensors(Map<String, Array> arrays) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, v.tensor()));
        return out;
    }
}
