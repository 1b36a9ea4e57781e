package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.RegulaException;
import dev.regula.api.kernels.KernelsSelection;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Provider selection with both providers installed, in both Surefire runs
 * ({@code -Dregula.test.vector=enabled|disabled}): {@code -Dregula.kernels} forces a provider or
 * fails clearly, and without the incubator module exactly one log line says how to enable SIMD.
 */
class KernelsSelectionTest {
    private static boolean vectorEnabled() {
        return "enabled".equals(System.getProperty("regula.test.vector"));
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(KernelsSelection.PROPERTY);
    }

    @Test
    void propertyForcesTheScalarProvider() {
        System.setProperty(KernelsSelection.PROPERTY, "scalar");
        assertEquals("scalar", KernelsSelection.select().name());
        System.setProperty(KernelsSelection.PROPERTY, " SCALAR ");
        assertEquals("scalar", KernelsSelection.select().name(), "names are trimmed and case-insensitive");
    }

    @Test
    void propertyForcesTheVectorProviderOrSaysHowToEnableIt() {
        System.setProperty(KernelsSelection.PROPERTY, "vector");
        if (vectorEnabled()) {
            assertEquals("vector", KernelsSelection.select().name());
        } else {
            RegulaException e = assertThrows(RegulaException.class, KernelsSelection::select);
            assertTrue(e.getMessage().contains("-Dregula.kernels=vector") && e.getMessage().contains("--add-modules jdk.incubator.vector"),
                    e.getMessage());
        }
    }

    @Test
    void unknownPropertyValueNamesItAndTheInstalledProviders() {
        System.setProperty(KernelsSelection.PROPERTY, "simd");
        RegulaException e = assertThrows(RegulaException.class, KernelsSelection::select);
        assertTrue(e.getMessage().contains("-Dregula.kernels=simd") && e.getMessage().contains("vector")
                && e.getMessage().contains("scalar"), e.getMessage());
    }

    @Test
    void withoutTheIncubatorModuleOneLogLineSaysHowToEnableSimd() throws Exception {
        String log = captureSelectionLog(() -> KernelsSelection.select().name());
        if (vectorEnabled()) {
            assertEquals("", log, "nothing is logged when the SIMD kernels are used");
            return;
        }
        assertEquals(1, log.lines().count(), log);
        assertTrue(log.contains("--add-modules jdk.incubator.vector") && log.contains("vector"), log);
    }

    @Test
    void aForcedScalarProviderLogsNothing() throws Exception {
        System.setProperty(KernelsSelection.PROPERTY, "scalar");
        assertEquals("", captureSelectionLog(() -> KernelsSelection.select().name()));
    }

    /**
     * Runs {@code action} with a handler on the java.util.logging logger behind
     * {@code System.getLogger(KernelsSelection)} (the JDK's default System.Logger backend) and
     * returns the messages logged, one per line. Reflection, because this module does not read
     * java.logging and tests may not change that; reflection needs no readability.
     */
    private static String captureSelectionLog(Supplier<String> action) throws Exception {
        Class<?> loggerClass = Class.forName("java.util.logging.Logger");
        Class<?> handlerClass = Class.forName("java.util.logging.Handler");
        Class<?> formatterClass = Class.forName("java.util.logging.Formatter");
        Object logger = loggerClass.getMethod("getLogger", String.class).invoke(null, KernelsSelection.class.getName());
        Object formatter = Class.forName("java.util.logging.SimpleFormatter").getConstructor().newInstance();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Object handler = Class.forName("java.util.logging.StreamHandler")
                .getConstructor(OutputStream.class, formatterClass).newInstance(bytes, formatter);
        loggerClass.getMethod("addHandler", handlerClass).invoke(logger, handler);
        try {
            action.get();
        } finally {
            handlerClass.getMethod("flush").invoke(handler);
            loggerClass.getMethod("removeHandler", handlerClass).invoke(logger, handler);
        }
        // SimpleFormatter writes two lines per record: date and source, then "LEVEL: message"
        return bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.matches("^[A-Z]+: .*"))
                .reduce("", (a, b) -> a + b + "\n");
    }
}
