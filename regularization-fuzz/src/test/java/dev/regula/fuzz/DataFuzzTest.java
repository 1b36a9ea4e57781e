package dev.regula.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.regula.api.CorruptDataException;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.checkpoint.Safetensors;
import dev.regula.core.data.CsvReader;
import dev.regula.core.data.IdxReader;
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
 * failure left is {@link CorruptDataException}.
 *
 * <p>CelebA attributes ({@code dev.regula.gan.celeba.CelebaAttributes.parse(Reader, String)},
 * documented to throw {@link CorruptDataException}) get their target here once that parser is
 * merged; see the marked place at the end of this class.
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

    // ---------------------------------------------------------------------------------------
    // TODO(celeba, after merging the gan branch): add the CelebA attribute target here, e.g.
    //
    //   /** CelebaAttributes.parse on arbitrary text (list_attr_celeba.txt format). */
    //   @FuzzTest(maxDuration = "10s")
    //   void celebaAttributes(byte[] input) throws Throwable {
    //       String text = new String(input, StandardCharsets.UTF_8);
    //       Contract.onlyDocumented(
    //               () -> dev.regula.gan.celeba.CelebaAttributes.parse(new StringReader(text), "fuzz"),
    //               CORRUPT);
    //   }
    //
    // plus: the regularization-gan test dependency in this module's pom.xml, and a seed corpus in
    // src/test/resources/dev/regula/fuzz/DataFuzzTestInputs/celebaAttributes/ (a few valid files:
    // count line, header line of 40 names, rows "000001.jpg -1 1 ..."; and malformed ones:
    // wrong count, short row, value 2, empty file). Add the method name to FUZZ_TARGETS in
    // .ci/fuzz (see the README's Reliability section).
    // ---------------------------------------------------------------------------------------
}
