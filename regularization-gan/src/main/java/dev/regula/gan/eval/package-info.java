/**
 * GAN evaluation without any pretrained network: an attribute classifier trained on the real
 * images (independent of the penalty's φ), Fréchet and kernel (KID) distances in its embedding
 * space after standardisation, and {@link dev.regula.gan.eval.GanEvaluator} tying them together
 * with a real-vs-real baseline.
 */
package dev.regula.gan.eval;
