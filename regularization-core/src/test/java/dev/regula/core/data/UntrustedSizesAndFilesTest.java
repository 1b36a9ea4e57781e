package dev.regula.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.api.CorruptDataException;
import dev.regula.api.model.Models;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sizes a file or spec claims are bounded before allocation, and special files are refused
 * instead of read: the classes of defect an adversarial user found after the parsers were fuzzed.
 */
class UntrustedSizesAndFilesTest {
    @TempDir
    Path dir;

    private static byte[] idxHeader(int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put(new byte[] {0, 0, 0x08, (byte) dims.length});
        for (int d : dims) b.putInt(d);
        return b.array();
    }

    private Path gzip(String name, byte[] header, int zeroBytes) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(header);
            out.write(new byte[zeroBytes]);
        }
        return f;
    }

    @Test
    void aGzipIdxClaimingMoreThanTheHeapIsRefusedBeforeInflating() throws IOException {
        long heap = Runtime.getRuntime().maxMemory();
        assumeTrue(heap < 8_000_000_000L, "the claim below must exceed the heap");
        // 2e9 u8 values = 8 GB as float32, in a file of a few dozen bytes
        Path bomb = gzip("bomb.gz", idxHeader(2_000_000_000), 1000);
        CorruptDataException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(CorruptDataException.class, () -> IdxReader.readTyped(bomb, true)));
        assertTrue(e.getMessage().contains("heap") && e.getMessage().contains("-Xmx"), e.getMessage());
    }

    /**
     * A gzip claim whose values fit the heap but whose growing storage (old and new array while
     * copying) would not is refused before reading too, instead of running out of memory when a
     * truncated file has delivered enough to trigger the jump to the declared size.
     */
    @Test
    void aGzipIdxWhoseGrowingStorageWouldNotFitIsRefusedBeforeInflating() throws IOException {
        long values = (long) (dev.regula.core.io.MemoryBudget.availableBytes() / Float.BYTES / 1.1);
        assumeTrue(values < IdxReader.MAX_ELEMENTS, "a claim that fits as floats must be expressible");
        assumeTrue(IdxReader.growthPeak(values) * Float.BYTES > dev.regula.core.io.MemoryBudget.availableBytes());
        Path f = gzip("near.gz", idxHeader((int) values), 1000);
        CorruptDataException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(CorruptDataException.class, () -> IdxReader.readTyped(f, true)));
        assertTrue(e.getMessage().contains("grows"), e.getMessage());
    }

    @Test
    void aRowLimitReadsOnlyThoseRowsAndInflatesNothingAfter() throws IOException {
        // claims 1,000,000 rows of 28 x 28 but holds 3: a full read is truncated, a read of 3 rows is fine
        Path f = gzip("part.gz", idxHeader(1_000_000, 28, 28), 3 * 784);
        assertThrows(CorruptDataException.class, () -> IdxReader.readTyped(f, true));
        IdxData three = IdxReader.readTyped(f, true, 3);
        assertArrayEquals(new int[] {3, 28, 28}, three.tensor().shape());
    }

    @Test
    void directoriesFifosAndDevicesAreRefusedNotRead() throws Exception {
        CsvReader csv = CsvReader.builder().header(true).build();
        CorruptDataException folder = assertThrows(CorruptDataException.class, () -> csv.read(dir));
        assertTrue(folder.getMessage().contains("is a directory"), folder.getMessage());
        assertThrows(CorruptDataException.class, () -> IdxReader.readTyped(dir, false));
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            CorruptDataException device = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(CorruptDataException.class, () -> csv.read(zero)));
            assertTrue(device.getMessage().contains("not a regular file"), device.getMessage());
        }
        Path fifo = dir.resolve("fifo");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (IOException noMkfifo) {
            made = false;
        }
        if (made) {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(CorruptDataException.class, () -> csv.read(fifo)));
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(CorruptDataException.class, () -> IdxReader.readTyped(fifo, true)));
        }
        assertThrows(DataNotFoundException.class, () -> csv.read(dir.resolve("absent.csv")));
    }

    @Test
    void labelsThatOnlyFloat32RoundsToAClassAreNotClasses() throws IOException {
        Path f = dir.resolve("labels.csv");
        Files.writeString(f, "a,label\n1,0\n2,0.99999999\n3,1\n");
        assertEquals(0, CsvReader.builder().header(true).build().read(f).numClasses(), "real-valued targets, not classes");
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> CsvReader.builder().header(true).classLabels(true).build().read(f));
        assertTrue(e.getMessage().contains(f + ":3") && e.getMessage().contains("0.99999999"), e.getMessage());
        Files.writeString(f, "a,label\n1,0\n2,2\n3,1.0\n");
        assertEquals(3, CsvReader.builder().header(true).classLabels(true).build().read(f).numClasses());
    }

    @Test
    void anMlpTheHeapOrATensorCannotHoldIsRefusedBeforeAllocating() {
        var tooManyForTheHeap = Models.installed().parse("mlp(hidden=40000x40000)");
        IllegalArgumentException heap = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(IllegalArgumentException.class, () -> tooManyForTheHeap.build(new int[] {3}, 2, 1)));
        assertTrue(heap.getMessage().contains("1600") && heap.getMessage().contains("-Xmx"), heap.getMessage());
        var tooWideForATensor = Models.installed().parse("mlp(hidden=65536x65536)");
        IllegalArgumentException tensor = assertThrows(IllegalArgumentException.class, () -> tooWideForATensor.build(new int[] {3}, 2, 1));
        assertTrue(tensor.getMessage().contains("more than one tensor holds"), tensor.getMessage());
    }
}
