package dev.regula.core.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.core.train.Trainer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads event files back with a decoder written from the TFRecord framing and the protobuf wire
 * format (the Event schema: wall_time = 1 double, step = 2 int64, file_version = 3 string,
 * summary = 5 {value = 1 {tag = 1 string, simple_value = 2 float}}), checking both CRCs of every record.
 */
class TensorBoardWriterTest {
    /** A decoded Event: its fields by number, length-delimited ones as nested field maps or strings. */
    record Event(double wallTime, long step, String fileVersion, String tag, float value) {
    }

    static List<Event> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> out = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] len = new byte[8];
            b.get(len);
            int lenCrc = b.getInt();
            assertEquals(mask(crc(len)), lenCrc, "length CRC");
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            byte[] data = new byte[(int) n];
            b.get(data);
            assertEquals(mask(crc(data)), b.getInt(), "data CRC");
            out.add(event(data));
        }
        return out;
    }

    static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    static int mask(int c) {
        return (int) ((((c & 0xffffffffL) >>> 15 | (c & 0xffffffffL) << 17) + 0xa282ead8L) & 0xffffffffL);
    }

    static Event event(byte[] data) {
        Map<Integer, Object> f = fields(data);
        String tag = null;
        float value = Float.NaN;
        if (f.containsKey(5)) {
            Map<Integer, Object> summary = fields((byte[]) f.get(5));
            Map<Integer, Object> v = fields((byte[]) summary.get(1));
            tag = new String((byte[]) v.get(1), StandardCharsets.UTF_8);
            value = Float.intBitsToFloat((int) (long) (Long) v.get(2));
        }
        return new Event(Double.longBitsToDouble((Long) f.get(1)), f.containsKey(2) ? (Long) f.get(2) : 0,
                f.containsKey(3) ? new String((byte[]) f.get(3), StandardCharsets.UTF_8) : null, tag, value);
    }

    /** Protobuf wire format: key varint (field << 3 | wire type), then varint (0), fixed64 (1), bytes (2) or fixed32 (5). */
    static Map<Integer, Object> fields(byte[] d) {
        Map<Integer, Object> out = new LinkedHashMap<>();
        int[] pos = {0};
        while (pos[0] < d.length) {
            long key = varint(d, pos);
            int field = (int) (key >>> 3);
            switch ((int) (key & 7)) {
                case 0 -> out.put(field, varint(d, pos));
                case 1 -> {
                    long v = ByteBuffer.wrap(d, pos[0], 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    pos[0] += 8;
                    out.put(field, v);
                }
                case 2 -> {
                    int n = (int) varint(d, pos);
                    out.put(field, java.util.Arrays.copyOfRange(d, pos[0], pos[0] + n));
                    pos[0] += n;
                }
                case 5 -> {
                    long v = ByteBuffer.wrap(d, pos[0], 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
                    pos[0] += 4;
                    out.put(field, v);
                }
                default -> throw new AssertionError("wire type " + (key & 7));
            }
        }
        return out;
    }

    static long varint(byte[] d, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = d[pos[0]++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) return v;
        }
    }

    @Test
    void theCrcIsCastagnolisAndMasked() {
        assertEquals(0xE3069283, crc("123456789".getBytes(StandardCharsets.US_ASCII)), "CRC-32C check value");
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(mask(0xE3069283), TensorBoardWriter.maskedCrc(b, 0, b.length));
    }

    @Test
    void scalarsReadBackWithTheirTagStepAndValue(@TempDir Path dir) throws IOException {
        Path file;
        try (TensorBoardWriter w = new TensorBoardWriter(dir.resolve("logs"))) {
            w.scalar("loss/train", 1, 0.75);
            w.scalar("loss/train", 300, 0.125);
            w.scalar("lr", 1L << 40, 1e-4);
            file = w.file();
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
        List<Event> events = read(file);
        assertEquals(4, events.size());
        assertEquals("brain.Event:2", events.get(0).fileVersion());
        assertEquals(new Event(events.get(1).wallTime(), 1, null, "loss/train", 0.75f), events.get(1));
        assertEquals(300, events.get(2).step());
        assertEquals(0.125f, events.get(2).value());
        assertEquals(1L << 40, events.get(3).step());
        assertEquals(1e-4f, events.get(3).value());
        assertTrue(Math.abs(events.get(1).wallTime() - System.currentTimeMillis() / 1000.0) < 600, "wall time in seconds");
    }

    @Test
    void theLoggerWritesEpochAndBatchScalarsOfAFit(@TempDir Path dir) throws IOException {
        TensorBoardLogger logger = new TensorBoardLogger(dir, 2);
        new Trainer(CallbacksTest.mlp(), CallbacksTest.config().callback(logger).build())
                .fit(CallbacksTest.blobs(40, 1), CallbacksTest.blobs(12, 2));
        List<Event> events = read(logger.file());
        List<String> tags = events.stream().map(Event::tag).toList();
        assertEquals(3, tags.stream().filter("batch/loss"::equals).count(), tags.toString()); // steps 2, 4, 6
        assertEquals(2, tags.stream().filter("epoch/val_loss"::equals).count());
        assertTrue(tags.contains("epoch/grad_norm") && tags.contains("epoch/penalty/l2(lambda=1e-3, on=weights)"), tags.toString());
        Event last = events.get(events.size() - 1);
        assertEquals(6, last.step());
    }
}
