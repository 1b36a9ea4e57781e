package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsProvider;
import dev.regula.api.kernels.KernelsSelection;
import org.junit.jupiter.api.Test;

/**
 * Runs in both Surefire executions; {@code -Dregula.test.vector=enabled|disabled} says which one,
 * so a run that silently lost (or gained) the incubator module fails instead of skipping.
 */
class VectorKernelsProviderTest {
    private static boolean expectVector() {
        String mode = System.getProperty("regula.test.vector", "");
        return switch (mode) {
            case "enabled" -> true;
            case "disabled" -> false;
            default -> throw new IllegalStateException("set -Dregula.test.vector=enabled|disabled, got '" + mode + "'");
        };
    }

    @Test
    void reportsSupportExactlyWhenTheIncubatorModuleIsResolved() {
        VectorKernelsProvider provider = new VectorKernelsProvider();
        assertEquals("vector", provider.name());
        assertEquals(100, provider.priority());
        assertEquals(expectVector(), provider.isSupported());
        assertEquals(expectVector(), ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    }

    @Test
    void selectionPicksVectorWhenSupportedAndScalarOtherwise() {
        KernelsProvider selected = KernelsSelection.select();
        assertEquals(expectVector() ? "vector" : "scalar", selected.name());
        assertTrue(KernelsSelection.providers().stream().anyMatch(p -> p.name().equals("vector")),
                "the vector provider must be found by ServiceLoader in both runs");
    }

    @Test
    void supportedProviderNamesWidthAndThreads() {
        VectorKernelsProvider provider = new VectorKernelsProvider();
        if (!expectVector()) return;
        assertEquals("", provider.unsupportedReason());
        Kernels k = provider.create(2);
        assertTrue(k.name().matches("vector\\(\\d+-bit, 2 threads\\)"), k.name());
        assertTrue(provider.create(1).name().endsWith("1 thread)"), provider.create(1).name());
        int bits = Integer.parseInt(k.name().substring("vector(".length(), k.name().indexOf("-bit")));
        assertTrue(bits <= Integer.getInteger("regula.test.maxVectorBits", Integer.MAX_VALUE),
                "the run capped by -XX:MaxVectorSize must use that width, got " + k.name());
    }

    @Test
    void unsupportedProviderSaysHowToEnableItAndRefusesToCreate() {
        VectorKernelsProvider provider = new VectorKernelsProvider();
        if (expectVector()) return;
        assertFalse(provider.isSupported());
        assertTrue(provider.unsupportedReason().contains("--add-modules jdk.incubator.vector"), provider.unsupportedReason());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> provider.create(1));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"));
    }

    @Test
    void rejectsNonPositiveThreadCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VectorKernelsProvider().create(0));
        assertTrue(e.getMessage().contains("threads must be >= 1"), e.getMessage());
    }
}
