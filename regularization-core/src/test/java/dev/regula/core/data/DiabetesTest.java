package dev.regula.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.api.CorruptDataException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiabetesTest {
    @TempDir
    Path dir;

    private void gz(String name, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name)))) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void readsFeaturesAndRealTargets() throws IOException {
        gz(Diabetes.FEATURES, "59 2 32.1 101.0 157 93.2 38.0 4.0 4.8598 87\n48 1 21.6 87.0 183 103.2 70.0 3.0 3.8918 69\n");
        gz(Diabetes.TARGETS, "1.510000000000000000e+02\n7.500000000000000000e+01\n");
        Dataset d = Diabetes.load(dir);
        assertArrayEquals(new int[] {2, 10}, d.features().shape());
        assertArrayEquals(new int[] {2, 1}, d.labels().shape());
        assertEquals(0, d.numClasses());
        assertEquals(151f, d.labels().data()[0]);
        assertEquals(32.1f, d.features().data()[2]);
    }

    @Test
    void badFilesAreNamedWithTheLine() throws IOException {
        DataNotFoundException missing = assertThrows(DataNotFoundException.class, () -> Diabetes.load(dir));
        assertTrue(missing.getMessage().contains("python3-sklearn"), missing.getMessage());
        gz(Diabetes.FEATURES, "1 2 3 4 5 6 7 8 9 10\n1 2 3 4 5 6 7 8 9 x\n");
        gz(Diabetes.TARGETS, "1\n2\n");
        CorruptDataException bad = assertThrows(CorruptDataException.class, () -> Diabetes.load(dir));
        assertTrue(bad.getMessage().contains("line 2, column 10: 'x'"), bad.getMessage());
        gz(Diabetes.FEATURES, "1 2 3 4 5 6 7 8 9 10\n");
        CorruptDataException count = assertThrows(CorruptDataException.class, () -> Diabetes.load(dir));
        assertTrue(count.getMessage().contains("has 1 rows but"), count.getMessage());
    }

    @Test
    void theInstalledFileHas442Patients() throws IOException {
        assumeTrue(Files.exists(Diabetes.DEBIAN_DIR.resolve(Diabetes.FEATURES)), "python3-sklearn is not installed");
        Dataset d = Diabetes.load(Diabetes.DEBIAN_DIR);
        assertEquals(442, d.size());
        assertEquals(151f, d.labels().data()[0]);
    }
}
