package dev.regula.gan.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.regula.api.kernels.KernelsSelection;
import org.junit.jupiter.api.Test;

/** Guards the two test runs of this module: each must really use the kernels it names. */
class KernelsInUseTest {
    @Test
    void eachRunUsesTheKernelsItForces() {
        String forced = System.getProperty(KernelsSelection.PROPERTY);
        assertNotNull(forced, "both test runs must force their kernels with -D" + KernelsSelection.PROPERTY);
        assertEquals(forced, KernelsSelection.select().name());
        String module = TestKernels.selected().getClass().getModule().getName();
        assertEquals(forced.equals("vector") ? "dev.regula.vector" : "dev.regula.core", module,
                "kernels class " + TestKernels.selected().getClass().getName());
    }
}
