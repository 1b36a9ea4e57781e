package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/** Shape and name checks shared by the layers; every message names the layer. */
final class Shapes {
    private Shapes() {
    }

    /**
     * @param name a layer name
     * @return the name, if it is usable in parameter names ({@code layer.kind}) and state keys ({@code name#slot})
     */
    static String checkName(String name) {
        Objects.requireNonNull(name, "layer name");
        if (name.isEmpty() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '.' || c == '#')) {
            throw new IllegalArgumentException("bad layer name '" + name
                    + "'; allowed: non-empty text without whitespace, '.' or '#'");
        }
        return name;
    }

    /**
     * Checks the geometry shared by {@link Conv2d} and {@link ConvTranspose2d}.
     *
     * @param name the layer name, for the message
     * @throws IllegalArgumentException unless channels, kernel and stride are ≥ 1 and padding ≥ 0
     */
    static void checkConv(String name, int inChannels, int outChannels, int kernel, int stride, int padding) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("layer '" + name + "': need inChannels, outChannels, kernel, stride >= 1"
                    + " and padding >= 0, got inChannels=" + inChannels + ", outChannels=" + outChannels
                    + ", kernel=" + kernel + ", stride=" + stride + ", padding=" + padding);
        }
    }

    /**
     * Checks that {@code input} is a batch of examples of shape {@code example}.
     *
     * @param layer the layer name, for the message
     * @param input the batch
     * @param example the expected shape of one example
     */
    static void requireBatchOf(String layer, Tensor input, int[] example) {
        int[] s = input.shape();
        if (s.length != example.length + 1 || !Arrays.equals(s, 1, s.length, example, 0, example.length)) {
            throw new ShapeMismatchException("layer '" + layer + "' expects input of shape " + batchOf(example)
                    + " but got " + Arrays.toString(s));
        }
    }

    /**
     * Checks that {@code input} has a batch dimension.
     *
     * @param layer the layer name, for the message
     * @param input the batch
     */
    static void requireBatched(String layer, Tensor input) {
        if (input.rank() < 1) {
            throw new ShapeMismatchException("layer '" + layer + "' expects input of shape [batch, ...] but got a scalar "
                    + Arrays.toString(input.shape()));
        }
    }

    /**
     * Checks the gradient given to backward against the output of the cached forward.
     *
     * @param layer the layer name
     * @param gradOutput ∂L/∂output
     * @param outputShape the shape of the cached forward's output
     */
    static void requireGradShape(String layer, Tensor gradOutput, int[] outputShape) {
        if (!Arrays.equals(gradOutput.shape(), outputShape)) {
            throw new ShapeMismatchException("layer '" + layer + "': backward got a gradient of shape "
                    + Arrays.toString(gradOutput.shape()) + " but the last TRAIN forward produced "
                    + Arrays.toString(outputShape));
        }
    }

    /**
     * @param layer the layer name
     * @return the exception for a backward without a TRAIN forward
     */
    static IllegalStateException noForward(String layer) {
        return new IllegalStateException("layer '" + layer + "': backward called without a preceding TRAIN-mode forward"
                + " (EVAL forwards cache nothing)");
    }

    /**
     * @param example shape of one example
     * @return the text {@code [batch, d1, d2, ...]}
     */
    static String batchOf(int[] example) {
        StringBuilder sb = new StringBuilder("[batch");
        for (int d : example) sb.append(", ").append(d);
        return sb.append(']').toString();
    }
}
