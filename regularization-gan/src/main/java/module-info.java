/**
 * The soft-regularized GAN face-generation case study: the face feature extractor φ, the
 * prior-guided output penalty ({@code prior-guided}) and GAN evaluation.
 */
module dev.regula.gan {
    requires transitive dev.regula.core;

    exports dev.regula.gan.eval;
    exports dev.regula.gan.features;
    exports dev.regula.gan.prior;

    provides dev.regula.api.regularizer.RegularizerProvider with dev.regula.gan.prior.PriorGuidedPenaltyProvider;
}
