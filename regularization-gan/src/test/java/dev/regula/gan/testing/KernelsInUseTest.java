package dev.regula.gan.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.regula.api.kernels.KernelsSelection;
import org.junit.jupiter.api.Test;

/**
 * Guards the two test runs of this module: each must really use the kernels its Surefire execution
 * names in {@code regula.test.kernels}, even if {@code -Dregula.kernels} is given to Maven.
 */
class KernelsInUseTest {
    @Test
    void eachRunUsesTheKernelsItForces() {
        String forced = System.getProperty("regula.test.kernels");
        assertNotNull(forced, "both test runs name their kernels in regula.test.kernels (parent pom)");
        assertEquals(forced, KernelsSelection.select().name());
        String module = TestKernels.selected().getClass().getModule().getName();
        assertEquals(forced.equals("vector") ? "dev.regula.vector" : "dev.regula.core", module,
                "kernels class " + TestKernels.selected().getClass().getName());
    }
}
