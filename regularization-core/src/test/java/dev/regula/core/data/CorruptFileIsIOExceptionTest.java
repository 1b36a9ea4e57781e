package dev.regula.core.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.CorruptDataException;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.checkpoint.Safetensors;
import dev.regula.core.train.TrainingCheckpoint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java user reads files inside {@code try { ... } catch (IOException e)}: a corrupt file must be
 * caught there too, as a {@link CorruptDataException} naming the file, and stay distinguishable from
 * a file-system failure (a plain {@code IOException}).
 */
class CorruptFileIsIOExceptionTest {
    @TempDir
    Path dir;

    /** A read through the public API, as a user writes it. */
    @FunctionalInterface
    interface Read {
        Object run() throws IOException;
    }

    /** @return what {@code catch (IOException e)} caught; fails if the read returned or threw something else */
    private static IOException caughtAsIOException(Read read) {
        try {
            Object result = read.run();
            throw new AssertionError("expected a failure, got " + result);
        } catch (IOException e) {
            return e;
        }
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static void assertCorruptNaming(IOException e, String name) {
        CorruptDataException c = assertInstanceOf(CorruptDataException.class, e);
        assertNotNull(c.getMessage());
        assertTrue(c.getMessage().contains(name), c.getMessage());
    }

    @Test
    void corruptSafetensorsAndCheckpointsAreCaughtAsIOException() throws IOException {
        // a header length far beyond the file's 12 bytes
        byte[] truncated = {(byte) 0xff, 0x7f, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' '};
        Path f = file("truncated.safetensors", truncated);
        assertCorruptNaming(caughtAsIOException(() -> Safetensors.read(f)), "truncated.safetensors");
        assertCorruptNaming(caughtAsIOException(() -> Checkpoint.load(f)), "truncated.safetensors");
        assertCorruptNaming(caughtAsIOException(() -> TrainingCheckpoint.read(f)), "truncated.safetensors");
    }

    @Test
    void corruptIdxIsCaughtAsIOException() throws IOException {
        Path f = file("bad.idx", new byte[] {0x12, 0x34, 0x08, 0x01, 0, 0, 0, 2, 7});
        assertCorruptNaming(caughtAsIOException(() -> IdxReader.read(f, false)), "bad.idx");
        assertCorruptNaming(caughtAsIOException(() -> IdxReader.read(new ByteArrayInputStream(new byte[3]), "stream.idx", false)),
                "stream.idx");
    }

    @Test
    void corruptCsvIsCaughtAsIOException() throws IOException {
        Path f = file("bad.csv", "1,2,0\n3,oops,1\n".getBytes(StandardCharsets.UTF_8));
        IOException e = caughtAsIOException(() -> CsvReader.builder().build().read(f));
        assertCorruptNaming(e, "bad.csv");
        assertTrue(e.getMessage().contains("oops"), e.getMessage());
    }

    @Test
    void aFailingStreamIsAPlainIOExceptionNotCorruptData() {
        IOException failure = new IOException("device gone");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw failure;
            }
        };
        IOException e = caughtAsIOException(() -> IdxReader.read(failing, "disk.idx", false));
        assertFalse(e instanceof CorruptDataException, e.toString());
        assertSame(failure, e);
    }
}
