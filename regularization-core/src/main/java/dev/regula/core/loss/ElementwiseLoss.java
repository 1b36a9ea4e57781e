package dev.regula.core.loss;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.loss.Loss;
import dev.regula.api.tensor.Tensor;

/**
 * Base of the losses that compare output and target element by element and average over all N
 * elements: it checks the shapes and runs the loop; a subclass gives one element's term and
 * gradient. (The public methods are not final, so that javac gives the public subclasses their
 * own bridges and reflection can call them on the subclass.)
 */
abstract sealed class ElementwiseLoss implements Loss permits BinaryCrossEntropyWithLogits, HuberLoss, MeanSquaredError {
    /**
     * @throws dev.regula.api.ShapeMismatchException if the output is empty, or target or gradOutput
     *     do not have the output's shape
     */
    @Override
    public double compute(Tensor output, Tensor target, Tensor gradOutput, Kernels kernels) {
        Losses.requireNonEmpty(name(), output);
        Losses.requireSameShape(name(), output, target, "target");
        Losses.requireSameShape(name(), output, gradOutput, "gradOutput");
        float[] x = output.data();
        float[] t = target.data();
        float[] g = gradOutput.data();
        double invN = 1.0 / x.length;
        double total = 0;
        for (int i = 0; i < x.length; i++) total += term(x[i], t[i], i, g, invN);
        return total * invN;
    }

    /**
     * One element's term of the sum, before the division by N.
     *
     * @param x the output value
     * @param t the target value
     * @param i its index, for messages and for writing the gradient
     * @param g receives g[i] = ∂loss/∂x, the term's derivative times 1/N
     * @param invN 1/N
     * @return the term
     */
    abstract double term(double x, double t, int i, float[] g, double invN);

    @Override
    public String toString() {
        return name();
    }
}
