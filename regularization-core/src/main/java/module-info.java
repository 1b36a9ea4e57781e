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

    // Built-in regularizers. One `provides` per service is allowed: when merging, join the
    // blocks below into this single statement (separate blocks per family).
    provides RegularizerProvider with
            // --- soft regularizers (package dev.regula.core.regularizer.soft) ---
            dev.regula.core.regularizer.soft.SoftDecayProvider,
            dev.regula.core.regularizer.soft.SoftAnchorProvider,
            dev.regula.core.regularizer.soft.SoftWeightSharingProvider,
            dev.regula.core.regularizer.soft.SoftConstraintProvider,
            // --- dropout and noise (package dev.regula.core.regularizer.noise) ---
            dev.regula.core.regularizer.noise.DropoutProvider,
            dev.regula.core.regularizer.noise.GaussianDropoutProvider,
            dev.regula.core.regularizer.noise.GaussianNoiseProvider,
            dev.regula.core.regularizer.noise.AlphaDropoutProvider,
            dev.regula.core.regularizer.noise.SpatialDropoutProvider,
            dev.regula.core.regularizer.noise.DropConnectProvider;
}
