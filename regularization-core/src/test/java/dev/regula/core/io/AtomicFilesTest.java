package dev.regula.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReplacesCreatingParentFolders() throws IOException {
        Path file = dir.resolve("a/b/report.md");
        AtomicFiles.writeString(file, "first ü");
        assertEquals("first ü", Files.readString(file));
        AtomicFiles.writeString(file, "second");
        assertEquals("second", Files.readString(file));
        assertEquals(1, entries(file.getParent()), "no temporary file is left");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path file = dir.resolve("report.md");
        AtomicFiles.writeString(file, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(1, entries(dir));
    }

    private static long entries(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }
}
