package dev.regula.api.param;

/**
 * What a parameter is for. Regularizers select parameters by role; weight decay, for instance,
 * defaults to {@link #WEIGHT} only and never touches biases or normalisation scales.
 */
public enum ParameterRole {
    /** Weight matrices and convolution kernels. */
    WEIGHT,
    /** Additive biases. */
    BIAS,
    /** Scale (gamma) and shift (beta) of normalisation layers. */
    NORM_SCALE,
    /** Embedding tables. */
    EMBEDDING,
    /** Anything else, such as the learnable parameters of a regularizer. */
    OTHER
}
