/**
 * The soft-regularized GAN face-generation case study: synthetic faces and the CelebA loader, the
 * face feature extractor φ, the prior-guided output penalty ({@code prior-guided}), GAN
 * evaluation and image grids.
 */
module dev.regula.gan {
    requires transitive dev.regula.core;
    requires transitive java.desktop; // javax.imageio; ImageGrid returns a BufferedImage

    exports dev.regula.gan.celeba;
    exports dev.regula.gan.eval;
    exports dev.regula.gan.faces;
    exports dev.regula.gan.features;
    exports dev.regula.gan.image;
    exports dev.regula.gan.prior;
    exports dev.regula.gan.train;

    provides dev.regula.api.regularizer.RegularizerProvider with dev.regula.gan.prior.PriorGuidedPenaltyProvider,
            dev.regula.gan.train.R1PenaltyProvider, dev.regula.gan.train.R2PenaltyProvider;
}
