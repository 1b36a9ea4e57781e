/**
 * Layers and models. Contract (see {@link dev.regula.api.model.Layer}): TRAIN forwards may cache
 * for backward and may return buffers reused at the next step; EVAL forwards change no state
 * visible to other callers; non-trainable state a run needs to continue (BatchNorm statistics)
 * is exposed by {@code Layer.state()} under PyTorch buffer names. Models are built from spec
 * text by a {@link dev.regula.api.model.ModelProvider}.
 */
package dev.regula.api.model;
