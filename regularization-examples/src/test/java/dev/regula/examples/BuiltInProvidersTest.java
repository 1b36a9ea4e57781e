package dev.regula.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.regula.api.kernels.KernelsProvider;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Models;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.RegularizerProvider;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.NamedProvider;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecKey;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Black-box check, from a separate module on the module path, that core publishes every built-in
 * through {@code provides} in its module-info (a provider missing there is invisible to users even
 * if its class exists).
 */
class BuiltInProvidersTest {
    static final List<String> REGULARIZERS = List.of(
            "l1", "l2", "elastic-net", "weight-decay", "l1-proximal", "group-lasso",
            "dropout", "gaussian-dropout", "gaussian-noise", "alpha-dropout", "spatial-dropout", "drop-block", "drop-connect", "drop-path",
            "max-norm", "unit-norm", "min-max-norm", "non-negative", "spectral-norm", "orthogonal",
            "soft-decay", "soft-anchor", "soft-weight-sharing", "soft-constraint",
            "clip-norm", "clip-value", "keras-l1-l2", "norm-penalty",
            "activity", "confidence-penalty", "input-gradient", "ema", "swa",
            "mixup", "cutmix", "random-erasing", "cutout", "flip-shift", "rotate", "r1", "r2");
    static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw", "rmsprop");
    static final List<String> MODELS = List.of("mlp", "linear", "cnn");
    static final List<String> KERNELS = List.of("scalar");

    @Test
    void everyBuiltInRegularizerIsInstalled() {
        assertInstalled("regularizers", REGULARIZERS, names(Regularizers.installed().providers()));
    }

    @Test
    void everyBuiltInOptimizerIsInstalled() {
        assertInstalled("optimizers", OPTIMIZERS, names(Optimizers.installed().providers()));
    }

    @Test
    void everyBuiltInModelIsInstalled() {
        assertInstalled("models", MODELS, names(Models.installed().providers()));
    }

    @Test
    void scalarKernelsAreInstalledAndSupported() {
        List<KernelsProvider> kernels = KernelsSelection.providers();
        assertInstalled("kernels", KERNELS, kernels.stream().map(KernelsProvider::name).collect(Collectors.toSet()));
        assertTrue(kernels.stream().filter(k -> k.name().equals("scalar")).allMatch(KernelsProvider::isSupported),
                "the scalar kernels are the fallback and must always be supported");
    }

    @Test
    void everyProviderDescribesItself() {
        for (NamedProvider<?> p : allProviders()) {
            String where = p.getClass().getName();
            assertEquals(p.name().toLowerCase(Locale.ROOT), p.name(), where + ": names are lower case");
            assertEquals(p.name(), p.schema().name(), where + ": schema name must be the provider name");
            assertFalse(p.description().isBlank(), where + ": needs a one-line description for `regula list`");
            for (SpecKey k : p.schema().keys()) {
                assertFalse(k.description().isBlank(), where + ": key '" + k.key() + "' needs a description");
            }
        }
    }

    /** Regularizer.spec() is documented as the canonical spec that recreates the regularizer. */
    @Test
    void everyRegularizerWithDefaultsIsCreatedByNameAndItsSpecRoundTrips() {
        Regularizers installed = Regularizers.installed();
        for (RegularizerProvider p : installed.providers()) {
            if (p.schema().keys().stream().anyMatch(k -> k.defaultValue() == null)) continue;
            Regularizer r = installed.parse(p.name());
            assertEquals(p.name(), r.name(), p.getClass().getName());
            Regularizer again = installed.create(Spec.parse(r.spec()));
            assertEquals(r.spec(), again.spec(), p.name() + ": spec() must parse back to the same regularizer");
        }
    }

    private static List<NamedProvider<?>> allProviders() {
        List<NamedProvider<?>> all = new java.util.ArrayList<>();
        all.addAll(Regularizers.installed().providers());
        all.addAll(Optimizers.installed().providers());
        all.addAll(Models.installed().providers());
        return all;
    }

    static Set<String> names(List<? extends NamedProvider<?>> providers) {
        return providers.stream().map(NamedProvider::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertInstalled(String kind, List<String> expected, Set<String> installed) {
        List<String> missing = expected.stream().filter(n -> !installed.contains(n)).toList();
        if (!missing.isEmpty()) {
            fail("built-in " + kind + " not found by ServiceLoader: " + missing + " (installed: " + installed
                    + "); declare them with `provides` in regularization-core's module-info.java");
        }
    }
}
