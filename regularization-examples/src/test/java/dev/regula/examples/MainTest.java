package dev.regula.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void listsEveryServiceAndTheScalarKernels() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Main.list(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        for (String section : new String[] {"Regularizers:", "Optimizers:", "Models:", "Kernels:"}) {
            assertTrue(out.contains(section), "missing " + section + " in\n" + out);
        }
        assertTrue(out.contains("scalar") && out.contains("priority 0, supported"), out);
    }
}
