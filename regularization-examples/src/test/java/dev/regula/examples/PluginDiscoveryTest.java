package dev.regula.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.RegularizerProvider;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the sample plugin (regularization-plugin-sample, built by the reactor but kept off this
 * JVM's module and class path) the two ways a user can: as a module in a plugin
 * {@link ModuleLayer}, and from the class path through {@code META-INF/services}.
 */
class PluginDiscoveryTest {
    private static final String PLUGIN_MODULE = "org.example.regula.plugin";
    private static final String PLUGIN_PROVIDER = "org.example.regula.plugin.SmoothL1Provider";
    private static final String NAME = "smooth-l1";

    /** @return the built plugin: its jar, or its classes directory when Maven stopped before package */
    private static Path plugin() {
        String property = System.getProperty("regula.test.plugin");
        assertNotNull(property, "system property regula.test.plugin is not set; run the tests through Maven"
                + " (see regularization-examples/pom.xml)");
        Path path = Path.of(property);
        assertTrue(Files.exists(path), "the sample plugin was not built: " + path);
        return path;
    }

    private static StepContext train() {
        return new StepContext(Mode.TRAIN, 0, 0, 0.1, 1L, KernelsSelection.create(1));
    }

    /** Checks a smooth-l1 regularizer created from spec text: λ·Σ(|θ|−δ/2) for |θ| > δ. */
    private static void assertWorks(Regularizer r) {
        ParameterRegularizer pr = assertInstanceOf(ParameterRegularizer.class, r);
        assertEquals(NAME, r.name());
        assertEquals(Stage.GRADIENT, pr.stage());
        Parameter w = new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.of(new float[] {1f, -2f}, 1, 2));
        assertTrue(pr.selector().test(w));
        double penalty = pr.penalty(w, train());
        assertTrue(penalty > 0, "penalty of a nonzero parameter must be > 0, got " + penalty);
        assertEquals(0.5 * ((1 - 0.05) + (2 - 0.05)), penalty, 1e-6);
        pr.apply(w, train());
        assertEquals(0.5f, w.grad().get(0), 1e-6f);
        assertEquals(-0.5f, w.grad().get(1), 1e-6f);
    }

    @Test
    void pluginIsNotVisibleToTheTestJvm() {
        Regularizers installed = Regularizers.installed();
        assertFalse(BuiltInProvidersTest.names(installed.providers()).contains(NAME),
                "the plugin leaked onto the test module/class path; see surefire classpathDependencyExcludes");
        assertTrue(ModuleLayer.boot().findModule(PLUGIN_MODULE).isEmpty());
        assertThrows(ClassNotFoundException.class, () -> Class.forName(PLUGIN_PROVIDER, false, ClassLoader.getSystemClassLoader()));
        SpecException e = assertThrows(SpecException.class, () -> installed.parse(NAME + "(lambda=1)"));
        assertTrue(e.getMessage().contains("unknown regularizer '" + NAME + "'"), e.getMessage());
    }

    @Test
    void pluginModuleLayerBuiltFromAPluginsDirectoryPublishesTheRegularizer(@TempDir Path plugins) {
        copyInto(plugin(), plugins);

        ModuleFinder finder = ModuleFinder.of(plugins);
        Set<String> roots = finder.findAll().stream().map(m -> m.descriptor().name()).collect(Collectors.toSet());
        assertEquals(Set.of(PLUGIN_MODULE), roots);
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
        ModuleLayer layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());

        Regularizers inLayer = Regularizers.in(layer);
        Set<String> names = BuiltInProvidersTest.names(inLayer.providers());
        assertTrue(names.contains(NAME), "plugin not found in its layer; found " + names);
        assertTrue(names.containsAll(BuiltInProvidersTest.names(Regularizers.installed().providers())),
                "a plugin layer must also see the built-ins of its parent layer");
        RegularizerProvider provider = inLayer.provider(NAME);
        assertSame(layer.findModule(PLUGIN_MODULE).orElseThrow(), provider.getClass().getModule());
        assertFalse(provider.description().isBlank());

        Regularizer r = inLayer.parse("smooth-l1(lambda=0.5, delta=0.1)");
        assertWorks(r);
        assertEquals("smooth-l1(lambda=0.5, delta=0.1, on=weights)", r.spec());
        assertEquals(r.spec(), inLayer.parse(r.spec()).spec());
    }

    @Test
    void pluginOnAClassLoaderIsFoundThroughMetaInfServices() throws IOException {
        URL url = plugin().toUri().toURL();
        try (URLClassLoader loader = new URLClassLoader("regula-plugins", new URL[] {url}, ClassLoader.getSystemClassLoader())) {
            List<RegularizerProvider> found = ServiceLoader.load(RegularizerProvider.class, loader).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(p -> p.name().equals(NAME))
                    .toList();
            assertEquals(1, found.size(), "expected exactly one smooth-l1 provider, got " + found);
            RegularizerProvider provider = found.get(0);
            assertSame(loader, provider.getClass().getClassLoader());
            assertFalse(provider.getClass().getModule().isNamed(), "on a class path the plugin is in the unnamed module");
            assertWorks(provider.create(Spec.parse("smooth-l1(lambda=0.5, delta=0.1)")));
        }
    }

    /** Copies a plugin jar into {@code dir}, or an exploded module (classes directory) into a subdirectory. */
    private static void copyInto(Path plugin, Path dir) {
        try {
            if (Files.isRegularFile(plugin)) {
                Files.copy(plugin, dir.resolve(plugin.getFileName()));
                return;
            }
            Path target = dir.resolve(PLUGIN_MODULE);
            try (Stream<Path> files = Files.walk(plugin)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = target.resolve(plugin.relativize(f).toString());
                    if (Files.isDirectory(f)) Files.createDirectories(to);
                    else Files.copy(f, to);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
