package dev.regula.api.param;

import dev.regula.api.tensor.Tensor;
import java.util.Objects;

/**
 * A trainable tensor with its gradient, its role and the layer that owns it.
 *
 * <p>The name is unique in a model (by convention {@code layer.kind}, e.g. {@code dense1.weight})
 * and keys checkpoints and optimizer state. The gradient has the value's shape and is zeroed by
 * the trainer before each backward pass; layers and regularizers add into it.
 */
public final class Parameter {
    private final String name;
    private final String layer;
    private final ParameterRole role;
    private final Tensor value;
    private final Tensor grad;

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

    /** @return the gradient (live, same shape as the value) */
    public Tensor grad() {
        return grad;
    }

    /** @return the number of scalar entries */
    public int size() {
        return value.size();
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        grad.fill(0f);
    }

    @Override
    public String toString() {
        return name + " " + role + " " + value;
    }
}
