package dev.regula.core.train;

/**
 * Summary of one parameter after an epoch.
 *
 * @param name the parameter name
 * @param size number of entries
 * @param l2Norm ‖θ‖₂
 * @param maxAbs max |θ|
 * @param sparsity fraction of entries exactly zero
 */
public record ParameterStats(String name, int size, double l2Norm, double maxAbs, double sparsity) {
}
