package dev.regula.core.train.callbacks;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes scalar summaries in TensorBoard's event-file format, without TensorFlow or protobuf:
 * a file {@code events.out.tfevents.<seconds>.<host>} of records
 * {@code uint64 length, uint32 masked_crc32c(length), byte[length] data, uint32 masked_crc32c(data)}
 * (little-endian; mask(c) = ((c &gt;&gt;&gt; 15) | (c &lt;&lt; 17)) + 0xa282ead8), each data an
 * {@code Event} protobuf message: {@code wall_time} (field 1, double), {@code step} (2, int64) and
 * either {@code file_version} (3, "brain.Event:2", the first record) or {@code summary} (5) with
 * one {@code Summary.Value} (field 1) of {@code tag} (1, string) and {@code simple_value} (2, float).
 * TensorBoard reads such files from the directory given to {@code --logdir}.
 *
 * <p>Each scalar is written and flushed at once, so TensorBoard shows a running fit. Not
 * thread-safe.
 */
public final class TensorBoardWriter implements Closeable {
    private static final String FILE_VERSION = "brain.Event:2";
    private final Path file;
    private final OutputStream out;

    /**
     * Creates a new event file in {@code directory} (made if missing) and writes its version record.
     *
     * @param directory the log directory
     * @throws IOException if the file cannot be created
     */
    public TensorBoardWriter(Path directory) throws IOException {
        Files.createDirectories(directory);
        long seconds = System.currentTimeMillis() / 1000;
        String host = "regula";
        Path f = directory.resolve("events.out.tfevents." + seconds + "." + host);
        for (int i = 1; Files.exists(f); i++) f = directory.resolve("events.out.tfevents." + seconds + "." + host + "." + i);
        this.file = f;
        this.out = Files.newOutputStream(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Proto e = new Proto();
        e.fixed64(1, Double.doubleToRawLongBits(System.currentTimeMillis() / 1000.0));
        e.bytes(3, FILE_VERSION.getBytes(StandardCharsets.UTF_8));
        record(e.toByteArray());
    }

    /** @return the event file */
    public Path file() {
        return file;
    }

    /**
     * Writes one scalar.
     *
     * @param tag the series name, e.g. {@code loss/train}
     * @param step the x value (the optimizer step)
     * @param value the y value (stored as float, as TensorBoard does)
     * @throws IOException if writing fails
     */
    public void scalar(String tag, long step, double value) throws IOException {
        Objects.requireNonNull(tag, "tag");
        Proto v = new Proto();
        v.bytes(1, tag.getBytes(StandardCharsets.UTF_8));
        v.fixed32(2, Float.floatToRawIntBits((float) value));
        Proto summary = new Proto();
        summary.bytes(1, v.toByteArray());
        Proto e = new Proto();
        e.fixed64(1, Double.doubleToRawLongBits(System.currentTimeMillis() / 1000.0));
        e.varint(2, step);
        e.bytes(5, summary.toByteArray());
        record(e.toByteArray());
    }

    private void record(byte[] data) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(data.length);
        head.putInt(maskedCrc(head.array(), 0, 8));
        out.write(head.array());
        out.write(data);
        ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        tail.putInt(maskedCrc(data, 0, data.length));
        out.write(tail.array());
        out.flush();
    }

    /**
     * @param b bytes
     * @param off first byte
     * @param len number of bytes
     * @return the masked CRC32C of TFRecord files
     */
    static int maskedCrc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** The few protobuf wire-format encodings an Event needs. */
    private static final class Proto {
        private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();

        void varint(int field, long v) {
            rawVarint((long) field << 3);
            rawVarint(v);
        }

        void fixed64(int field, long bits) {
            rawVarint(((long) field << 3) | 1);
            for (int i = 0; i < 8; i++) buf.write((int) (bits >>> (8 * i)));
        }

        void fixed32(int field, int bits) {
            rawVarint(((long) field << 3) | 5);
            for (int i = 0; i < 4; i++) buf.write(bits >>> (8 * i));
        }

        void bytes(int field, byte[] b) {
            rawVarint(((long) field << 3) | 2);
            rawVarint(b.length);
            buf.writeBytes(b);
        }

        private void rawVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                buf.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            buf.write((int) v);
        }

        byte[] toByteArray() {
            return buf.toByteArray();
        }
    }
}
