package dev.regula.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.CorruptDataException;
import dev.regula.api.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("dense1.weight", Tensor.of(new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 1e30f}, 2, 3));
        m.put("dense1.bias", Tensor.of(new float[] {0.25f, -0.5f}, 2));
        m.put("scalar", Tensor.of(new float[] {7}));
        m.put("empty", Tensor.zeros(0, 4));
        m.put("naïve \"quoted\"\n", Tensor.of(new float[] {9}, 1));
        return m;
    }

    /** Builds a file exactly as the reference implementation lays it out: LE length, padded JSON, data. */
    static byte[] file(String json, byte[] data, boolean pad) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        int n = pad ? (h.length + 7) & ~7 : h.length;
        ByteBuffer b = ByteBuffer.allocate(8 + n + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(n).put(h);
        for (int i = h.length; i < n; i++) b.put((byte) ' ');
        return b.put(data).array();
    }

    private static byte[] le(int bytesEach, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytesEach).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (bytesEach == 4) b.putFloat((float) v);
            else b.putDouble(v);
        }
        return b.array();
    }

    private Path bytes(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private CorruptDataException corrupt(String name, byte[] content) throws IOException {
        Path f = bytes(name, content);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e;
    }

    @Test
    void roundTripWithMetadataIsBitExactAndAligned() throws Exception {
        Path f = dir.resolve("model.safetensors");
        Map<String, String> meta = Map.of("format", "pt", "note", "λ=1e-4, \"quoted\"\ttab", "empty", "");
        Safetensors.write(f, sample(), meta);
        byte[] raw = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data starts 8-byte aligned");
        String header = new String(raw, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{"), header);
        assertTrue(header.contains("\"dense1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}"), header);

        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(meta, c.metadata());
        assertEquals(sample().keySet(), c.tensors().keySet());
        for (Map.Entry<String, Tensor> e : sample().entrySet()) {
            Tensor t = c.tensors().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), t.data(), e.getKey());
        }
        assertEquals(List.copyOf(c.tensors().keySet()), c.tensors().keySet().stream().sorted().toList());
        Safetensors.write(f, Map.of(), Map.of());
        assertEquals(0, Safetensors.read(f).tensors().size());
    }

    @Test
    void metadataAloneIsReadFromTheHeaderCheckedAsAWholeRead() throws Exception {
        Path f = dir.resolve("meta.safetensors");
        Safetensors.write(f, Map.of("w", Tensor.zeros(1000, 100)), Map.of("best_epoch", "3", "best_value", "0.25"));
        assertEquals(Safetensors.read(f).metadata(), Safetensors.readMetadata(f));
        assertEquals("3", Safetensors.readMetadata(f).get("best_epoch"));
        Path none = dir.resolve("none.safetensors");
        Safetensors.write(none, Map.of("w", Tensor.zeros(2)), Map.of());
        assertTrue(Safetensors.readMetadata(none).isEmpty());
        // a cut file: its header promises data that is not there, so the header is refused as in a whole read
        byte[] bytes = java.nio.file.Files.readAllBytes(f);
        Path cut = java.nio.file.Files.write(dir.resolve("cut.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThrows(dev.regula.api.CorruptDataException.class, () -> Safetensors.readMetadata(cut));
        assertThrows(dev.regula.core.data.DataNotFoundException.class, () -> Safetensors.readMetadata(dir.resolve("absent")));
    }

    @Test
    void float64TensorsRoundTripBitExactFirstAndAligned() throws Exception {
        Path f = dir.resolve("f64.safetensors");
        // none of these survives float32: 0.1, a subnormal double, 2^53 - 1, a NaN payload
        double[] values = {0.1, Double.MIN_VALUE, 0x1p53 - 1, -0.0, Double.longBitsToDouble(0x7ff8_0000_0000_0123L), 1e300};
        Map<String, Float64Tensor> doubles = new LinkedHashMap<>();
        doubles.put("z.moments", new Float64Tensor(new int[] {2, 3}, values));
        doubles.put("a.count", Float64Tensor.vector(12345678901L));
        doubles.put("empty", new Float64Tensor(new int[] {0}, new double[0]));
        // an odd number of float32 values sorted before the doubles by name: the doubles must still be aligned
        Map<String, Tensor> floats = Map.of("0.bias", Tensor.of(new float[] {1, 2, 3}, 3));
        Safetensors.write(f, floats, doubles, Map.of("k", "v"));

        byte[] raw = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(raw, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"a.count\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}"), header);
        assertTrue(header.contains("\"z.moments\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[8,56]}"), header);
        assertTrue(header.contains("\"0.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[56,68]}"), header);

        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(doubles.keySet(), c.float64().keySet());
        doubles.forEach((name, t) -> assertEquals(t, c.float64().get(name), name)); // bitwise, NaN payload included
        assertArrayEquals(new int[] {2, 3}, c.float64().get("z.moments").shape());
        assertEquals(Double.doubleToRawLongBits(values[4]), Double.doubleToRawLongBits(c.float64().get("z.moments").data()[4]));
        // every tensor is also readable as float32 (what a model's parameters are restored from)
        assertArrayEquals(new float[] {0.1f, 0f, (float) (0x1p53 - 1), -0f, Float.NaN, Float.POSITIVE_INFINITY},
                c.tensors().get("z.moments").data());
        assertEquals(Set.of("0.bias", "a.count", "empty", "z.moments"), c.tensors().keySet());
        assertEquals(Map.of(), Safetensors.read(bytes("plain", Files.readAllBytes(writePlain()))).float64());

        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> Safetensors.write(f,
                Map.of("x", Tensor.of(new float[] {1}, 1)), Map.of("x", Float64Tensor.vector(1)), Map.of()));
        assertTrue(twice.getMessage().contains("'x' is given both as float32 and as float64"), twice.getMessage());
        assertEquals(c.float64(), Safetensors.read(f).float64(), "the refused write left the file as it was");
    }

    private Path writePlain() throws IOException {
        Path plain = dir.resolve("plain.safetensors");
        Safetensors.write(plain, sample(), Map.of());
        return plain;
    }

    /**
     * Tensors longer than the 64 KiB unit of the file's reads and writes, so that values cross
     * its boundaries: every bit comes back, and lies on disk little-endian where the header says.
     */
    @Test
    void tensorsLongerThanTheInputOutputUnitRoundTripBitExact() throws Exception {
        Path f = dir.resolve("long.safetensors");
        java.util.Random rnd = new java.util.Random(3);
        float[] floats = new float[3 * (1 << 14) + 5];
        for (int i = 0; i < floats.length; i++) floats[i] = Float.intBitsToFloat(rnd.nextInt()); // NaN payloads included
        double[] doubles = new double[2 * (1 << 13) + 3];
        for (int i = 0; i < doubles.length; i++) doubles[i] = Double.longBitsToDouble(rnd.nextLong());
        Safetensors.write(f, Map.of("w", Tensor.of(floats, floats.length)),
                Map.of("m", new Float64Tensor(new int[] {doubles.length}, doubles)), Map.of());

        Safetensors.Contents c = Safetensors.read(f);
        float[] back = c.tensors().get("w").data();
        double[] backDoubles = c.float64().get("m").data();
        for (int i = 0; i < floats.length; i++) {
            assertEquals(Float.floatToRawIntBits(floats[i]), Float.floatToRawIntBits(back[i]), "float " + i);
        }
        for (int i = 0; i < doubles.length; i++) {
            assertEquals(Double.doubleToRawLongBits(doubles[i]), Double.doubleToRawLongBits(backDoubles[i]), "double " + i);
        }
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        int data = 8 + (int) raw.getLong(0); // the doubles come first, then the floats
        assertEquals(Double.doubleToRawLongBits(doubles[doubles.length - 1]), raw.getLong(data + 8 * (doubles.length - 1)));
        int floatsAt = data + 8 * doubles.length;
        assertEquals(Float.floatToRawIntBits(floats[1 << 14]), raw.getInt(floatsAt + 4 * (1 << 14)));
    }

    /** A missing file or a folder in its place is a data error naming the path, not a bare "Is a directory". */
    @Test
    void aMissingFileOrAFolderIsNamed() throws IOException {
        Path missing = dir.resolve("missing.safetensors");
        assertTrue(assertThrows(dev.regula.core.data.DataNotFoundException.class, () -> Safetensors.read(missing)).getMessage()
                .contains(missing.toString()));
        Path folder = Files.createDirectories(dir.resolve("folder.safetensors"));
        assertTrue(assertThrows(CorruptDataException.class, () -> Safetensors.read(folder)).getMessage()
                .contains(folder + " is a directory"));
    }

    @Test
    void float64SizesAndOffsetsAreCheckedLikeTheOthers() throws Exception {
        byte[] data = le(8, 1, 2);
        // two F64 values need 16 bytes: a header claiming 3 values, or 12 bytes, is corrupt before anything is allocated
        CorruptDataException e = corrupt("f64shape",
                file("{\"d\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,16]}}", data, true));
        assertTrue(e.getMessage().contains("F64 shape [3] needs 24 bytes but data_offsets [0, 16] hold 16"), e.getMessage());
        e = corrupt("f64cut", file("{\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", Arrays.copyOf(data, 12), true));
        assertTrue(e.getMessage().contains("past the data area"), e.getMessage());
        e = corrupt("f64huge", file("{\"d\":{\"dtype\":\"F64\",\"shape\":[2147483000],\"data_offsets\":[0,16]}}", data, true));
        assertTrue(e.getMessage().contains("needs 17179864000 bytes"), e.getMessage());
        Safetensors.Contents ok = Safetensors.read(bytes("f64ok",
                file("{\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", data, true)));
        assertEquals(Float64Tensor.vector(1, 2), ok.float64().get("d"));
    }

    @Test
    void readsAFileLaidOutLikeThePythonLibraryWithAllFloatDtypes() throws Exception {
        // The Python library orders data by dtype alignment, then name, and pads the header with spaces.
        ByteBuffer data = ByteBuffer.allocate(16 + 8 + 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
        data.putDouble(0.1).putDouble(-2.5); // "d" F64 [2]
        data.putFloat(1.5f).putFloat(-3f); // "a" F32 [2, 1]
        data.putShort(Float.floatToFloat16(0.5f)).putShort(Float.floatToFloat16(-65504f)); // "h" F16 [2]
        data.putShort((short) (Float.floatToIntBits(3.140625f) >>> 16)).putShort((short) 0x3F80); // "b" BF16 [2]
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[16,24]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[24,28]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[28,32]}}";
        byte[] content = file(json, data.array(), true);
        assertTrue(json.getBytes(StandardCharsets.UTF_8).length % 8 != 0, "the test must exercise the padding");
        Safetensors.Contents c = Safetensors.read(bytes("py.safetensors", content));
        assertEquals(Map.of("format", "pt"), c.metadata());
        assertArrayEquals(new float[] {0.1f, -2.5f}, c.tensors().get("d").data());
        assertArrayEquals(new int[] {2, 1}, c.tensors().get("a").shape());
        assertArrayEquals(new float[] {1.5f, -3f}, c.tensors().get("a").data());
        assertArrayEquals(new float[] {0.5f, -65504f}, c.tensors().get("h").data());
        assertArrayEquals(new float[] {3.140625f, 1f}, c.tensors().get("b").data());
        assertEquals(List.of("a", "b", "d", "h"), List.copyOf(c.tensors().keySet()));
    }

    @Test
    void truncatedDataIsCorrupt() throws Exception {
        Path f = dir.resolve("t.safetensors");
        Safetensors.write(f, sample(), Map.of());
        byte[] raw = Files.readAllBytes(f);
        CorruptDataException e = corrupt("cut", Arrays.copyOf(raw, raw.length - 4));
        assertTrue(e.getMessage().contains("past the data area"), e.getMessage());
        e = corrupt("cut8", Arrays.copyOf(raw, 5));
        assertTrue(e.getMessage().contains("fewer than the 8-byte"), e.getMessage());
        e = corrupt("cuthdr", Arrays.copyOf(raw, 20));
        assertTrue(e.getMessage().contains("larger than the 12 bytes"), e.getMessage());
    }

    @Test
    void headerLengthLargerThanFileOrLimitIsCorrupt() throws Exception {
        byte[] ok = file("{}", new byte[0], true);
        ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertTrue(corrupt("big", ok).getMessage().contains("header length 1099511627776 is larger"));
        ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertTrue(corrupt("neg", ok).getMessage().contains("18446744073709551615"));
    }

    @Test
    void overlapsGapsAndTrailingBytesAreCorrupt() throws Exception {
        byte[] data = le(4, 1, 2, 3);
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertTrue(corrupt("o", file(overlap, data, true)).getMessage().contains("overlap"));
        String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        assertTrue(corrupt("g", file(gap, data, true)).getMessage().contains("gap"));
        String trailing = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertTrue(corrupt("tr", file(trailing, data, true)).getMessage().contains("trailing"));
        String shape = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}";
        assertTrue(corrupt("s", file(shape, data, true)).getMessage().contains("needs 16 bytes"));
        String backwards = "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[12,0]}}";
        assertTrue(corrupt("bw", file(backwards, data, true)).getMessage().contains("end before"));
    }

    @Test
    void unsupportedDtypeAndMalformedHeadersAreCorrupt() throws Exception {
        byte[] data = le(4, 1);
        CorruptDataException e = corrupt("dt",
                file("{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,4]}}", data, true));
        assertTrue(e.getMessage().contains("unsupported dtype \"I64\"") && e.getMessage().contains("F32"), e.getMessage());
        String[] bad = {
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},}", // trailing comma
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{}}", // duplicate key
            "[1]",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1e12],\"data_offsets\":[0,4]}}",
            "{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}",
            "{\"__metadata__\":{\"k\":1},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} x",
            "{\"a\":\"\\q\"}",
            "[".repeat(100_000),
        };
        for (int i = 0; i < bad.length; i++) {
            corrupt("bad" + i, file(bad[i], data, true));
        }
        byte[] notUtf8 = file("{\"\u00e9\":1}", new byte[0], false);
        notUtf8[10] = (byte) 0xFF;
        assertTrue(corrupt("utf", notUtf8).getMessage().contains("UTF-8"));
    }

    @Test
    void failureInTheMiddleOfAWriteLeavesThePreviousFileAndNoTemporaryFile() throws Exception {
        Path f = dir.resolve("ckpt.safetensors");
        Safetensors.write(f, Map.of("w", Tensor.of(new float[] {1, 2}, 2)), Map.of("v", "1"));
        byte[] before = Files.readAllBytes(f);

        IOException diskFull = new IOException("simulated: no space left on device");
        IOException e = assertThrows(IOException.class, () -> Safetensors.write(f, sample(), Map.of(), name -> {
            if (name.equals("dense1.bias")) sneakyThrow(diskFull);
        }));
        assertEquals(diskFull, e);
        assertArrayEquals(before, Files.readAllBytes(f), "the previous checkpoint is intact");
        assertOnlyFiles(f);

        // A map whose iteration fails part-way.
        Map<String, Tensor> failing = new AbstractMap<>() {
            @Override
            public Set<Entry<String, Tensor>> entrySet() {
                return new java.util.AbstractSet<>() {
                    @Override
                    public Iterator<Entry<String, Tensor>> iterator() {
                        Iterator<Entry<String, Tensor>> it = sample().entrySet().iterator();
                        return new Iterator<>() {
                            int seen;

                            @Override
                            public boolean hasNext() {
                                return true;
                            }

                            @Override
                            public Entry<String, Tensor> next() {
                                if (++seen == 3) throw new IllegalStateException("simulated iteration failure");
                                return it.next();
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return 5;
                    }
                };
            }
        };
        assertThrows(IllegalStateException.class, () -> Safetensors.write(f, failing, Map.of()));
        assertArrayEquals(before, Files.readAllBytes(f));
        assertOnlyFiles(f);

        // The rename itself fails: the target is a non-empty directory.
        Path blocked = Files.createDirectories(dir.resolve("blocked"));
        Files.writeString(blocked.resolve("keep"), "x");
        assertThrows(IOException.class, () -> Safetensors.write(blocked, sample(), Map.of()));
        assertTrue(Files.isDirectory(blocked));
        assertOnlyFiles(f, blocked);

        Safetensors.write(f, sample(), Map.of());
        assertEquals(sample().keySet(), Safetensors.read(f).tensors().keySet());
        assertOnlyFiles(f, blocked);
    }

    private void assertOnlyFiles(Path... expected) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(Set.of(expected), Set.copyOf(s.toList()), "no temporary file is left behind");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    /**
     * Found by the kill test (regularization-fuzz CheckpointKillTest): every save killed before its
     * rename left a temporary file, and they accumulated. The next save now deletes the abandoned
     * ones, and only those: a temporary file locked by a save in progress stays.
     */
    @Test
    void nextSaveDeletesTemporariesAbandonedByKilledSavesButNotOnesBeingWritten() throws IOException {
        Path f = dir.resolve("c.safetensors");
        Path abandoned1 = Files.write(dir.resolve(".c.safetensors.111.tmp"), new byte[100]);
        Path abandoned2 = Files.write(dir.resolve(".c.safetensors.222.tmp"), new byte[0]);
        Path otherTarget = Files.write(dir.resolve(".d.safetensors.333.tmp"), new byte[10]);
        Path inProgress = Files.write(dir.resolve(".c.safetensors.444.tmp"), new byte[10]);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(inProgress,
                java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock lock = ch.lock()) {
            Safetensors.write(f, Map.of("w", Tensor.zeros(2)), Map.of());
            assertTrue(lock.isValid());
        }
        assertTrue(Files.notExists(abandoned1) && Files.notExists(abandoned2), "abandoned temporaries must be gone");
        assertTrue(Files.exists(otherTarget), "another target's temporary is not ours to delete");
        assertTrue(Files.exists(inProgress), "a temporary being written (locked) must stay");
        assertEquals(2, Safetensors.read(f).tensors().get("w").size());
    }

    /**
     * Found by a stress test: a save's cleanup could take another save's temporary file for
     * abandoned in the instant between its creation and its lock, and delete it (67 of 1,600
     * saves from four threads failed with NoSuchFileException). Saves to one file from several
     * threads must all succeed, leave a readable file and no temporaries.
     */
    @Test
    void concurrentSavesToOneFileAllSucceedAndLeaveNoTemporaries() throws Exception {
        Path f = dir.resolve("shared.safetensors");
        int threads = 4;
        int saves = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                float value = t;
                results.add(pool.submit(() -> {
                    List<String> failures = new ArrayList<>();
                    for (int i = 0; i < saves; i++) {
                        try {
                            Safetensors.write(f, Map.of("w", Tensor.zeros(1000).fill(value)), Map.of());
                        } catch (IOException e) {
                            failures.add(e.toString());
                        }
                    }
                    return failures;
                }));
            }
            List<String> failures = new ArrayList<>();
            for (var r : results) failures.addAll(r.get());
            assertEquals(List.of(), failures.subList(0, Math.min(3, failures.size())), failures.size() + " saves failed");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1000, Safetensors.read(f).tensors().get("w").size());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
        }
    }

    @Test
    void unsignedIntegerTensorsTakeOneOrTwoBytesAndReadBackExactly() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("codes", Tensor.of(new float[] {0, 1, 17, 255}, 4));
        t.put("gaps", Tensor.of(new float[] {0, 65535, 300}, 3));
        t.put("book", Tensor.of(new float[] {-0.5f, 0.25f}, 2));
        Path f = dir.resolve("u.safetensors");
        Safetensors.write(f, t, Map.of(), Map.of("codes", "U8", "gaps", "U16"), Map.of("k", "v"));
        String header = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("\"codes\":{\"dtype\":\"U8\"") && header.contains("\"gaps\":{\"dtype\":\"U16\""), header);
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(8 + headerLength + 2 * 4 + 4 + 3 * 2, Files.size(f));
        Safetensors.Contents c = Safetensors.read(f);
        assertArrayEquals(new float[] {0, 1, 17, 255}, c.tensors().get("codes").data());
        assertArrayEquals(new float[] {0, 65535, 300}, c.tensors().get("gaps").data());
        assertArrayEquals(new float[] {-0.5f, 0.25f}, c.tensors().get("book").data());
    }

    @Test
    void unsignedIntegerTensorsRefuseValuesTheyCannotHold() {
        Path f = dir.resolve("bad.safetensors");
        for (float bad : new float[] {256, -1, 0.5f, Float.NaN}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Safetensors.write(f, Map.of("c", Tensor.of(new float[] {1, bad}, 2)), Map.of(), Map.of("c", "U8"), Map.of()));
            assertTrue(e.getMessage().contains("'c'") && e.getMessage().contains("[0, 255]"), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(f, Map.of("c", Tensor.of(new float[] {1}, 1)), Map.of(), Map.of("c", "I8"), Map.of()));
        assertTrue(e.getMessage().contains("F32, U8 or U16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(f, Map.of("c", Tensor.of(new float[] {1}, 1)), Map.of(), Map.of("d", "U8"), Map.of()));
        assertTrue(e.getMessage().contains("'d'"), e.getMessage());
        assertTrue(Files.notExists(f));
    }

    @Test
    void aChangedByteInTheDataIsFoundByTheChecksumAndAFileWithoutOneIsReadAsItIs() throws Exception {
        Path f = dir.resolve("sum.safetensors");
        Safetensors.write(f, java.util.Map.of("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)), java.util.Map.of("k", "v"));
        assertEquals(java.util.Map.of("k", "v"), Safetensors.read(f).metadata(), "the checksum is not the caller's metadata");
        byte[] bytes = java.nio.file.Files.readAllBytes(f);
        bytes[bytes.length - 3] ^= 0x10; // inside the last float
        java.nio.file.Files.write(f, bytes);
        dev.regula.api.CorruptDataException e = org.junit.jupiter.api.Assertions.assertThrows(dev.regula.api.CorruptDataException.class,
                () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("does not match the checksum written with it"), e.getMessage());
        // a file another program wrote (no checksum): read as it is
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + header.length() + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length()).put(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)).putFloat(7f);
        Path other = java.nio.file.Files.write(dir.resolve("other.safetensors"), b.array());
        assertEquals(7f, Safetensors.read(other).tensors().get("w").data()[0]);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Safetensors.write(dir.resolve("x.safetensors"),
                java.util.Map.of(), java.util.Map.of(Safetensors.CHECKSUM_KEY, "0")), "the key is reserved");
        java.io.IOException missing = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> Safetensors.write(dir.resolve("no/such/x.safetensors"), java.util.Map.of(), java.util.Map.of()));
        assertTrue(missing.getMessage().contains("x.safetensors") && missing.getMessage().contains("does not exist")
                && !missing.getMessage().contains(".tmp"), missing.getMessage());
    }
}
