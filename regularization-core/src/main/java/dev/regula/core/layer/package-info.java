/**
 * Built-in layers and the {@link dev.regula.core.layer.Sequential} model: {@link dev.regula.core.layer.Dense}
 * (PyTorch weight layout [out, in]), the activations {@link dev.regula.core.layer.ReLU},
 * {@link dev.regula.core.layer.LeakyReLU}, {@link dev.regula.core.layer.Tanh},
 * {@link dev.regula.core.layer.Sigmoid}, plus {@link dev.regula.core.layer.Softmax} and
 * {@link dev.regula.core.layer.Flatten}; for convolutional networks (DCGAN)
 * {@link dev.regula.core.layer.Conv2d}, {@link dev.regula.core.layer.ConvTranspose2d},
 * {@link dev.regula.core.layer.BatchNorm} and {@link dev.regula.core.layer.Reshape}, all in PyTorch's
 * NCHW layout and parameter naming, and {@link dev.regula.core.layer.Initializers}.
 *
 * <p>All follow the {@link dev.regula.api.model.Layer} contract: TRAIN forwards cache what
 * backward needs, EVAL forwards change no state (thread-safe inference), inputs are never
 * modified, and shape errors throw {@link dev.regula.api.ShapeMismatchException} naming the layer,
 * the expected and the actual shape.
 */
package dev.regula.core.layer;
