/**
 * The types every Regula module shares: the {@link dev.regula.api.StepContext} of a training or
 * evaluation step ({@link dev.regula.api.Mode}, step, epoch, learning rate, seed, kernels) and the
 * exceptions. Contract: every exception's message names what was wrong and what is allowed. All
 * are unchecked {@link dev.regula.api.RegulaException}s except
 * {@link dev.regula.api.CorruptDataException}, an {@link java.io.IOException} (as the JDK's
 * {@code ZipException} is) so that {@code catch (IOException e)} around a read also catches a
 * corrupt file; it names the file, {@link dev.regula.api.NumericalFaultException} the step and stage, and
 * {@link dev.regula.api.PluginException} the plugin and where it came from.
 */
package dev.regula.api;
