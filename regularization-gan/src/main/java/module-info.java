/** The soft-regularized GAN face-generation case study (work in progress: module only). */
module dev.regula.gan {
    requires transitive dev.regula.core;
}
