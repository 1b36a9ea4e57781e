/**
 * The dropout and noise family: activation regularizers (dropout, Gaussian dropout, Gaussian
 * noise, alpha dropout, spatial dropout) that insert a layer active only in training, and
 * drop-connect, which perturbs weights for one forward/backward pass. Randomness comes only from
 * {@link dev.regula.api.kernels.CounterRng} keyed by (seed, layer or parameter name, step, index).
 * Not exported; users create them from specs.
 */
package dev.regula.core.regularizer.noise;
