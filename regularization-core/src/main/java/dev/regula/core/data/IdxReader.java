package dev.regula.core.data;

import dev.regula.api.CorruptDataException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.io.InputFiles;
import dev.regula.core.io.MemoryBudget;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads files in the IDX format of MNIST and Fashion-MNIST, raw or gzip-compressed.
 *
 * <p>An IDX file is a 4-byte magic number {@code 0x00 0x00 TT DD} ({@code TT} the element type,
 * see {@link IdxType}; {@code DD} the number of dimensions, >= 1), then {@code DD} big-endian
 * 32-bit dimension sizes, then the elements in row-major order, big-endian. Gzip compression is
 * detected from the first two bytes ({@code 1f 8b}), not from the file name.
 *
 * <p>The header is never trusted: the element count must fit a {@link Tensor} (at most
 * {@link #MAX_ELEMENTS}), a raw file's length must match the header exactly before anything is
 * allocated, and compressed data is decoded into storage that grows with the bytes actually
 * present (never beyond eight times the values that arrived, see {@link #grownCapacity}), so a
 * small file claiming a huge shape fails fast with a {@link CorruptDataException} instead of
 * running out of memory. A declared shape whose float32 values would not fit in what
 * the heap has left ({@link MemoryBudget}; for compressed data, with the copy that growing the
 * storage makes, see {@link #growthPeak}) is refused before reading, so a small gzip file that
 * inflates to gigabytes fails at once; {@link #readTyped(Path, boolean, long)} reads only the
 * first rows, and inflates nothing beyond them. Only regular files are read
 * ({@link InputFiles}): a FIFO, device or directory is refused, never waited on. Every format error is a {@code CorruptDataException} naming
 * the file and what was expected against what was found; failures of the file system itself stay
 * {@link IOException}s.
 */
public final class IdxReader {
    /** The largest number of elements a file may declare (the {@link Tensor} limit). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final int CHUNK = 1 << 16;
    private static final int INITIAL_CAPACITY = 1 << 16;

    private IdxReader() {}

    /**
     * Reads an IDX file into a tensor of its shape.
     *
     * @param file a raw or gzip-compressed IDX file
     * @param normalizeUnsignedBytes if true, {@link IdxType#U8} values are divided by 255 into
     *     {@code [0, 1]}; other types are never scaled
     * @return the values as float32
     * @throws CorruptDataException if the file is not valid IDX
     * @throws IOException if the file cannot be read
     */
    public static Tensor read(Path file, boolean normalizeUnsignedBytes) throws IOException {
        return readTyped(file, normalizeUnsignedBytes).tensor();
    }

    /**
     * Reads an IDX file and reports the element type it declared.
     *
     * @param file a raw or gzip-compressed IDX file
     * @param normalizeUnsignedBytes if true, {@link IdxType#U8} values are divided by 255
     * @return the declared type and the values
     * @throws CorruptDataException if the file is not valid IDX
     * @throws IOException if the file cannot be read
     */
    public static IdxData readTyped(Path file, boolean normalizeUnsignedBytes) throws IOException {
        return readTyped(file, normalizeUnsignedBytes, Long.MAX_VALUE);
    }

    /**
     * Reads at most the first {@code maxRows} entries along the first dimension of an IDX file
     * (a quick run on part of a data set): only those are allocated and decoded, and the rest of
     * a compressed file is never inflated.
     *
     * @param file a raw or gzip-compressed IDX file
     * @param normalizeUnsignedBytes if true, {@link IdxType#U8} values are divided by 255
     * @param maxRows the most rows to read, >= 1 ({@code Long.MAX_VALUE} for all)
     * @return the declared type and the values, with a first dimension of at most {@code maxRows}
     * @throws CorruptDataException if the file is not valid IDX, is not a regular file, or its
     *     rows to read would not fit in the heap
     * @throws DataNotFoundException if the file does not exist
     * @throws IOException if the file cannot be read
     */
    public static IdxData readTyped(Path file, boolean normalizeUnsignedBytes, long maxRows) throws IOException {
        Objects.requireNonNull(file, "file");
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        long length = InputFiles.requireRegularFile(file, "IDX file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), normalizeUnsignedBytes, length, maxRows);
        }
    }

    /**
     * The first dimension an IDX file's header declares (its examples or labels), read without the
     * data: a part read with {@code maxRows} is checked against the other file's whole count.
     *
     * @param file a raw or gzip-compressed IDX file
     * @return the declared size of its first dimension
     * @throws CorruptDataException if the header is not valid IDX
     * @throws IOException if the file cannot be read
     */
    static long declaredRows(Path file) throws IOException {
        InputFiles.requireRegularFile(file, "IDX file");
        try (InputStream raw = Files.newInputStream(file); BufferedInputStream in = new BufferedInputStream(raw, 64)) {
            InputStream header = gzipped(in) ? new GZIPInputStream(in, 64) : in;
            byte[] start = header.readNBytes(8);
            if (start.length < 8 || start[0] != 0 || start[1] != 0 || (start[3] & 0xFF) == 0) {
                throw new CorruptDataException(file + ": not an IDX header (expected 0x0000TTDD and a first dimension)");
            }
            return ByteBuffer.wrap(start, 4, 4).order(ByteOrder.BIG_ENDIAN).getInt() & 0xFFFFFFFFL;
        } catch (ZipException | EOFException e) {
            throw new CorruptDataException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads IDX data from a stream (raw or gzip-compressed), for sources that are not files. The
     * stream is read to its end and not closed.
     *
     * @param in the bytes
     * @param source a name for the source, used in error messages
     * @param normalizeUnsignedBytes if true, {@link IdxType#U8} values are divided by 255
     * @return the declared type and the values
     * @throws CorruptDataException if the data is not valid IDX
     * @throws IOException if the stream fails
     */
    public static IdxData read(InputStream in, String source, boolean normalizeUnsignedBytes) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        return read(in, source, normalizeUnsignedBytes, -1, Long.MAX_VALUE);
    }

    /**
     * Reads a pair of IDX files, examples and labels, as a data set. Every dimension after the
     * first is flattened, so images {@code [n, 28, 28]} give features {@code [n, 784]}.
     *
     * @param examples the feature file, shape {@code [n, ...]}
     * @param labels the label file, shape {@code [n]}, non-negative integer class indices
     * @param normalizeUnsignedBytes if true, unsigned-byte features are scaled into {@code [0, 1]}
     * @param numClasses the number of classes, or 0 to use the largest label + 1
     * @return the data set
     * @throws CorruptDataException if a file is invalid, the counts differ, or a label is not a
     *     class index in range
     * @throws IOException if a file cannot be read
     */
    public static Dataset readDataset(Path examples, Path labels, boolean normalizeUnsignedBytes, int numClasses)
            throws IOException {
        if (numClasses < 0) throw new IllegalArgumentException("numClasses must be >= 0 (0 = infer), got " + numClasses);
        IdxData y = readTyped(labels, false);
        checkLabelFile(labels, y);
        return pair(examples, readTyped(examples, normalizeUnsignedBytes), labels, y, numClasses);
    }

    static void checkLabelFile(Path labels, IdxData y) throws CorruptDataException {
        if (y.tensor().rank() != 1) {
            throw new CorruptDataException(labels + ": a label file must have 1 dimension, found shape "
                    + Arrays.toString(y.tensor().shape()));
        }
    }

    /** Joins examples and labels already read; see {@link #readDataset}. */
    static Dataset pair(Path examples, IdxData xs, Path labels, IdxData ys, int numClasses) throws CorruptDataException {
        checkLabelFile(labels, ys);
        Tensor x = xs.tensor();
        Tensor y = ys.tensor();
        if (x.dim(0) != y.dim(0)) throw countsDiffer(examples, x.dim(0), labels, y.dim(0));
        float[] yd = y.data();
        float max = -1;
        for (int i = 0; i < yd.length; i++) {
            float v = yd[i];
            // class indices must stay exact in float32 (below 2^24), as in CsvReader
            int limit = numClasses > 0 ? Math.min(numClasses, CsvReader.MAX_CLASSES) : CsvReader.MAX_CLASSES;
            if (!(v >= 0) || v != Math.rint(v) || v >= limit) {
                throw new CorruptDataException(labels + ": label " + i + " is " + v + ", expected a class index in [0, "
                        + limit + ")");
            }
            max = Math.max(max, v);
        }
        int k = numClasses > 0 ? numClasses : (int) max + 1;
        int n = x.dim(0);
        Tensor flat = x.reshape(n, Tensor.sizeOf(Arrays.copyOfRange(x.shape(), 1, x.rank())));
        return new Dataset(flat, y, Math.max(k, 1));
    }

    private static IdxData read(InputStream raw, String source, boolean normalize, long knownLength, long maxRows)
            throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, CHUNK);
        if (gzipped(in)) {
            try {
                return parse(new GZIPInputStream(in, CHUNK), source + " (gzip)", normalize, -1, maxRows);
            } catch (ZipException | EOFException e) {
                throw new CorruptDataException(source + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
            }
        }
        return parse(in, source, normalize, knownLength, maxRows);
    }

    /** @return whether the stream starts with gzip's magic bytes; it is left where it was */
    private static boolean gzipped(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    /** @return the refusal of an example file and a label file whose counts differ */
    static CorruptDataException countsDiffer(Path examples, long n, Path labels, long m) {
        return new CorruptDataException("example and label counts differ: " + examples + " has " + n + " examples but " + labels
                + " has " + m + " labels");
    }

    private static IdxData parse(InputStream in, String source, boolean normalize, long knownLength, long maxRows)
            throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new CorruptDataException(source + ": too short for an IDX header: expected a 4-byte magic number, found "
                    + magic.length + " bytes");
        }
        int code = magic[2] & 0xFF;
        int rank = magic[3] & 0xFF;
        if (magic[0] != 0 || magic[1] != 0) {
            throw new CorruptDataException(source + ": bad magic number 0x" + hex(magic)
                    + ", expected 0x0000TTDD (IDX: two zero bytes, type code, dimension count)");
        }
        IdxType type = IdxType.ofCode(code);
        if (type == null) {
            throw new CorruptDataException(source + ": unsupported IDX type code 0x" + String.format("%02X", code)
                    + ", expected one of 08 (u8), 09 (i8), 0B (i16), 0C (i32), 0D (f32), 0E (f64)");
        }
        if (rank == 0) {
            throw new CorruptDataException(source + ": IDX header declares 0 dimensions, expected at least 1");
        }
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw new CorruptDataException(source + ": truncated header: " + rank + " dimensions need " + (4 * rank)
                    + " bytes of sizes, found " + dimBytes.length);
        }
        ByteBuffer dims = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
        int[] shape = new int[rank];
        long count = 1; // capped just above the limit, so the product never overflows
        double claimed = 1;
        for (int i = 0; i < rank; i++) {
            long d = dims.getInt() & 0xFFFFFFFFL;
            if (d > Integer.MAX_VALUE) {
                throw new CorruptDataException(source + ": dimension " + i + " is " + d + ", more than " + Integer.MAX_VALUE);
            }
            shape[i] = (int) d;
            count = Math.min(count * d, MAX_ELEMENTS + 1);
            claimed *= d;
        }
        if (count > MAX_ELEMENTS) {
            throw new CorruptDataException(source + ": header declares shape " + Arrays.toString(shape) + " ("
                    + String.format(java.util.Locale.ROOT, "%.4g", claimed) + " elements), more than the limit of " + MAX_ELEMENTS + " elements");
        }
        long dataBytes = count * type.bytes();
        if (knownLength >= 0) {
            long found = knownLength - 4L - 4L * rank;
            if (found != dataBytes) {
                throw new CorruptDataException(source + ": " + (found < dataBytes ? "truncated" : "trailing data")
                        + ": header declares " + type + " shape " + Arrays.toString(shape) + " = " + dataBytes
                        + " data bytes, but the file has " + found);
            }
        }
        int[] readShape = shape.clone();
        long readCount = count;
        if (maxRows < shape[0]) {
            readShape[0] = (int) maxRows;
            readCount = count / shape[0] * maxRows;
        }
        boolean lengthChecked = knownLength >= 0;
        double peakBytes = (double) Float.BYTES * (lengthChecked ? readCount : growthPeak(readCount));
        if (!MemoryBudget.fits((long) peakBytes)) {
            throw new CorruptDataException(source + ": header declares " + type + " shape " + Arrays.toString(readShape)
                    + " to read, " + readCount + " values that need "
                    + (lengthChecked ? "" : "(decompressed into storage that grows, the old array beside the new while copying) ")
                    + MemoryBudget.shortfall(peakBytes));
        }
        float[] values = readValues(in, source, type, (int) readCount, readShape, shape, lengthChecked, normalize);
        if (readCount < count) return new IdxData(type, Tensor.wrap(values, readShape));
        if (in.read() != -1) {
            throw new CorruptDataException(source + ": trailing data after the " + dataBytes
                    + " data bytes declared by " + type + " shape " + Arrays.toString(shape));
        }
        return new IdxData(type, Tensor.wrap(values, shape));
    }

    private static float[] readValues(InputStream in, String source, IdxType type, int count, int[] readShape, int[] shape,
            boolean lengthChecked, boolean normalize) throws IOException {
        // A checked length means the bytes are there; otherwise grow with what actually arrives.
        float[] out = new float[lengthChecked ? count : Math.min(count, INITIAL_CAPACITY)];
        int elemBytes = type.bytes();
        byte[] chunk = new byte[CHUNK];
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN);
        float scale = normalize && type == IdxType.U8 ? 1f / 255f : 1f;
        int done = 0;
        while (done < count) {
            int want = (int) Math.min((long) (count - done) * elemBytes, CHUNK);
            int got = in.readNBytes(chunk, 0, want);
            int elems = got / elemBytes;
            if (done + elems > out.length) out = Arrays.copyOf(out, grownCapacity(out.length, done + elems, count));
            decode(type, chunk, buf, elems, scale, out, done);
            done += elems;
            if (got < want) {
                long expected = (long) count * elemBytes;
                long found = (long) done * elemBytes + got % elemBytes;
                String declared = readShape[0] == shape[0] ? "header declares " + type + " shape " + Arrays.toString(shape)
                        : "the first " + readShape[0] + " rows of the " + type + " shape " + Arrays.toString(shape) + " the header declares are";
                throw new CorruptDataException(source + ": truncated: " + declared + " = " + expected + " data bytes, but the data ends after " + found);
            }
        }
        return out;
    }

    /**
     * The next capacity of storage that holds {@code length} values and must take {@code needed}
     * of the {@code count} declared: doubled, but all {@code count} at once when that would reach a
     * quarter of them. More than {@code length ≥ count/8} values have then arrived, so the storage
     * never exceeds eight times the values actually present, and a file that holds what it
     * declares is copied a few times while small instead of once per doubling up to its full size
     * (on a fresh heap every copy is memory the process touches for the first time). While the
     * values are copied the old array lives beside the new one: at most {@link #growthPeak} values
     * in all, which the memory check before reading accounts for.
     */
    static int grownCapacity(int length, int needed, int count) {
        long next = Math.max(needed, 2L * length);
        return (int) (4 * next >= count ? count : next);
    }

    /**
     * @param count values declared
     * @return the most values growing storage for them holds at once (old and new array while
     *     copying): {@code count} plus the storage before the jump to it, under a quarter of
     *     {@code count} or the initial capacity
     */
    static long growthPeak(long count) {
        return count + Math.min(count, Math.max(count / 4, INITIAL_CAPACITY));
    }

    /** One tight loop per type (a switch per element keeps a cold JIT slow on 47 MB of pixels). */
    private static void decode(IdxType type, byte[] chunk, ByteBuffer buf, int elems, float scale, float[] out, int at) {
        buf.clear().limit(elems * type.bytes());
        switch (type) {
            case U8 -> {
                for (int i = 0; i < elems; i++) out[at + i] = (chunk[i] & 0xFF) * scale;
            }
            case I8 -> {
                for (int i = 0; i < elems; i++) out[at + i] = chunk[i];
            }
            case I16 -> {
                var v = buf.asShortBuffer();
                for (int i = 0; i < elems; i++) out[at + i] = v.get(i);
            }
            case I32 -> {
                var v = buf.asIntBuffer();
                for (int i = 0; i < elems; i++) out[at + i] = v.get(i);
            }
            case F32 -> buf.asFloatBuffer().get(out, at, elems);
            case F64 -> {
                var v = buf.asDoubleBuffer();
                for (int i = 0; i < elems; i++) out[at + i] = (float) v.get(i);
            }
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02X", x & 0xFF));
        return s.toString();
    }
}
