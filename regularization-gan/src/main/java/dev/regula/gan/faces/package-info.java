/**
 * Procedurally rendered synthetic faces with known attributes: {@link dev.regula.gan.faces.FaceAttributes}
 * (the parameters and the four binary labels smiling, glasses, dark hair, pale skin),
 * {@link dev.regula.gan.faces.FaceRenderer} (anti-aliased drawing, a pure function),
 * {@link dev.regula.gan.faces.SyntheticFaces} (reproducible data sets) and
 * {@link dev.regula.gan.faces.FaceDataset} (images with labels, synthetic or CelebA).
 */
package dev.regula.gan.faces;
