package dev.regula.api.tensor;

import dev.regula.api.ShapeMismatchException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense float32 tensor in row-major order.
 *
 * <p>The backing array is exposed by {@link #data()} so that kernels can work on it without
 * copying; a tensor is therefore mutable and not thread-safe for writes. Shapes are checked on
 * construction and by every method that combines tensors, with a {@link ShapeMismatchException}
 * naming both shapes.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /**
     * A new tensor of zeros.
     *
     * @param shape the dimensions, each >= 0
     * @return the tensor
     */
    public static Tensor zeros(int... shape) {
        int[] s = checkShape(shape);
        return new Tensor(new float[sizeOf(s)], s);
    }

    /**
     * A buffer for a result that is recomputed every step: {@code buffer} itself when it has
     * exactly this shape, so that its memory, still in cache from the last step, is reused
     * (its values are left as they are: the caller overwrites every one), else a new tensor of
     * zeros. Layers use it for their TRAIN-mode outputs (see {@link dev.regula.api.model.Layer}).
     *
     * @param buffer the previous buffer, or null
     * @param shape the dimensions needed, each >= 0
     * @return {@code buffer} or a new tensor of that shape
     */
    public static Tensor reuse(Tensor buffer, int... shape) {
        return buffer != null && buffer.hasShape(shape) ? buffer : zeros(shape);
    }

    /**
     * Wraps an array without copying it.
     *
     * @param data values in row-major order; its length must equal the product of the shape
     * @param shape the dimensions
     * @return a tensor sharing {@code data}
     */
    public static Tensor wrap(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = checkShape(shape);
        if (data.length != sizeOf(s)) {
            throw new ShapeMismatchException("data has " + data.length + " values but shape "
                    + Arrays.toString(s) + " needs " + sizeOf(s));
        }
        return new Tensor(data, s);
    }

    /**
     * Copies an array into a new tensor.
     *
     * @param data values in row-major order
     * @param shape the dimensions
     * @return a tensor owning a copy of {@code data}
     */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** @return the backing array (live, row-major) */
    public float[] data() {
        return data;
    }

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /**
     * @param axis a dimension index, negative counts from the end
     * @return the size of that dimension
     */
    public int dim(int axis) {
        int a = axis < 0 ? shape.length + axis : axis;
        if (a < 0 || a >= shape.length) {
            throw new IndexOutOfBoundsException("axis " + axis + " out of range for rank " + shape.length);
        }
        return shape[a];
    }

    /** @return the number of elements */
    public int size() {
        return data.length;
    }

    /** @return the size of the first dimension (the batch, for activations) */
    public int rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** @return the number of elements per row: size / rows, 1 for a scalar */
    public int rowSize() {
        return shape.length == 0 || shape[0] == 0 ? (shape.length == 0 ? 1 : 0) : data.length / shape[0];
    }

    /**
     * @param index the flat row-major index
     * @return the value there
     */
    public float get(int index) {
        return data[index];
    }

    /**
     * @param row first index
     * @param col second index
     * @return the value at (row, col) of a rank-2 tensor
     */
    public float get(int row, int col) {
        requireRank(2);
        return data[row * shape[1] + col];
    }

    /**
     * @param index the flat row-major index
     * @param value the value to store
     */
    public void set(int index, float value) {
        data[index] = value;
    }

    /**
     * @param row first index
     * @param col second index
     * @param value the value to store at (row, col) of a rank-2 tensor
     */
    public void set(int row, int col, float value) {
        requireRank(2);
        data[row * shape[1] + col] = value;
    }

    /** @return a deep copy */
    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /**
     * A view with another shape over the same data.
     *
     * @param newShape dimensions with the same product; one may be -1 to infer it
     * @return a tensor sharing this one's data
     */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        int known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new ShapeMismatchException("reshape allows one -1, got " + Arrays.toString(newShape));
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || data.length % known != 0) {
                throw new ShapeMismatchException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
            }
            s[infer] = data.length / known;
        }
        checkShape(s);
        if (sizeOf(s) != data.length) {
            throw new ShapeMismatchException("cannot reshape " + Arrays.toString(shape) + " (" + data.length
                    + " values) to " + Arrays.toString(newShape));
        }
        return new Tensor(data, s);
    }

    /**
     * @param value the value to write everywhere
     * @return this
     */
    public Tensor fill(float value) {
        Arrays.fill(data, value);
        return this;
    }

    /**
     * Copies another tensor's values into this one.
     *
     * @param other a tensor of the same shape
     * @return this
     */
    public Tensor copyFrom(Tensor other) {
        requireSameShape(other, "copyFrom");
        System.arraycopy(other.data, 0, data, 0, data.length);
        return this;
    }

    /**
     * @param dims dimensions
     * @return true if this tensor has exactly these dimensions (no copy of the shape is made)
     */
    public boolean hasShape(int... dims) {
        return Arrays.equals(shape, dims);
    }

    /**
     * @param other another tensor
     * @return true if both have the same dimensions
     */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /**
     * @param other a tensor that must have this shape
     * @param what the operation, named in the error
     * @throws ShapeMismatchException naming both shapes
     */
    public void requireSameShape(Tensor other, String what) {
        if (!sameShape(other)) {
            throw new ShapeMismatchException(what + ": shape " + Arrays.toString(other.shape)
                    + " does not match " + Arrays.toString(shape));
        }
    }

    /**
     * @param r the rank required
     * @throws ShapeMismatchException if this tensor has another rank
     */
    public void requireRank(int r) {
        if (shape.length != r) {
            throw new ShapeMismatchException("expected a rank-" + r + " tensor, got shape " + Arrays.toString(shape));
        }
    }

    /** @return true if every value is finite (no NaN, no Inf) */
    public boolean allFinite() {
        for (float v : data) {
            if (!Float.isFinite(v)) return false;
        }
        return true;
    }

    /**
     * @param shape dimensions
     * @return the product of the dimensions
     */
    public static int sizeOf(int... shape) {
        boolean empty = false;
        for (int d : shape) {
            if (d < 0) throw new ShapeMismatchException("dimensions must be >= 0, got " + Arrays.toString(shape));
            empty |= d == 0;
        }
        if (empty) return 0;
        long n = 1;
        for (int d : shape) {
            n *= d; // each step stays below 2^31 · 2^31: the bound is checked before the next
            if (n > Integer.MAX_VALUE - 8 || n < 0) {
                throw new ShapeMismatchException("shape " + Arrays.toString(shape) + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    private static int[] checkShape(int[] shape) {
        Objects.requireNonNull(shape, "shape");
        for (int d : shape) {
            if (d < 0) throw new ShapeMismatchException("dimensions must be >= 0, got " + Arrays.toString(shape));
        }
        return shape.clone();
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
