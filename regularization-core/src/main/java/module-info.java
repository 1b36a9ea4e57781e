import dev.regula.api.kernels.KernelsProvider;
import dev.regula.api.regularizer.RegularizerProvider;

/**
 * Regula's built-in implementations: regularizers, optimizers, layers, losses, the training
 * pipeline, data readers, checkpoints and the scalar kernels. Everything is published through
 * {@code provides}; implementation packages are not exported (use the specs).
 */
module dev.regula.core {
    requires transitive dev.regula.api;

    exports dev.regula.core.kernels;
    exports dev.regula.core.regularizer;

    provides KernelsProvider with dev.regula.core.kernels.ScalarKernelsProvider;
    provides RegularizerProvider with
            dev.regula.core.regularizer.penalty.L1Provider,
            dev.regula.core.regularizer.penalty.L2Provider,
            dev.regula.core.regularizer.penalty.ElasticNetProvider,
            dev.regula.core.regularizer.penalty.OrthogonalProvider,
            dev.regula.core.regularizer.decay.WeightDecayProvider,
            dev.regula.core.regularizer.proximal.L1ProximalProvider,
            dev.regula.core.regularizer.proximal.GroupLassoProvider,
            dev.regula.core.regularizer.constraint.MaxNormProvider,
            dev.regula.core.regularizer.constraint.UnitNormProvider,
            dev.regula.core.regularizer.constraint.MinMaxNormProvider,
            dev.regula.core.regularizer.constraint.NonNegativeProvider,
            dev.regula.core.regularizer.clip.ClipNormProvider,
            dev.regula.core.regularizer.clip.ClipValueProvider;
}
