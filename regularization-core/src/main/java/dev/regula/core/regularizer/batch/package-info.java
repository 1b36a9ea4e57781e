/**
 * Data-level regularizers run at batch assembly: image augmentation (flips and shifts, random
 * erasing, Cutout) and data mixing (mixup, CutMix). Their randomness is a function of (seed,
 * regularizer name, step) through {@link dev.regula.api.kernels.CounterRng}, like the dropout
 * masks, so runs are reproducible.
 */
package dev.regula.core.regularizer.batch;
