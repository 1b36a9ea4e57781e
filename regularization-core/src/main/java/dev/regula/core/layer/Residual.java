package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A residual block y = x + f(x) (He et al. 2016), f the branch: layers applied one after the
 * other, whose output must have the input's shape. Backward returns ∂L/∂y + f'ᵀ(∂L/∂y). The
 * branch is where drop path (stochastic depth) acts: an activation regularizer whose
 * {@code insertAtBranchEnd()} is true gets a layer after the branch's last layer
 * ({@link Sequential#withActivationRegularizers}).
 *
 * <p>Buffers follow the {@link Layer} contract: TRAIN outputs and input gradients are reused,
 * shared EVAL outputs are new tensors.
 */
public final class Residual implements Layer {
    private final String name;
    private final List<Layer> branch;
    private final ForwardOutput output = new ForwardOutput();
    private Tensor inputGradient;
    private int[] cachedShape;

    /**
     * @param name the block's name
     * @param branch the branch f, at least one layer, names unique in the model
     */
    public Residual(String name, List<? extends Layer> branch) {
        this.name = Shapes.checkName(name);
        this.branch = List.copyOf(branch);
        if (this.branch.isEmpty()) throw new IllegalArgumentException("residual block '" + name + "' needs at least one layer");
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the branch's layers */
    public List<Layer> branch() {
        return branch;
    }

    /**
     * @param newBranch another branch
     * @return a block of the same name with that branch (sharing its layer objects)
     */
    public Residual withBranch(List<? extends Layer> newBranch) {
        return new Residual(name, newBranch);
    }

    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        Tensor f = input;
        for (Layer l : branch) f = l.forward(f, ctx);
        if (f.size() != input.size()) {
            throw new ShapeMismatchException("residual block '" + name + "': the branch turned " + Arrays.toString(input.shape())
                    + " into " + Arrays.toString(f.shape()) + "; it must keep the shape");
        }
        Tensor y = output.next(ctx, input.shape());
        float[] a = input.data();
        float[] b = f.data();
        float[] o = y.data();
        for (int i = 0; i < o.length; i++) o[i] = a[i] + b[i];
        if (ctx.training()) cachedShape = input.shape();
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        if (cachedShape == null) throw Shapes.noForward(name);
        Shapes.requireGradShape(name, gradOutput, cachedShape);
        Tensor g = gradOutput;
        for (int i = branch.size() - 1; i >= 0; i--) g = branch.get(i).backward(g, ctx);
        Tensor gin = inputGradient = Tensor.reuse(inputGradient, cachedShape);
        float[] a = gradOutput.data();
        float[] b = g.data();
        float[] o = gin.data();
        for (int i = 0; i < o.length; i++) o[i] = a[i] + b[i];
        return gin;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer l : branch) all.addAll(l.parameters());
        return all;
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (Layer l : branch) all.putAll(l.state());
        return all;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        int[] shape = inputShape.clone();
        for (Layer l : branch) shape = l.outputShape(shape);
        if (!Arrays.equals(shape, inputShape)) {
            throw new ShapeMismatchException("residual block '" + name + "': the branch turns " + Arrays.toString(inputShape)
                    + " into " + Arrays.toString(shape) + "; it must keep the shape");
        }
        return shape;
    }

    @Override
    public String toString() {
        return "Residual(" + name + ", " + branch + ")";
    }

    /** @return the layer names of the branch, for uniqueness checks */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (Layer l : branch) {
            out.add(l.name());
            if (l instanceof Residual r) out.addAll(r.names());
        }
        return Objects.requireNonNull(out);
    }
}
