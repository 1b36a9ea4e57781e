/**
 * Regula's API: the service-provider interfaces and value types, with no algorithms.
 *
 * <p>Implementations (core's built-ins, the SIMD kernels, third-party plugins) are found through
 * {@link java.util.ServiceLoader}; this module imports none of them. Lookups go through
 * {@link dev.regula.api.regularizer.Regularizers}, {@link dev.regula.api.optim.Optimizers},
 * {@link dev.regula.api.model.Models} and {@link dev.regula.api.kernels.KernelsSelection}.
 */
module dev.regula.api {
    exports dev.regula.api;
    exports dev.regula.api.tensor;
    exports dev.regula.api.param;
    exports dev.regula.api.regularizer;
    exports dev.regula.api.spec;
    exports dev.regula.api.schedule;
    exports dev.regula.api.optim;
    exports dev.regula.api.model;
    exports dev.regula.api.loss;
    exports dev.regula.api.kernels;

    uses dev.regula.api.regularizer.RegularizerProvider;
    uses dev.regula.api.optim.OptimizerProvider;
    uses dev.regula.api.model.ModelProvider;
    uses dev.regula.api.kernels.KernelsProvider;
}
