/**
 * Reading CelebA when a user has it: the attribute table ({@link dev.regula.gan.celeba.CelebaAttributes})
 * and the aligned images, centre-cropped and resized ({@link dev.regula.gan.celeba.CelebaLoader}).
 */
package dev.regula.gan.celeba;
