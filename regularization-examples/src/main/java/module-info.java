/**
 * Regula's examples and command line (work in progress: for now {@link dev.regula.examples.Main}
 * lists what is installed).
 *
 * <p>It declares {@code uses} for the regularizer service because it loads plugins from class
 * loaders of its own (plugin directories), not only through the API's lookups.
 */
module dev.regula.examples {
    requires dev.regula.core;
    requires dev.regula.gan;

    uses dev.regula.api.regularizer.RegularizerProvider;
}
