package dev.regula.api;

/** Whether a forward pass is part of training or of evaluation/inference. */
public enum Mode {
    /** Training: activation regularizers (dropout, noise) are active; layers cache what backward needs. */
    TRAIN,
    /** Evaluation and inference: deterministic, no regularization noise, no state mutated. */
    EVAL,
    /**
     * Monte-Carlo inference (MC dropout): the activation regularizers draw their noise as in
     * TRAIN; every other layer behaves as in EVAL (BatchNorm uses its running statistics, nothing
     * is learned or updated). See {@link StepContext#noisy()}.
     */
    SAMPLE
}
