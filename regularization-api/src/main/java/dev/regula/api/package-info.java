/**
 * The types every Regula module shares: the {@link dev.regula.api.StepContext} of a training or
 * evaluation step ({@link dev.regula.api.Mode}, step, epoch, learning rate, seed, kernels) and the
 * exceptions. Contract: every exception is a {@link dev.regula.api.RegulaException} whose message
 * names what was wrong and what is allowed; {@link dev.regula.api.CorruptDataException} names the
 * file, {@link dev.regula.api.NumericalFaultException} the step and stage, and
 * {@link dev.regula.api.PluginException} the plugin and where it came from.
 */
package dev.regula.api;
