package dev.regula.gan.eval;

/**
 * The scores of one set of generated images (or of the real-vs-real baseline).
 *
 * @param featureError mean over images of ‖φ(G) − c‖ (Euclidean, not squared): how closely the
 *     generated faces follow the prior features they were given; lower is better
 * @param attributeAccuracy mean per-attribute accuracy of the independent classifier on the
 *     generated images against the labels of the faces whose c was used (chance ≈ 0.5); higher is better
 * @param frechet Fréchet distance to the real images in the classifier's standardised embedding; lower is better
 * @param kid kernel distance (unbiased MMD², may be slightly negative) in the same space; lower is better
 */
public record GanScores(double featureError, double attributeAccuracy, double frechet, double kid) {
}
