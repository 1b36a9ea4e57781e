package dev.regula.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {
    private IdxFiles() {}

    /** @return the IDX bytes of {@code values} (row-major) with the given type and shape */
    static byte[] bytes(IdxType type, int[] shape, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + values.length * type.bytes()).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0).put((byte) 0).put((byte) type.code()).put((byte) shape.length);
        for (int d : shape) b.putInt(d);
        for (double v : values) {
            switch (type) {
                case U8, I8 -> b.put((byte) (int) v);
                case I16 -> b.putShort((short) v);
                case I32 -> b.putInt((int) v);
                case F32 -> b.putFloat((float) v);
                case F64 -> b.putDouble(v);
            }
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, IdxType type, int[] shape, double[] values, boolean gzip) {
        byte[] raw = bytes(type, shape, values);
        return write(file, gzip ? gzip(raw) : raw);
    }

    /** Header only: magic and dimensions, no data. */
    static byte[] header(int typeCode, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) shape.length);
        for (int d : shape) b.putInt(d);
        return b.array();
    }
}
