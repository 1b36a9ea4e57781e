/** The soft-regularized GAN face-generation case study (work in progress: module only). */
module dev.regula.gan {
    requires transitive dev.regula.core;
    requires transitive java.desktop; // javax.imageio; ImageGrid returns a BufferedImage

    exports dev.regula.gan.celeba;
    exports dev.regula.gan.faces;
    exports dev.regula.gan.image;
}
