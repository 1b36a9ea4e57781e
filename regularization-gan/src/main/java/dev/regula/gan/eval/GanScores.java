package dev.regula.gan.eval;

/**
 * The scores of one set of generated images (or of the real-vs-real baseline).
 *
 * @param featureError mean over images of ‖φ(x) − c‖ (Euclidean) with φ the prior's probe: how
 *     closely the faces show the attributes they were asked for, as the penalty sees it; lower is better
 * @param attributeAccuracy per attribute of the prior, the accuracy of the independent evaluation
 *     classifier on the images against the conditions they were generated from (chance ≈ 0.5)
 * @param meanAccuracy the mean of {@code attributeAccuracy}; higher is better
 * @param frechet Fréchet distance to the reference real faces in the classifier's standardised embedding; lower is better
 * @param kid kernel distance (unbiased MMD², may be slightly negative) in the same space; lower is better
 * @param precision share of the images inside the reference faces' manifold (Kynkäänniemi et al. 2019), higher is better
 * @param recall share of the reference faces inside the images' manifold; higher is better
 * @param diversity within-condition diversity: mean pairwise distance between images of the same
 *     condition in an 8×8 average-pooled RGB view; 0 when every z gives the same face
 */
public record GanScores(double featureError, double[] attributeAccuracy, double meanAccuracy, double frechet, double kid,
                        double precision, double recall, double diversity) {
    /** Copies the accuracies. */
    public GanScores {
        attributeAccuracy = attributeAccuracy.clone();
    }

    /** @return a copy of the per-attribute accuracies */
    @Override
    public double[] attributeAccuracy() {
        return attributeAccuracy.clone();
    }

    /** Compares every component, the accuracies by value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof GanScores s && Double.compare(featureError, s.featureError) == 0
                && java.util.Arrays.equals(attributeAccuracy, s.attributeAccuracy) && Double.compare(meanAccuracy, s.meanAccuracy) == 0
                && Double.compare(frechet, s.frechet) == 0 && Double.compare(kid, s.kid) == 0
                && Double.compare(precision, s.precision) == 0 && Double.compare(recall, s.recall) == 0
                && Double.compare(diversity, s.diversity) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(featureError, java.util.Arrays.hashCode(attributeAccuracy), meanAccuracy, frechet, kid,
                precision, recall, diversity);
    }

    @Override
    public String toString() {
        return "GanScores[featureError=" + featureError + ", attributeAccuracy=" + java.util.Arrays.toString(attributeAccuracy)
                + ", meanAccuracy=" + meanAccuracy + ", frechet=" + frechet + ", kid=" + kid + ", precision=" + precision
                + ", recall=" + recall + ", diversity=" + diversity + "]";
    }
}
