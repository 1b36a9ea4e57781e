import dev.regula.api.kernels.KernelsProvider;
import dev.regula.api.regularizer.RegularizerProvider;

/**
 * Regula's built-in implementations: regularizers, optimizers, layers, losses, the training
 * pipeline, data readers, checkpoints and the scalar kernels. Everything is published through
 * {@code provides}; implementation packages are not exported (use the specs).
 */
module dev.regula.core {
    requires transitive dev.regula.api;

    exports dev.regula.core.checkpoint;
    exports dev.regula.core.data;
    exports dev.regula.core.kernels;
    exports dev.regula.core.regularizer;

    provides KernelsProvider with dev.regula.core.kernels.ScalarKernelsProvider;
}
