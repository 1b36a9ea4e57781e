/** The soft-regularized conditional GAN case study (to come). */
package dev.regula.gan;
