package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.model.Layer;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link Conv2d}, {@link ConvTranspose2d} and {@link UpsampleConv2d} share: the geometry (channels, a square kernel,
 * equal stride and padding in both directions), the weight and bias with PyTorch's default
 * initialisation, their accessors, and the checks of the input shape. The two differ in the
 * weight's layout and fan-in, the output size and the passes.
 */
abstract sealed class ConvolutionLayer implements Layer permits Conv2d, ConvTranspose2d, UpsampleConv2d {
    final String name;
    final int in;
    final int out;
    final int kernel;
    final int stride;
    final int padding;
    final Parameter weight;
    final Parameter bias;

    /**
     * Checks the name and the geometry, then draws the weight and the bias [out].
     *
     * @param weightShape the weight's PyTorch layout
     * @param fanIn the fan-in of PyTorch's default initialisation
     * @throws IllegalArgumentException for a bad name, fewer than one channel, a kernel or stride
     *     below 1 or a negative padding
     */
    ConvolutionLayer(String name, int inChannels, int outChannels, int kernel, int stride, int padding,
                     int[] weightShape, int fanIn, long seed) {
        this.name = Shapes.checkName(name);
        Shapes.checkConv(name, inChannels, outChannels, kernel, stride, padding);
        this.in = inChannels;
        this.out = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        Initializers.WeightAndBias params = Initializers.pytorchDefault(name, weightShape, fanIn, out, seed);
        this.weight = params.weight();
        this.bias = params.bias();
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the number of input channels */
    public int inChannels() {
        return in;
    }

    /** @return the number of output channels */
    public int outChannels() {
        return out;
    }

    /** @return the weight: [out, in, kernel, kernel] for {@link Conv2d}, [in, out, kernel, kernel] for {@link ConvTranspose2d} */
    public Parameter weight() {
        return weight;
    }

    /** @return the bias, shape [out] */
    public Parameter bias() {
        return bias;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /**
     * @param input a forward input
     * @return its shape, [batch, in, H, W]
     * @throws ShapeMismatchException naming this layer, the expected and the actual shape
     */
    int[] requireImageBatch(Tensor input) {
        int[] s = input.shape();
        if (s.length != 4 || s[1] != in) {
            throw new ShapeMismatchException("layer '" + name + "' expects input of shape [batch, " + in
                    + ", height, width] but got " + Arrays.toString(s));
        }
        return s;
    }

    /**
     * @param inputShape the shape of one example
     * @throws ShapeMismatchException unless it is [in, H, W]
     */
    void requireImage(int[] inputShape) {
        if (inputShape.length != 3 || inputShape[0] != in) {
            throw new ShapeMismatchException("layer '" + name + "' expects examples of shape [" + in
                    + ", height, width] but got " + Arrays.toString(inputShape));
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ", " + in + " -> " + out + ", kernel=" + kernel
                + ", stride=" + stride + ", padding=" + padding + ")";
    }
}
