package dev.regula.api.param;

import dev.regula.api.tensor.Tensor;
import java.util.Objects;

/**
 * A trainable tensor with its gradient, its role and the layer that owns it.
 *
 * <p>The name is unique in a model (by convention {@code layer.kind}, e.g. {@code dense1.weight})
 * and keys checkpoints and optimizer state. The gradient has the value's shape and is zeroed by
 * the trainer before each backward pass; layers and regularizers add into it.
 *
 * <p>Zeroing is lazy: {@link #zeroGrad()} only marks the gradient as zero, and {@link #grad()}
 * clears the storage when it is next asked for, so every reader and every adder sees zeros. A
 * writer that overwrites the whole gradient anyway (a GEMM with β = 0) asks {@link #gradientBeta()}
 * first and skips the clearing pass. Not thread-safe, like the tensors it holds.
 */
public final class Parameter {
    private final String name;
    private final String layer;
    private final ParameterRole role;
    private final Tensor value;
    private final Tensor grad;
    /** zeroGrad() was called and the storage has not been cleared or overwritten since. */
    private boolean gradPendingZero;

    /**
     * @param layer the owning layer's name
     * @param kind the parameter's kind inside the layer ({@code weight}, {@code bias}, ...)
     * @param role the role regularizers select on
     * @param value the initial value (owned by the parameter from now on)
     */
    public Parameter(String layer, String kind, ParameterRole role, Tensor value) {
        this.layer = Objects.requireNonNull(layer, "layer");
        this.name = layer + "." + Objects.requireNonNull(kind, "kind");
        this.role = Objects.requireNonNull(role, "role");
        this.value = Objects.requireNonNull(value, "value");
        this.grad = Tensor.zeros(value.shape());
    }

    /** @return the unique name, {@code layer.kind} */
    public String name() {
        return name;
    }

    /** @return the owning layer's name */
    public String layer() {
        return layer;
    }

    /** @return the role */
    public ParameterRole role() {
        return role;
    }

    /** @return the value (live) */
    public Tensor value() {
        return value;
    }

    /**
     * @return the gradient (live, same shape as the value); cleared first if {@link #zeroGrad()}
     *     was called since it was last written
     */
    public Tensor grad() {
        if (gradPendingZero) {
            grad.fill(0f);
            gradPendingZero = false;
        }
        return grad;
    }

    /**
     * For a writer about to add its contribution G to the gradient as grad ← β·grad + G: returns
     * 0 when the gradient was zeroed and nothing has written it since (the caller must then write
     * every entry without reading the old ones, as a GEMM with β = 0 does), 1 otherwise. Either
     * way the gradient counts as written from now on; take the tensor with {@link #grad()} after
     * this call.
     *
     * @return β, 0 or 1
     */
    public float gradientBeta() {
        if (!gradPendingZero) return 1f;
        gradPendingZero = false;
        return 0f;
    }

    /** @return the number of scalar entries */
    public int size() {
        return value.size();
    }

    /** Sets the gradient to zero (lazily: the storage is cleared or overwritten when next used). */
    public void zeroGrad() {
        gradPendingZero = true;
    }

    @Override
    public String toString() {
        return name + " " + role + " " + value;
    }
}
