package dev.regula.core.optim;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.optim.Optimizer;
import dev.regula.api.param.Parameter;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Common part of the built-in optimizers: name, canonical spec, learning-rate schedule and the
 * per-parameter state slots, stored under {@code <parameter name>#<slot>} and created as zeros
 * on first use. Optimizer-wide scalars (Adam's step counter) are stored under {@code #<slot>}.
 */
abstract class AbstractOptimizer implements Optimizer {
    private final String name;
    private final String spec;
    private final Schedule learningRate;
    private final List<String> slots;
    private final Map<String, Tensor> state = new HashMap<>();

    /**
     * @param name the provider name
     * @param spec the canonical spec
     * @param learningRate the schedule η_t
     * @param slots the per-parameter and global slot names this optimizer stores, e.g. {@code m}, {@code v}
     */
    AbstractOptimizer(String name, String spec, Schedule learningRate, List<String> slots) {
        this.name = Objects.requireNonNull(name);
        this.spec = Objects.requireNonNull(spec);
        this.learningRate = Objects.requireNonNull(learningRate);
        this.slots = List.copyOf(slots);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String spec() {
        return spec;
    }

    @Override
    public final Schedule learningRate() {
        return learningRate;
    }

    /**
     * The state tensor of one parameter, created as zeros with the parameter's shape.
     *
     * @param p the parameter
     * @param slot the slot name
     * @return the live state tensor
     * @throws ShapeMismatchException if a loaded state tensor does not have the parameter's shape
     */
    final Tensor slot(Parameter p, String slot) {
        String key = p.name() + "#" + slot;
        Tensor t = state.get(key);
        if (t == null) {
            t = Tensor.zeros(p.value().shape());
            state.put(key, t);
        } else if (!t.sameShape(p.value())) {
            throw new ShapeMismatchException(name + ": optimizer state '" + key + "' has shape " + Arrays.toString(t.shape())
                    + " but parameter " + p.name() + " has shape " + Arrays.toString(p.value().shape()));
        }
        return t;
    }

    /**
     * @param slot a global slot name
     * @return its 1-element tensor, created as zero
     */
    final Tensor scalar(String slot) {
        return state.computeIfAbsent("#" + slot, k -> Tensor.zeros(1));
    }

    /** @return deep copies of the state tensors, sorted by key */
    @Override
    public final Map<String, Tensor> state() {
        Map<String, Tensor> copy = new TreeMap<>();
        state.forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    /**
     * Replaces the state with copies of the given tensors.
     *
     * @param saved tensors from {@link #state()}; missing keys start from zero
     * @throws IllegalArgumentException for a key that is not {@code <parameter>#<slot>} with one of this optimizer's slots
     */
    @Override
    public final void loadState(Map<String, Tensor> saved) {
        checkState(saved);
        Map<String, Tensor> next = new HashMap<>();
        for (Map.Entry<String, Tensor> e : saved.entrySet()) next.put(e.getKey(), e.getValue().copy());
        state.clear();
        state.putAll(next);
    }

    @Override
    public final void checkState(Map<String, Tensor> saved) {
        Objects.requireNonNull(saved, "state");
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            String key = e.getKey();
            int hash = key.lastIndexOf('#');
            if (hash < 0 || !slots.contains(key.substring(hash + 1))) {
                throw new IllegalArgumentException(name + ": unknown optimizer state key '" + key
                        + "'; allowed: <parameter>#<slot> with slot one of " + slots);
            }
            if (hash == 0 && e.getValue().size() != 1) {
                throw new ShapeMismatchException(name + ": optimizer state '" + key + "' must have 1 element, got "
                        + Arrays.toString(e.getValue().shape()));
            }
        }
    }

    @Override
    public String toString() {
        return spec;
    }
}
