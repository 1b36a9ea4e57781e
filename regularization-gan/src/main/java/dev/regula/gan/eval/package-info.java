/**
 * GAN evaluation without any pretrained network, on three disjoint sets of real faces: an attribute
 * classifier trained on one (independent of the penalty's φ); Fréchet and kernel (KID) distances and
 * precision/recall ({@link dev.regula.gan.eval.PrecisionRecall}) against a second, in the classifier's
 * standardised embedding; within-condition {@link dev.regula.gan.eval.Diversity}; and the real-vs-real
 * baseline of the third, whose labels are the evaluation conditions ({@link dev.regula.gan.eval.GanEvaluator}).
 * {@link dev.regula.gan.eval.MeanSd} summarises runs over seeds.
 */
package dev.regula.gan.eval;
