/**
 * The fixed, differentiable face feature extractor φ ({@link dev.regula.gan.features.FaceFeatures})
 * that the prior-guided penalty compares with the condition vector c.
 */
package dev.regula.gan.features;
