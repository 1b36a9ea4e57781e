package dev.regula.core.checkpoint;

import dev.regula.api.CorruptDataException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.io.JsonText;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * so that PyTorch, JAX and Hugging Face tools can read Regula's tensors and back.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length {@code N}; {@code N} bytes of UTF-8
 * JSON, {@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}}, padded with spaces; then the tensor bytes, little-endian,
 * with offsets relative to the end of the header.
 *
 * <p>{@link #write} stores float32 tensors ({@code F32}) and, where a value must survive exactly,
 * float64 ones ({@code F64}, {@link Float64Tensor}), with contiguous offsets from 0: the F64
 * tensors first, sorted by name, then the F32 ones, as the reference implementation orders by
 * alignment, so every F64 tensor starts 8-byte aligned. The header is padded so that the data
 * starts at a multiple of 8. The write is atomic: the bytes go to a
 * temporary file in the target's directory, are forced to the device, and the temporary file is
 * then renamed over the target with an atomic move. A failure at any point leaves the previous
 * file (if any) untouched and removes the temporary file.
 *
 * <p>{@link #write(Path, Map, Map, Map, Map)} may store chosen float32 tensors as unsigned
 * integers ({@code U8}, {@code U16}) instead, for compact files of small integer values (codes,
 * indices, packed bits).
 *
 * <p>{@link #read} accepts F32, F64, F16, BF16, U8 and U16 tensors (converted to float32, which
 * holds every U8 and U16 value exactly; the F64 ones are also returned exactly,
 * {@link Contents#float64()}) and checks
 * everything a hostile file could get wrong before allocating: header length against the file
 * size and {@link #MAX_HEADER_BYTES}, well-formed JSON (strict parser, duplicate keys rejected),
 * known dtypes, shapes against offsets, offsets in bounds, and that the tensors cover the data
 * area exactly, without gaps or overlaps. Every violation is a {@link CorruptDataException} naming
 * the file and the problem.
 */
public final class Safetensors {
    /** The largest header accepted when reading, as in the reference implementation (100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The key of the string-to-string metadata map in the header. */
    public static final String METADATA_KEY = "__metadata__";

    /**
     * Metadata key of the CRC-32C of the data area (in hexadecimal) that {@link #write} records and
     * {@link #read} checks; {@link Contents#metadata()} leaves it out.
     */
    public static final String CHECKSUM_KEY = "regula.crc32c";

    private static final String TMP_SUFFIX = ".tmp";
    /** Temporary files a save creates at most before it gives up (see createLockedTemporary). */
    private static final int TEMPORARY_ATTEMPTS = 20;
    /**
     * The temporary files that saves of this JVM are writing, guarded by itself (held while a save
     * creates its file and while a cleanup runs). The cleanup never opens them: file locks belong
     * to the whole process, and closing any channel to a file drops the process's lock on it, so a
     * cleanup that opened another thread's temporary file would leave it unprotected against the
     * cleanups of other processes (two threads of one JVM and a second JVM saving the same file
     * would then fail saves).
     */
    private static final Set<Path> WRITING = new HashSet<>();
    private static final int CHUNK = 1 << 16;

    private Safetensors() {}

    /**
     * The tensors and metadata of a safetensors file.
     *
     * @param tensors every tensor by name, converted to float32, sorted by name, unmodifiable
     * @param float64 the tensors stored as {@code F64}, exactly, sorted by name, unmodifiable
     *     (also in {@code tensors}, rounded to float32)
     * @param metadata the header's {@code __metadata__} map, sorted by key, unmodifiable (empty if absent)
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, Float64Tensor> float64, Map<String, String> metadata) {
        /** Copies the maps into unmodifiable sorted maps. */
        public Contents {
            tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
            float64 = Collections.unmodifiableMap(new TreeMap<>(float64));
            metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
        }
    }

    /**
     * Writes tensors as float32 (dtype {@code F32}) atomically, replacing any existing file.
     *
     * @param file the target path; its directory must exist
     * @param tensors the tensors by name; names must be non-empty and not {@value #METADATA_KEY}
     * @param metadata string metadata stored under {@value #METADATA_KEY} (may be empty)
     * @throws IOException if writing or the final atomic rename fails; the target is then unchanged
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, Map.of(), Map.of(), metadata, name -> {});
    }

    /**
     * Writes float32 tensors ({@code F32}) and float64 tensors ({@code F64}, exactly) atomically,
     * replacing any existing file.
     *
     * @param file the target path; its directory must exist
     * @param tensors the float32 tensors by name; names must be non-empty and not {@value #METADATA_KEY}
     * @param float64 the float64 tensors by name, under the same rule and distinct from the float32 ones' names
     * @param metadata string metadata stored under {@value #METADATA_KEY} (may be empty)
     * @throws IllegalArgumentException if a name is empty, reserved or used twice
     * @throws IOException if writing or the final atomic rename fails; the target is then unchanged
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, Float64Tensor> float64,
                             Map<String, String> metadata) throws IOException {
        write(file, tensors, float64, Map.of(), metadata, name -> {});
    }

    /**
     * As {@link #write(Path, Map, Map, Map)}, but the float32 tensors named in {@code dtypes} are
     * stored as {@code "U8"} (one byte per element) or {@code "U16"} (two bytes, little-endian)
     * unsigned integers.
     *
     * @param file the target path; its directory must exist
     * @param tensors the float32 tensors by name
     * @param float64 the float64 tensors by name (may be empty)
     * @param dtypes per float32 tensor name "F32", "U8" or "U16" (absent: F32)
     * @param metadata string metadata
     * @throws IllegalArgumentException if a name is empty, reserved or used twice, a dtype is not
     *     one of those three or names no float32 tensor, or a U8/U16 tensor holds a value that is
     *     not an integer in [0, 255] or [0, 65535]
     * @throws IOException if writing fails; the target is then unchanged
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, Float64Tensor> float64,
                             Map<String, String> dtypes, Map<String, String> metadata) throws IOException {
        write(file, tensors, float64, dtypes, metadata, name -> {});
    }

    /** As {@link #write(Path, Map, Map, Map)}, calling {@code afterTensor} after each tensor's bytes (a test seam). */
    static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, Consumer<String> afterTensor)
            throws IOException {
        write(file, tensors, Map.of(), Map.of(), metadata, afterTensor);
    }

    private static void write(Path file, Map<String, Tensor> tensors, Map<String, Float64Tensor> float64,
                              Map<String, String> dtypes, Map<String, String> metadata, Consumer<String> afterTensor)
            throws IOException {
        Objects.requireNonNull(file, "file");
        TreeMap<String, Tensor> sorted = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = checkName(e.getKey());
            sorted.put(name, Objects.requireNonNull(e.getValue(), () -> "tensor '" + name + "' is null"));
        }
        TreeMap<String, Float64Tensor> doubles = new TreeMap<>();
        for (Map.Entry<String, Float64Tensor> e : float64.entrySet()) {
            String name = checkName(e.getKey());
            if (sorted.containsKey(name)) {
                throw new IllegalArgumentException("tensor name '" + name + "' is given both as float32 and as float64");
            }
            doubles.put(name, Objects.requireNonNull(e.getValue(), () -> "tensor '" + name + "' is null"));
        }
        TreeMap<String, String> meta = new TreeMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            meta.put(Objects.requireNonNull(e.getKey(), "metadata key"),
                    Objects.requireNonNull(e.getValue(), () -> "metadata value of '" + e.getKey() + "' is null"));
        }
        Map<String, Dtype> types = integerTypes(sorted, dtypes);
        if (meta.containsKey(CHECKSUM_KEY)) {
            throw new IllegalArgumentException("metadata key '" + CHECKSUM_KEY + "' is reserved for the data's checksum");
        }
        // a first pass over the data for its checksum, which goes into the header written before it
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        ByteBuffer sum = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        emitData(doubles, sorted, types, sum, crc::update, name -> {});
        meta.put(CHECKSUM_KEY, Long.toHexString(crc.getValue()));
        byte[] header = header(sorted, doubles, types, meta);

        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) { // named as the file asked for, not as the temporary file beside it
            throw new java.nio.file.NoSuchFileException(target.toString(), null, "cannot save: the folder " + dir + " does not exist");
        }
        String tmpPrefix = "." + target.getFileName() + ".";
        deleteAbandonedTemporaries(dir, tmpPrefix);
        Temporary temporary = createLockedTemporary(dir, tmpPrefix, target);
        Path tmp = temporary.path();
        boolean moved = false;
        try {
            try (FileChannel ch = temporary.channel()) {
                // Held while writing, so that deleteAbandonedTemporaries of another save leaves this file alone.
                FileLock writing = temporary.lock();
                ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
                buf.putLong(header.length);
                buf.flip();
                writeFully(ch, buf);
                writeFully(ch, ByteBuffer.wrap(header));
                emitData(doubles, sorted, types, buf, b -> writeFully(ch, b), afterTensor);
                ch.force(true);
                // renamed while still open and locked (POSIX and Windows both allow it), so no
                // other save can take it for abandoned in between
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("cannot replace " + target + " atomically on this file system; "
                            + "the previous file is unchanged", e);
                }
                moved = true;
                if (writing != null && writing.isValid()) writing.release();
            }
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is more useful than this one
                }
            }
            forget(tmp);
        }
        syncDirectory(dir);
    }

    /**
     * Reads a safetensors file, converting every tensor to float32.
     *
     * @param file the file
     * @return its tensors and metadata
     * @throws dev.regula.core.data.DataNotFoundException if nothing exists at {@code file}
     * @throws CorruptDataException if the file is truncated, malformed or uses an unsupported dtype,
     *     or is a folder or special file
     * @throws IOException if the file cannot be read
     */
    public static Contents read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        // a missing file or a folder in its place is named, as a data error, not "Is a directory"
        dev.regula.core.io.InputFiles.requireRegularFile(file, "safetensors file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(ch, file);
            verifyChecksum(ch, file, h);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, Float64Tensor> float64 = new LinkedHashMap<>();
            for (Entry info : h.entries()) {
                if (info.dtype == Dtype.F64) {
                    double[] exact = readDoubles(ch, file, info, h.dataStart());
                    float[] narrowed = new float[exact.length];
                    for (int i = 0; i < exact.length; i++) narrowed[i] = (float) exact[i];
                    float64.put(info.name, new Float64Tensor(info.shape, exact));
                    tensors.put(info.name, Tensor.wrap(narrowed, info.shape));
                } else {
                    tensors.put(info.name, readTensor(ch, file, info, h.dataStart()));
                }
            }
            Map<String, String> metadata = new LinkedHashMap<>(h.metadata());
            metadata.remove(CHECKSUM_KEY);
            return new Contents(tensors, float64, metadata);
        }
    }

    /**
     * Checks the data area against the checksum its header records (files written before the
     * checksum, or by other programs, have none and are read as they are).
     */
    private static void verifyChecksum(FileChannel ch, Path file, Header h) throws IOException {
        String recorded = h.metadata().get(CHECKSUM_KEY);
        if (recorded == null) return;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long size = ch.size();
        for (long pos = h.dataStart(); pos < size; ) {
            buf.clear();
            buf.limit((int) Math.min(CHUNK, size - pos));
            readFully(ch, buf, pos, file);
            pos += buf.flip().remaining();
            crc.update(buf);
        }
        if (!recorded.equalsIgnoreCase(Long.toHexString(crc.getValue()))) {
            throw corrupt(file, "its data does not match the checksum written with it (" + CHECKSUM_KEY + " " + recorded + ", the data's "
                    + Long.toHexString(crc.getValue()) + "): the file was changed or damaged after it was saved");
        }
    }

    /**
     * Reads only the metadata of a safetensors file: its header, checked as {@link #read} checks
     * it, without reading a tensor (a callback that needs a record kept beside a model's weights).
     *
     * @param file the file
     * @return its {@value #METADATA_KEY} entries, empty if it has none
     * @throws dev.regula.core.data.DataNotFoundException if nothing exists at {@code file}
     * @throws CorruptDataException if the header is truncated or malformed, or the file is a folder
     *     or special file
     * @throws IOException if the file cannot be read
     */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        dev.regula.core.io.InputFiles.requireRegularFile(file, "safetensors file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, String> metadata = new LinkedHashMap<>(header(ch, file).metadata());
            metadata.remove(CHECKSUM_KEY);
            return metadata;
        }
    }

    /** A checked header: the metadata, the tensors' entries and where their data starts. */
    private record Header(Map<String, String> metadata, List<Entry> entries, long dataStart) {
    }

    private static Header header(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw corrupt(file, "file has " + size + " bytes, fewer than the 8-byte header length field");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, file);
        long n = lenBuf.flip().getLong();
        if (n < 0 || n > size - 8) {
            throw corrupt(file, "header length " + Long.toUnsignedString(n) + " is larger than the "
                    + (size - 8) + " bytes that follow it (truncated file or not safetensors)");
        }
        if (n > MAX_HEADER_BYTES) {
            throw corrupt(file, "header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (n < 2) {
            throw corrupt(file, "header length " + n + " is too short for a JSON object");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(ch, hb, 8, file);
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(hb.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptDataException(file + ": header is not valid UTF-8", e);
        }
        Object root;
        try {
            root = Json.parse(json);
        } catch (Json.JsonException e) {
            throw new CorruptDataException(file + ": header: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> entries)) {
            throw corrupt(file, "header must be a JSON object, found " + kind(root));
        }
        long dataStart = 8 + n;
        long dataSize = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> infos = new ArrayList<>();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = metadata(file, e.getValue());
            } else {
                infos.add(entry(file, name, e.getValue(), dataSize));
            }
        }
        checkCoverage(file, infos, dataSize);
        return new Header(metadata, infos, dataStart);
    }

    private record Entry(String name, Dtype dtype, int[] shape, long begin, long end) {}

    private enum Dtype {
        F32(4), F64(8), F16(2), BF16(2), U8(1), U16(2);

        final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }
    }

    private static Entry entry(Path file, String name, Object value, long dataSize) throws CorruptDataException {
        String where = "tensor " + JsonText.quote(name);
        if (name.isEmpty()) throw corrupt(file, "tensor with an empty name");
        if (!(value instanceof Map<?, ?> m)) {
            throw corrupt(file, where + ": expected an object {dtype, shape, data_offsets}, found " + kind(value));
        }
        Object dt = m.get("dtype");
        if (!(dt instanceof String dtName)) throw corrupt(file, where + ": 'dtype' must be a string, found " + kind(dt));
        Dtype dtype;
        try {
            dtype = Dtype.valueOf(dtName);
        } catch (IllegalArgumentException e) {
            throw corrupt(file, where + ": unsupported dtype " + JsonText.quote(dtName) + ", expected one of "
                    + Arrays.toString(Dtype.values()));
        }
        if (!(m.get("shape") instanceof List<?> dims)) {
            throw corrupt(file, where + ": 'shape' must be an array of integers, found " + kind(m.get("shape")));
        }
        if (dims.size() > 64) throw corrupt(file, where + ": shape has " + dims.size() + " dimensions, more than 64");
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = (int) integer(file, where + ": shape[" + i + "]", dims.get(i), Integer.MAX_VALUE);
            count = Math.min(count * shape[i], Integer.MAX_VALUE); // capped: never overflows
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw corrupt(file, where + ": shape " + Arrays.toString(shape) + " has more than 2^31 elements");
        }
        if (!(m.get("data_offsets") instanceof List<?> offs) || offs.size() != 2) {
            throw corrupt(file, where + ": 'data_offsets' must be an array [begin, end], found " + kind(m.get("data_offsets")));
        }
        long begin = integer(file, where + ": data_offsets[0]", offs.get(0), Long.MAX_VALUE);
        long end = integer(file, where + ": data_offsets[1]", offs.get(1), Long.MAX_VALUE);
        if (begin > end) throw corrupt(file, where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        if (end > dataSize) {
            throw corrupt(file, where + ": data_offsets [" + begin + ", " + end + "] reach past the data area of "
                    + dataSize + " bytes (truncated file?)");
        }
        long bytes = count * dtype.bytes;
        if (end - begin != bytes) {
            throw corrupt(file, where + ": " + dtype + " shape " + Arrays.toString(shape) + " needs " + bytes
                    + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static void checkCoverage(Path file, List<Entry> infos, long dataSize) throws CorruptDataException {
        List<Entry> byOffset = new ArrayList<>(infos);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry e : byOffset) {
            if (e.begin < expected) {
                throw corrupt(file, "tensors " + JsonText.quote(previous) + " and " + JsonText.quote(e.name)
                        + " overlap: " + JsonText.quote(e.name) + " begins at " + e.begin + " before " + expected);
            }
            if (e.begin > expected) {
                throw corrupt(file, "gap in the data area: bytes [" + expected + ", " + e.begin + ") belong to no tensor");
            }
            expected = e.end;
            previous = e.name;
        }
        if (expected != dataSize) {
            throw corrupt(file, "the tensors cover " + expected + " bytes but the data area has " + dataSize
                    + " (trailing bytes)");
        }
    }

    private static Map<String, String> metadata(Path file, Object value) throws CorruptDataException {
        if (!(value instanceof Map<?, ?> m)) {
            throw corrupt(file, METADATA_KEY + " must be an object of strings, found " + kind(value));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw corrupt(file, METADATA_KEY + "." + e.getKey() + " must be a string, found " + kind(e.getValue()));
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static long integer(Path file, String what, Object v, long max) throws CorruptDataException {
        if (!(v instanceof BigDecimal d)) throw corrupt(file, what + " must be an integer, found " + kind(v));
        if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw corrupt(file, what + " is " + d + ", expected an integer in [0, " + max + "]");
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            throw corrupt(file, what + " is " + d + ", expected an integer");
        }
    }

    private static Tensor readTensor(FileChannel ch, Path file, Entry info, long dataStart) throws IOException {
        float[] out = new float[Tensor.sizeOf(info.shape)];
        int eb = info.dtype.bytes;
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long pos = dataStart + info.begin;
        int done = 0;
        while (done < out.length) {
            int elems = Math.min(out.length - done, CHUNK / eb);
            buf.clear().limit(elems * eb);
            readFully(ch, buf, pos, file);
            buf.flip();
            pos += (long) elems * eb;
            if (info.dtype == Dtype.F32) { // a bulk copy: no per-value loop to compile
                buf.asFloatBuffer().get(out, done, elems);
                done += elems;
                continue;
            }
            for (int i = 0; i < elems; i++) {
                out[done + i] = switch (info.dtype) {
                    case F32 -> buf.getFloat();
                    case F64 -> throw new IllegalStateException("F64 is read by readDoubles");
                    case F16 -> Float.float16ToFloat(buf.getShort());
                    case BF16 -> Float.intBitsToFloat((buf.getShort() & 0xFFFF) << 16);
                    case U8 -> buf.get() & 0xFF;
                    case U16 -> buf.getShort() & 0xFFFF;
                };
            }
            done += elems;
        }
        return Tensor.wrap(out, info.shape);
    }

    /** Reads an F64 tensor's values exactly; its size was checked against its offsets by {@link #entry}. */
    private static double[] readDoubles(FileChannel ch, Path file, Entry info, long dataStart) throws IOException {
        double[] out = new double[Tensor.sizeOf(info.shape)];
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long pos = dataStart + info.begin;
        int done = 0;
        while (done < out.length) {
            int elems = Math.min(out.length - done, CHUNK / Double.BYTES);
            buf.clear().limit(elems * Double.BYTES);
            readFully(ch, buf, pos, file);
            buf.flip();
            pos += (long) elems * Double.BYTES;
            buf.asDoubleBuffer().get(out, done, elems);
            done += elems;
        }
        return out;
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "tensor name");
        if (name.isEmpty() || name.equals(METADATA_KEY)) {
            throw new IllegalArgumentException("tensor name must be non-empty and not " + METADATA_KEY + ", got '" + name + "'");
        }
        return name;
    }

    /** The storage type of each float32 tensor named in {@code dtypes}, checked against its values. */
    private static Map<String, Dtype> integerTypes(Map<String, Tensor> tensors, Map<String, String> dtypes) {
        Map<String, Dtype> types = new TreeMap<>();
        for (Map.Entry<String, String> e : dtypes.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("dtype given for '" + e.getKey() + "', which is not among the float32 tensors");
            }
            Dtype d = switch (e.getValue()) {
                case "F32" -> Dtype.F32;
                case "U8" -> Dtype.U8;
                case "U16" -> Dtype.U16;
                default -> throw new IllegalArgumentException("dtype of '" + e.getKey() + "' must be F32, U8 or U16, got '"
                        + e.getValue() + "'");
            };
            if (d != Dtype.F32) {
                int max = d == Dtype.U8 ? 0xFF : 0xFFFF;
                for (float v : t.data()) {
                    if (!(v >= 0 && v <= max && v == Math.rint(v))) {
                        throw new IllegalArgumentException("tensor '" + e.getKey() + "' as " + d + " must hold integers in [0, " + max
                                + "], found " + v);
                    }
                }
            }
            types.put(e.getKey(), d);
        }
        return types;
    }

    private static byte[] header(Map<String, Tensor> tensors, Map<String, Float64Tensor> float64, Map<String, Dtype> types,
                                 Map<String, String> metadata) {
        StringBuilder b = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            b.append(JsonText.quote(METADATA_KEY)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) b.append(',');
                first = false;
                b.append(JsonText.quote(e.getKey())).append(':').append(JsonText.quote(e.getValue()));
            }
            b.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Float64Tensor> e : float64.entrySet()) {
            offset = entryHeader(b, e.getKey(), "F64", e.getValue().shape(), offset, 8L * e.getValue().size());
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Dtype d = types.getOrDefault(e.getKey(), Dtype.F32);
            offset = entryHeader(b, e.getKey(), d.name(), e.getValue().shape(), offset, (long) d.bytes * e.getValue().size());
        }
        b.append('}');
        byte[] json = b.toString().getBytes(StandardCharsets.UTF_8);
        // Pad with spaces so the data starts 8-byte aligned (8 + N is a multiple of 8), as real files do.
        byte[] padded = Arrays.copyOf(json, (json.length + 7) & ~7);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    /** Appends one tensor's header entry; returns the offset after its bytes. */
    private static long entryHeader(StringBuilder b, String name, String dtype, int[] shape, long offset, long bytes) {
        if (b.length() > 1) b.append(',');
        long end = offset + bytes;
        b.append(JsonText.quote(name)).append(":{\"dtype\":\"").append(dtype).append("\",\"shape\":[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) b.append(',');
            b.append(shape[i]);
        }
        b.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
        return end;
    }

    /** Fills a buffer, from position 0, with {@code count} values from index {@code from}. */
    @FunctionalInterface
    private interface ChunkFill {
        void put(ByteBuffer buf, int from, int count);
    }

    /** Where a pass over the data sends each filled buffer (flipped): the file, or the checksum. */
    @FunctionalInterface
    private interface Sink {
        void accept(ByteBuffer filled) throws IOException;
    }

    /**
     * Sends the data area's bytes, in the header's order (float64 tensors, then the others), to
     * {@code sink} in chunks of {@code buf}: the one place the bytes of a tensor are made, so the
     * checksum is of the very bytes written.
     */
    private static void emitData(TreeMap<String, Float64Tensor> doubles, TreeMap<String, Tensor> sorted, Map<String, Dtype> types,
                                 ByteBuffer buf, Sink sink, Consumer<String> afterTensor) throws IOException {
        for (Map.Entry<String, Float64Tensor> e : doubles.entrySet()) {
            double[] data = e.getValue().data();
            emitChunks(sink, buf, data.length, Double.BYTES, (b, from, count) -> b.asDoubleBuffer().put(data, from, count));
            afterTensor.accept(e.getKey());
        }
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            float[] data = e.getValue().data();
            Dtype d = types.getOrDefault(e.getKey(), Dtype.F32);
            if (d == Dtype.F32) {
                emitChunks(sink, buf, data.length, Float.BYTES, (b, from, count) -> b.asFloatBuffer().put(data, from, count));
                afterTensor.accept(e.getKey());
                continue;
            }
            buf.clear();
            for (float v : data) {
                if (buf.remaining() < 4) {
                    buf.flip();
                    sink.accept(buf);
                    buf.clear();
                }
                switch (d) {
                    case U8 -> buf.put((byte) (int) v);
                    case U16 -> buf.putShort((short) (int) v);
                    default -> buf.putFloat(v);
                }
            }
            buf.flip();
            sink.accept(buf);
            afterTensor.accept(e.getKey());
        }
    }

    /**
     * Sends {@code length} values of {@code bytes} each through {@code buf}, a chunk at a time, by
     * bulk copies: no per-value loop for the JIT to compile at the end of a run.
     */
    private static void emitChunks(Sink sink, ByteBuffer buf, int length, int bytes, ChunkFill fill) throws IOException {
        for (int done = 0; done < length; ) {
            buf.clear();
            int count = Math.min(length - done, CHUNK / bytes);
            fill.put(buf, done, count);
            buf.limit(count * bytes);
            sink.accept(buf);
            done += count;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) throw corrupt(file, "unexpected end of file at byte " + pos + " (the file shrank while reading?)");
            pos += r;
        }
    }

    /** This save's temporary file, open for writing, with its lock (null where locks are not supported). */
    private record Temporary(Path path, FileChannel channel, FileLock lock) {
    }

    /**
     * Creates this save's temporary file and takes its lock. Between the creation and the lock,
     * another process's save to the same target may take the file for abandoned, lock it and
     * delete it. When the lock is then held by someone else, or the file is gone once
     * the lock is ours, the file is given up and a new one created; once this save holds the lock,
     * no other process's cleanup can delete it. Saves of this JVM never touch each other's files:
     * see {@link #WRITING}. On any failure the temporary file is deleted and forgotten.
     */
    private static Temporary createLockedTemporary(Path dir, String prefix, Path target) throws IOException {
        IOException lastFailure = null;
        for (int attempt = 0; attempt < TEMPORARY_ATTEMPTS; attempt++) {
            Path tmp;
            synchronized (WRITING) {
                tmp = Files.createTempFile(dir, prefix, TMP_SUFFIX);
                WRITING.add(tmp);
            }
            FileChannel ch = null;
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException | IOException noPermissions) {
                    // keep the file system's defaults: permissions are not worth failing a save for
                }
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                } catch (NoSuchFileException deletedByAnotherProcess) {
                    lastFailure = deletedByAnotherProcess;
                    giveUp(tmp, null);
                    continue;
                }
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (ClosedChannelException interrupted) {
                    throw interrupted; // the thread was interrupted: not a file system without locks
                } catch (IOException | UnsupportedOperationException noLocks) {
                    return new Temporary(tmp, ch, null); // no locks here: written and moved without one
                }
                if (lock != null && Files.exists(tmp)) return new Temporary(tmp, ch, lock);
                giveUp(tmp, ch); // locked by another process's cleanup, or deleted by it before our lock
            } catch (IOException | RuntimeException | Error e) {
                giveUp(tmp, ch);
                throw e;
            }
        }
        throw new IOException("cannot write " + target + ": other saves to the same file deleted each of "
                + TEMPORARY_ATTEMPTS + " temporary files before this save could lock it", lastFailure);
    }

    /** Closes (if open), deletes and forgets a temporary file; failures are ignored. */
    private static void giveUp(Path tmp, FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing is all that is left to do with it
            }
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // the next save's cleanup deletes it
        }
        forget(tmp);
    }

    private static void forget(Path tmp) {
        synchronized (WRITING) {
            WRITING.remove(tmp);
        }
    }

    /**
     * Deletes the temporary files that earlier saves to the same target left behind when their
     * process was killed before the rename, so that they do not accumulate, one per kill. A
     * temporary file is only deleted when its lock can be taken, that is when no live save (in
     * this or another process) is writing it; the operating system releases the locks of a
     * killed process. The temporary files of this JVM's own saves are skipped without being
     * opened ({@link #WRITING}). Best effort: failures are ignored, the save itself does not
     * depend on it.
     */
    private static void deleteAbandonedTemporaries(Path dir, String prefix) {
        synchronized (WRITING) {
            deleteUnlocked(dir, prefix);
        }
    }

    private static void deleteUnlocked(Path dir, String prefix) {
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir,
                p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith(prefix) && n.endsWith(TMP_SUFFIX);
                })) {
            for (Path p : stale) {
                if (WRITING.contains(p)) continue; // this JVM's own save: opening it would drop its lock
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    FileLock lock = ch.tryLock();
                    if (lock != null) {
                        Files.deleteIfExists(p);
                        lock.release();
                    }
                } catch (IOException | UnsupportedOperationException | OverlappingFileLockException inUseOrGone) {
                    // being written by a live save, already deleted, or not deletable: leave it
                }
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // cannot list the directory: nothing to clean
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // makes the rename durable on Linux; not possible everywhere
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: the file itself is already on disk
        }
    }

    private static String kind(Object v) {
        if (v == null) return "no such key";
        if (v instanceof Map) return "an object";
        if (v instanceof List<?> l) return "an array of " + l.size();
        if (v instanceof String s) return "the string " + JsonText.quote(s.length() > 40 ? s.substring(0, 37) + "..." : s);
        if (v instanceof BigDecimal d) return "the number " + d;
        if (v instanceof Boolean bool) return bool.toString();
        return "null";
    }

    private static CorruptDataException corrupt(Path file, String problem) {
        return new CorruptDataException(file + ": " + problem);
    }
}
