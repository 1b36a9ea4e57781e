/**
 * A sample third-party Regula plugin: the {@code smooth-l1} regularizer.
 *
 * <p>It shows everything a plugin needs and nothing more: it depends on {@code dev.regula.api}
 * only (not on core), extends the API's plugin bases
 * {@link dev.regula.api.regularizer.ElementwisePenalty} (the penalty is its r and r′) and
 * {@link dev.regula.api.regularizer.AbstractRegularizerProvider} (the provider is its
 * constructor), and declares its provider both
 * here (for the module path and plugin module layers) and in
 * {@code META-INF/services/dev.regula.api.regularizer.RegularizerProvider} (for the class path).
 * It exports no package: {@link java.util.ServiceLoader} instantiates the provider without that,
 * and users reach the regularizer only through its spec text, e.g. {@code smooth-l1(lambda=1e-4)}.
 */
module org.example.regula.plugin {
    requires dev.regula.api;

    provides dev.regula.api.regularizer.RegularizerProvider with org.example.regula.plugin.SmoothL1Provider;
}
