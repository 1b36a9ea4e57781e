/**
 * Training: the one {@link dev.regula.core.train.TrainingStep} every trainer runs, the
 * {@link dev.regula.core.train.RegularizationPipeline} of its stages, the
 * {@link dev.regula.core.train.Trainer} of epochs, validation and callbacks, the
 * {@link dev.regula.core.train.Evaluator}, and {@link dev.regula.core.train.TrainingCheckpoint}
 * for exact resume. Contract: a run is a function of its seed, configuration and kernels, so the
 * same inputs give bit-identical parameters, and a run resumed from a checkpoint ends
 * bit-identical to the run never interrupted; NaN or Inf is reported with the step and stage
 * where it appeared.
 */
package dev.regula.core.train;
