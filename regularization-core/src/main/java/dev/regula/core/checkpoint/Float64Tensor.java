package dev.regula.core.checkpoint;

import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor of doubles as stored in a safetensors file with dtype {@code F64}: what a checkpoint
 * keeps exactly where float32 would round (a regularizer's own Adam moments, a step count).
 * Immutable: the arrays are copied in and out.
 *
 * @param shape the dimensions, each ≥ 0 ({@code []} for a scalar)
 * @param data the values in row-major order, {@code Tensor.sizeOf(shape)} of them
 */
public record Float64Tensor(int[] shape, double[] data) {
    /**
     * @throws IllegalArgumentException if a dimension is negative or the data's length is not the shape's size
     */
    public Float64Tensor {
        shape = Objects.requireNonNull(shape, "shape").clone();
        data = Objects.requireNonNull(data, "data").clone();
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("dimensions must be >= 0, got " + Arrays.toString(shape));
        }
        if (Tensor.sizeOf(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + Tensor.sizeOf(shape)
                    + " values, got " + data.length);
        }
    }

    /**
     * @param values the values
     * @return a vector of shape [values.length]
     */
    public static Float64Tensor vector(double... values) {
        return new Float64Tensor(new int[] {values.length}, values);
    }

    /** @return a copy of the shape */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return a copy of the values */
    @Override
    public double[] data() {
        return data.clone();
    }

    /** @return the number of values */
    public int size() {
        return data.length;
    }

    /** Equal when the shapes and the values' bits are equal (NaN equals NaN, 0.0 differs from -0.0). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Float64Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Float64Tensor" + Arrays.toString(shape);
    }
}
