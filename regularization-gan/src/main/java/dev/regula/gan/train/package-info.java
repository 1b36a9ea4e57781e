/**
 * The soft-regularized conditional GAN: the DCGAN pair ({@link dev.regula.gan.train.Dcgan}), its
 * trainer with the prior-guided penalty ({@link dev.regula.gan.train.GanTrainer}), checkpoints,
 * and the face case study with its ablation ({@link dev.regula.gan.train.FaceCaseStudy}).
 */
package dev.regula.gan.train;
