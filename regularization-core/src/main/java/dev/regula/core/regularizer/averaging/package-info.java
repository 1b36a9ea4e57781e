/**
 * Weight averaging after the update: an exponential moving average of the weights (timm's
 * {@code ModelEmaV2/V3}, TensorFlow's {@code ExponentialMovingAverage}) and stochastic weight
 * averaging (Izmailov et al. 2018, PyTorch's {@code swa_utils.AveragedModel}). Training keeps the
 * live weights; evaluation may use the averages ({@code Trainer.evaluateWith}).
 */
package dev.regula.core.regularizer.averaging;
