package dev.regula.core.data;

import dev.regula.api.tensor.Tensor;
import java.util.Objects;

/**
 * The content of one IDX file.
 *
 * @param type the element type the file declared
 * @param tensor the values as float32, in the file's shape
 */
public record IdxData(IdxType type, Tensor tensor) {
    /** Checks for nulls. */
    public IdxData {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tensor, "tensor");
    }
}
