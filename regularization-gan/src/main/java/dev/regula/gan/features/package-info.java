/**
 * The fixed feature extractor φ of the limited face prior: {@link dev.regula.gan.features.AttributeProbe},
 * a linear probe fitted once on real faces that reads the attributes the prior c names.
 */
package dev.regula.gan.features;
