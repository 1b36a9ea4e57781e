import dev.regula.api.kernels.KernelsProvider;
import dev.regula.api.model.ModelProvider;
import dev.regula.api.optim.OptimizerProvider;
import dev.regula.api.regularizer.RegularizerProvider;

/**
 * Regula's built-in implementations: regularizers, optimizers, layers, losses, the training
 * pipeline, data readers, checkpoints and the scalar kernels. Everything is published through
 * {@code provides}; implementation packages are not exported (use the specs), the internal
 * packages {@code io} and {@code kernels} only to Regula's own modules.
 */
@SuppressWarnings("module") // the qualified exports name modules built after this one
module dev.regula.core {
    requires transitive dev.regula.api;

    exports dev.regula.core.checkpoint;
    exports dev.regula.core.data;
    exports dev.regula.core.regularizer;
    exports dev.regula.core.layer;
    exports dev.regula.core.loss;
    exports dev.regula.core.train;
    exports dev.regula.core.train.callbacks;

    // Internals shared with Regula's own modules only: file checks and the scalar kernels (the
    // reference the SIMD kernels are tested against). Not a library API: a user reads files
    // through data and checkpoint and selects kernels with -Dregula.kernels. The providers' base
    // (dev.regula.core.provider) is not exported at all; plugins extend the API's bases.
    exports dev.regula.core.io to dev.regula.gan, dev.regula.examples;
    exports dev.regula.core.kernels to dev.regula.vector, dev.regula.gan, dev.regula.examples;

    provides KernelsProvider with dev.regula.core.kernels.ScalarKernelsProvider;
    provides OptimizerProvider with
            dev.regula.core.optim.SgdProvider,
            dev.regula.core.optim.AdamProvider,
            dev.regula.core.optim.AdamWProvider,
            dev.regula.core.optim.RmsPropProvider;
    provides ModelProvider with
            dev.regula.core.model.MlpModelProvider,
            dev.regula.core.model.LinearModelProvider,
            dev.regula.core.model.CnnModelProvider;
    provides RegularizerProvider with
            // --- penalties, decay, proximal operators, constraints, clipping ---
            dev.regula.core.regularizer.penalty.L1Provider,
            dev.regula.core.regularizer.penalty.L2Provider,
            dev.regula.core.regularizer.penalty.ElasticNetProvider,
            dev.regula.core.regularizer.penalty.OrthogonalProvider,
            dev.regula.core.regularizer.penalty.KerasL1L2Provider,
            dev.regula.core.regularizer.penalty.NormPenaltyProvider,
            dev.regula.core.regularizer.decay.WeightDecayProvider,
            dev.regula.core.regularizer.proximal.L1ProximalProvider,
            dev.regula.core.regularizer.proximal.GroupLassoProvider,
            dev.regula.core.regularizer.constraint.MaxNormProvider,
            dev.regula.core.regularizer.constraint.UnitNormProvider,
            dev.regula.core.regularizer.constraint.MinMaxNormProvider,
            dev.regula.core.regularizer.constraint.NonNegativeProvider,
            dev.regula.core.regularizer.constraint.SpectralNormProvider,
            dev.regula.core.regularizer.clip.ClipNormProvider,
            dev.regula.core.regularizer.clip.ClipValueProvider,
            // --- soft regularizers (package dev.regula.core.regularizer.soft) ---
            dev.regula.core.regularizer.soft.SoftDecayProvider,
            dev.regula.core.regularizer.soft.SoftAnchorProvider,
            dev.regula.core.regularizer.soft.SoftWeightSharingProvider,
            dev.regula.core.regularizer.soft.SoftConstraintProvider,
            dev.regula.core.regularizer.soft.SoftOutputBoundsProvider,
            // --- dropout and noise (package dev.regula.core.regularizer.noise) ---
            dev.regula.core.regularizer.noise.DropoutProvider,
            dev.regula.core.regularizer.noise.GaussianDropoutProvider,
            dev.regula.core.regularizer.noise.GaussianNoiseProvider,
            dev.regula.core.regularizer.noise.AlphaDropoutProvider,
            dev.regula.core.regularizer.noise.SpatialDropoutProvider,
            dev.regula.core.regularizer.noise.DropBlockProvider,
            dev.regula.core.regularizer.noise.DropConnectProvider,
            dev.regula.core.regularizer.noise.DropPathProvider,
            // --- activity, output and weight-averaging regularizers ---
            dev.regula.core.regularizer.activity.ActivityRegularizationProvider,
            dev.regula.core.regularizer.output.ConfidencePenaltyProvider,
            dev.regula.core.regularizer.gradient.InputGradientPenaltyProvider,
            dev.regula.core.regularizer.averaging.EmaProvider,
            dev.regula.core.regularizer.averaging.SwaProvider,
            // --- batch assembly: data mixing and image augmentation ---
            dev.regula.core.regularizer.batch.MixupProvider,
            dev.regula.core.regularizer.batch.CutMixProvider,
            dev.regula.core.regularizer.batch.RandomErasingProvider,
            dev.regula.core.regularizer.batch.CutoutProvider,
            dev.regula.core.regularizer.batch.FlipShiftProvider,
            dev.regula.core.regularizer.batch.RotateProvider;
}
