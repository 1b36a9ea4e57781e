package dev.regula.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.CorruptDataException;
import dev.regula.api.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void unsignedBytesRoundTripRawAndGzipWithAndWithoutNormalisation() throws Exception {
        double[] values = {0, 1, 127, 128, 254, 255};
        for (boolean gz : new boolean[] {false, true}) {
            Path f = IdxFiles.write(dir.resolve("u8" + gz), IdxType.U8, new int[] {2, 3}, values, gz);
            IdxData raw = IdxReader.readTyped(f, false);
            assertEquals(IdxType.U8, raw.type());
            assertArrayEquals(new int[] {2, 3}, raw.tensor().shape());
            assertArrayEquals(new float[] {0, 1, 127, 128, 254, 255}, raw.tensor().data());
            Tensor norm = IdxReader.read(f, true);
            assertArrayEquals(new float[] {0, 1 / 255f, 127 / 255f, 128 / 255f, 254 / 255f, 1f}, norm.data(), 1e-7f);
        }
    }

    @ParameterizedTest
    @CsvSource({"I8,false", "I8,true", "I16,false", "I16,true", "I32,false", "I32,true",
        "F32,false", "F32,true", "F64,false", "F64,true"})
    void otherTypesRoundTripAndAreNeverNormalised(IdxType type, boolean gz) throws Exception {
        double[] values = type == IdxType.F32 || type == IdxType.F64
                ? new double[] {-1.5, 0, 0.25, 3e5, -7, 1e-3, 42, 8}
                : new double[] {-128, -1, 0, 1, 2, 100, 127, 5};
        Path f = IdxFiles.write(dir.resolve("t.idx"), type, new int[] {2, 2, 2}, values, gz);
        IdxData d = IdxReader.readTyped(f, true);
        assertEquals(type, d.type());
        assertArrayEquals(new int[] {2, 2, 2}, d.tensor().shape());
        for (int i = 0; i < values.length; i++) assertEquals((float) values[i], d.tensor().get(i), "element " + i);
    }

    @Test
    void largerThanOneChunkGzipGrowsToTheDeclaredSize() throws Exception {
        int n = 200_000; // > the initial capacity and several read chunks
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i % 251;
        Path f = IdxFiles.write(dir.resolve("big.gz"), IdxType.U8, new int[] {n}, v, true);
        Tensor t = IdxReader.read(f, false);
        assertEquals(n, t.size());
        assertEquals(199_999 % 251, t.get(n - 1));
    }

    @Test
    void growingStorageStaysWithinEightTimesWhatArrivedAndThePeakTheMemoryCheckCounts() {
        int[] counts = {1, 7, 100, 65_536, 65_537, 200_000, 47_040_000, Integer.MAX_VALUE - 8};
        for (int count : counts) {
            int length = Math.min(count, 1 << 16);
            int grows = 0;
            while (length < count) {
                // the storage is full and a read chunk (at most 2^16 values) does not fit
                int needed = (int) Math.min(count, length + (1L << 16));
                int next = IdxReader.grownCapacity(length, needed, count);
                assertTrue(next >= needed && next <= count, count + ": " + length + " -> " + next + " for " + needed);
                assertTrue(next <= 8L * needed, count + ": storage " + next + " for " + needed + " values that arrived");
                assertTrue((long) length + next <= IdxReader.growthPeak(count), count + ": " + length + " + " + next
                        + " values held while copying, more than the " + IdxReader.growthPeak(count) + " the memory check allows for");
                length = next;
                grows++;
            }
            assertTrue(grows <= 32, count + ": " + grows + " copies");
        }
        // a file holding what it declares: the last copy takes the whole declared size once a quarter is near
        assertEquals(47_040_000, IdxReader.grownCapacity(8_388_608, 8_400_000, 47_040_000));
        assertEquals(8_388_608, IdxReader.grownCapacity(4_194_304, 4_200_000, 47_040_000));
    }

    @Test
    void truncatedRawFileNamesFileAndSizes() {
        byte[] full = IdxFiles.bytes(IdxType.U8, new int[] {4, 4}, new double[16]);
        Path f = IdxFiles.write(dir.resolve("short-idx"), Arrays.copyOf(full, full.length - 3));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> IdxReader.read(f, false));
        assertTrue(e.getMessage().contains("short-idx"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("16 data bytes") && e.getMessage().contains("13"), e.getMessage());
    }

    @Test
    void truncatedDataInsideValidGzipIsReported() {
        byte[] full = IdxFiles.bytes(IdxType.F32, new int[] {10}, new double[10]);
        Path f = IdxFiles.write(dir.resolve("short.gz"), IdxFiles.gzip(Arrays.copyOf(full, full.length - 6)));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> IdxReader.read(f, false));
        assertTrue(e.getMessage().contains("short.gz") && e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("40 data bytes") && e.getMessage().contains("after 34"), e.getMessage());
    }

    @Test
    void cutGzipStreamIsCorruptNotEof() {
        double[] v = new double[5000];
        for (int i = 0; i < v.length; i++) v[i] = (i * 7919) % 256;
        byte[] gz = IdxFiles.gzip(IdxFiles.bytes(IdxType.U8, new int[] {5000}, v));
        Path f = IdxFiles.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> IdxReader.read(f, false));
        assertTrue(e.getMessage().contains("cut.gz") && e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void garbageAfterGzipMagicIsCorrupt() {
        Path f = IdxFiles.write(dir.resolve("bad.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> IdxReader.read(f, false));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] full = IdxFiles.bytes(IdxType.U8, new int[] {3}, new double[] {1, 2, 3});
        byte[] longer = Arrays.copyOf(full, full.length + 2);
        Path raw = IdxFiles.write(dir.resolve("long"), longer);
        assertTrue(assertThrows(CorruptDataException.class, () -> IdxReader.read(raw, false))
                .getMessage().contains("trailing"));
        Path gz = IdxFiles.write(dir.resolve("long.gz"), IdxFiles.gzip(longer));
        assertTrue(assertThrows(CorruptDataException.class, () -> IdxReader.read(gz, false))
                .getMessage().contains("trailing"));
    }

    @Test
    void badMagicAndUnsupportedTypeAndNoDimensions() {
        Path magic = IdxFiles.write(dir.resolve("m"), new byte[] {1, 0, 8, 1, 0, 0, 0, 0});
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> IdxReader.read(magic, false));
        assertTrue(e.getMessage().contains("bad magic") && e.getMessage().contains("0x01000801"), e.getMessage());

        Path type = IdxFiles.write(dir.resolve("t"), IdxFiles.header(0x0A, 0));
        e = assertThrows(CorruptDataException.class, () -> IdxReader.read(type, false));
        assertTrue(e.getMessage().contains("type code 0x0A") && e.getMessage().contains("0D (f32)"), e.getMessage());

        Path rank0 = IdxFiles.write(dir.resolve("r"), IdxFiles.header(0x08));
        e = assertThrows(CorruptDataException.class, () -> IdxReader.read(rank0, false));
        assertTrue(e.getMessage().contains("0 dimensions"), e.getMessage());

        Path tiny = IdxFiles.write(dir.resolve("tiny"), new byte[] {0, 0});
        e = assertThrows(CorruptDataException.class, () -> IdxReader.read(tiny, false));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());

        Path dims = IdxFiles.write(dir.resolve("dims"), new byte[] {0, 0, 8, 3, 0, 0, 0, 1});
        e = assertThrows(CorruptDataException.class, () -> IdxReader.read(dims, false));
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
    }

    @Test
    void hugeDeclaredShapeWithTinyFileFailsFastWithoutAllocating() {
        // 2^31-1 x 2^31-1 is past every limit; 100000 x 10000 floats (4 GB) is within the element
        // limit but must be refused by comparing with the bytes actually present.
        byte[] overLimit = IdxFiles.header(0x08, Integer.MAX_VALUE, Integer.MAX_VALUE);
        byte[] plausible = IdxFiles.header(0x0D, 100_000, 10_000);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (boolean gz : new boolean[] {false, true}) {
                Path a = IdxFiles.write(dir.resolve("a" + gz), gz ? IdxFiles.gzip(overLimit) : overLimit);
                CorruptDataException e = assertThrows(CorruptDataException.class, () -> IdxReader.read(a, false));
                assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());
                Path b = IdxFiles.write(dir.resolve("b" + gz), gz ? IdxFiles.gzip(plausible) : plausible);
                e = assertThrows(CorruptDataException.class, () -> IdxReader.read(b, false));
                assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("[100000, 10000]"),
                        e.getMessage());
            }
        });
        Path neg = IdxFiles.write(dir.resolve("neg"), IdxFiles.header(0x08, -1));
        assertTrue(assertThrows(CorruptDataException.class, () -> IdxReader.read(neg, false))
                .getMessage().contains("4294967295"));
    }

    @Test
    void streamSourceWorksAndIsNamedInErrors() throws Exception {
        byte[] b = IdxFiles.gzip(IdxFiles.bytes(IdxType.U8, new int[] {2}, new double[] {3, 4}));
        IdxData d = IdxReader.read(new ByteArrayInputStream(b), "mem", false);
        assertArrayEquals(new float[] {3, 4}, d.tensor().data());
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> IdxReader.read(new ByteArrayInputStream(new byte[] {9, 9, 9, 9}), "mem", false));
        assertTrue(e.getMessage().startsWith("mem:"), e.getMessage());
    }

    @Test
    void datasetPairsExamplesWithLabelsAndFlattens() throws Exception {
        Path x = IdxFiles.write(dir.resolve("x"), IdxType.U8, new int[] {3, 2, 2}, new double[] {
            0, 255, 0, 255, 1, 2, 3, 4, 5, 6, 7, 8}, true);
        Path y = IdxFiles.write(dir.resolve("y"), IdxType.U8, new int[] {3}, new double[] {2, 0, 4}, false);
        Dataset d = IdxReader.readDataset(x, y, true, 0);
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {3, 4}, d.features().shape());
        assertEquals(5, d.numClasses());
        assertEquals(1f, d.features().get(0, 1));
        assertEquals(10, IdxReader.readDataset(x, y, true, 10).numClasses());
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> IdxReader.readDataset(x, y, true, 3));
        assertTrue(e.getMessage().contains("label 2 is 4.0"), e.getMessage());
    }

    @Test
    void countMismatchBetweenImagesAndLabelsNamesBothFiles() {
        Path x = IdxFiles.write(dir.resolve("imgs"), IdxType.U8, new int[] {3, 2}, new double[6], false);
        Path y = IdxFiles.write(dir.resolve("lbls"), IdxType.U8, new int[] {4}, new double[4], false);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> IdxReader.readDataset(x, y, true, 0));
        assertTrue(e.getMessage().contains("imgs has 3 examples") && e.getMessage().contains("lbls has 4 labels"),
                e.getMessage());
        Path y2 = IdxFiles.write(dir.resolve("lbl2"), IdxType.U8, new int[] {3, 1}, new double[3], false);
        assertTrue(assertThrows(CorruptDataException.class, () -> IdxReader.readDataset(x, y2, true, 0))
                .getMessage().contains("1 dimension"));
    }

    /** Same float32 limit as CsvReader's (found by fuzzing CSV): 16777217 labels would round to 16777216 classes. */
    @Test
    void labelsBeyondExactFloatIntegersAreCorruptDataNotAnIllegalArgument() {
        Path x = IdxFiles.write(dir.resolve("x32"), IdxType.U8, new int[] {2, 1}, new double[2], false);
        Path y = IdxFiles.write(dir.resolve("y32"), IdxType.I32, new int[] {2}, new double[] {0, 16777217}, false);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> IdxReader.readDataset(x, y, true, 0));
        assertTrue(e.getMessage().contains("class index in [0, 16777216)"), e.getMessage());
    }
}
