package dev.regula.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.regula.api.CorruptDataException;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.checkpoint.Safetensors;
import dev.regula.core.data.CsvReader;
import dev.regula.core.data.IdxReader;
import dev.regula.gan.celeba.CelebaAttributes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzzes the readers of outside files: IDX (raw and gzip, from a stream and from a file), CSV
 * (from text and from a file of arbitrary bytes), safetensors and checkpoints. The bytes come
 * from memory or a local temporary file, so the file system cannot fail: the only documented
 * failure left is {@link CorruptDataException}. The same holds for CelebA's attribute table
 * ({@link CelebaAttributes#parse}), read from a {@link StringReader}.
 */
class DataFuzzTest {
    private static final List<Class<? extends Throwable>> CORRUPT = List.of(CorruptDataException.class);
    private static final Path DIR = tempDir();

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("regula-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path file(String name, byte[] content) throws IOException {
        Path f = DIR.resolve(name);
        Files.write(f, content);
        f.toFile().deleteOnExit();
        return f;
    }

    /** IdxReader on bytes: the first byte chooses normalisation; gzip is detected from the magic. */
    @FuzzTest(maxDuration = "10s")
    void idx(byte[] input) throws Throwable {
        boolean normalize = input.length > 0 && (input[0] & 1) == 1;
        Contract.onlyDocumented(() -> IdxReader.read(new ByteArrayInputStream(input), "fuzz", normalize), CORRUPT);
        Contract.onlyDocumented(() -> IdxReader.readTyped(file("fuzz.idx", input), normalize), CORRUPT);
    }

    /** CsvReader from decoded text (with and without a header) and from a file of raw bytes. */
    @FuzzTest(maxDuration = "10s")
    void csv(byte[] input) throws Throwable {
        String text = new String(input, StandardCharsets.UTF_8);
        CsvReader plain = CsvReader.builder().build();
        CsvReader header = CsvReader.builder().header(true).build();
        CsvReader semicolonFirst = CsvReader.builder().delimiter(';').labelColumn(0).build();
        Contract.onlyDocumented(() -> plain.read(new StringReader(text), "fuzz"), CORRUPT);
        Contract.onlyDocumented(() -> header.read(new StringReader(text), "fuzz"), CORRUPT);
        Contract.onlyDocumented(() -> semicolonFirst.read(new StringReader(text), "fuzz"), CORRUPT);
        Contract.onlyDocumented(() -> header.read(file("fuzz.csv", input)), CORRUPT);
    }

    /** Safetensors.read and Checkpoint.load on a file of arbitrary bytes. */
    @FuzzTest(maxDuration = "10s")
    void safetensors(byte[] input) throws Throwable {
        Path f = file("fuzz.safetensors", input);
        Contract.onlyDocumented(() -> Safetensors.read(f), CORRUPT);
        Contract.onlyDocumented(() -> Checkpoint.load(f), CORRUPT);
    }

    /** CelebaAttributes.parse on arbitrary text (the list_attr_celeba.txt format). */
    @FuzzTest(maxDuration = "10s")
    void celebaAttributes(byte[] input) throws Throwable {
        String text = new String(input, StandardCharsets.UTF_8);
        Contract.onlyDocumented(() -> CelebaAttributes.parse(new StringReader(text), "fuzz"), CORRUPT);
    }
}
