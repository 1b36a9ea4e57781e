package dev.regula.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BuildVersionTest {
    @Test
    void dashVPrintsTheVersionOfTheBuild() {
        String expected = System.getProperty("regula.test.version");
        assertNotNull(expected, "the pom passes project.version as regula.test.version");
        for (String flag : new String[] {"-V", "--version"}) {
            RegulaCommandTest.Run r = RegulaCommandTest.run(flag);
            assertEquals(0, r.code(), r.err());
            String[] lines = r.out().split("\\R");
            assertEquals("regula " + expected, lines[0], r.out());
            assertTrue(lines[1].startsWith("Java " + Runtime.version().feature()), r.out());
        }
    }
}
