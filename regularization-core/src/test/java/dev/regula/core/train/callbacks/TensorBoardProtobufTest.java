package dev.regula.core.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.regula.core.train.Trainer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decodes the event files of {@link TensorBoardWriter} with protobuf's own parser (protobuf-java,
 * a test dependency only), against TensorBoard's {@code Event} and {@code Summary} schema built
 * here field for field from {@code tensorboard/compat/proto/event.proto} and {@code summary.proto},
 * and checks the TFRecord framing with a CRC-32C written bit by bit from its definition, not the
 * JDK's. Together with {@link TensorBoardWriterTest} (a hand decoder) it shows the files are what
 * TensorBoard reads, without TensorBoard on the machine.
 */
class TensorBoardProtobufTest {
    private static final Descriptor EVENT;
    private static final Descriptor SUMMARY_VALUE;

    static {
        try {
            FileDescriptor file = FileDescriptor.buildFrom(schema(), new FileDescriptor[0]);
            EVENT = file.findMessageTypeByName("Event");
            SUMMARY_VALUE = file.findMessageTypeByName("Summary").findNestedTypeByName("Value");
        } catch (DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).build();
    }

    private static FieldDescriptorProto message(String name, int number, String typeName, boolean repeated) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
                .setTypeName(typeName).setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED : FieldDescriptorProto.Label.LABEL_OPTIONAL)
                .build();
    }

    private static FieldDescriptorProto inOneof(FieldDescriptorProto f) {
        return f.toBuilder().setOneofIndex(0).build();
    }

    /** TensorBoard's schema, the fields a scalar event file can hold (others are left out: unknown fields are then refused). */
    private static FileDescriptorProto schema() {
        DescriptorProto value = DescriptorProto.newBuilder().setName("Value")
                .addField(field("node_name", 7, FieldDescriptorProto.Type.TYPE_STRING))
                .addField(field("tag", 1, FieldDescriptorProto.Type.TYPE_STRING))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("value"))
                .addField(inOneof(field("simple_value", 2, FieldDescriptorProto.Type.TYPE_FLOAT)))
                .addField(inOneof(field("obsolete_old_style_histogram", 3, FieldDescriptorProto.Type.TYPE_BYTES)))
                .build();
        DescriptorProto summary = DescriptorProto.newBuilder().setName("Summary").addNestedType(value)
                .addField(message("value", 1, ".tensorboard.Summary.Value", true)).build();
        DescriptorProto event = DescriptorProto.newBuilder().setName("Event")
                .addField(field("wall_time", 1, FieldDescriptorProto.Type.TYPE_DOUBLE))
                .addField(field("step", 2, FieldDescriptorProto.Type.TYPE_INT64))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("what"))
                .addField(inOneof(field("file_version", 3, FieldDescriptorProto.Type.TYPE_STRING)))
                .addField(inOneof(field("graph_def", 4, FieldDescriptorProto.Type.TYPE_BYTES)))
                .addField(inOneof(message("summary", 5, ".tensorboard.Summary", false)))
                .build();
        return FileDescriptorProto.newBuilder().setName("tensorboard/event.proto").setPackage("tensorboard").setSyntax("proto3")
                .addMessageType(summary).addMessageType(event).build();
    }

    /** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit from the definition. */
    static int crc32c(byte[] b, int off, int len) {
        int crc = ~0;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
        }
        return ~crc;
    }

    /** TFRecord's mask: rotate right by 15, add 0xa282ead8. */
    static int masked(int crc) {
        return Integer.rotateRight(crc, 15) + 0xa282ead8;
    }

    /** Splits the file into records, checking the length's and the data's masked CRC of each. */
    static List<byte[]> records(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 12) throw new IllegalStateException("a truncated record header at byte " + b.position());
            int at = b.position();
            long length = b.getLong();
            int lengthCrc = b.getInt();
            if (lengthCrc != masked(crc32c(file, at, 8))) throw new IllegalStateException("bad length CRC at byte " + at);
            if (length < 0 || length > b.remaining() - 4) throw new IllegalStateException("a truncated record at byte " + at);
            byte[] data = new byte[(int) length];
            b.get(data);
            if (b.getInt() != masked(crc32c(data, 0, data.length))) throw new IllegalStateException("bad data CRC at byte " + at);
            out.add(data);
        }
        return out;
    }

    /** Parses an Event strictly: a field the schema does not know fails, at any depth. */
    static DynamicMessage event(byte[] data) throws InvalidProtocolBufferException {
        DynamicMessage e = DynamicMessage.parseFrom(EVENT, data);
        assertTrue(e.isInitialized());
        assertKnownFieldsOnly(e);
        return e;
    }

    private static void assertKnownFieldsOnly(Message m) {
        assertTrue(m.getUnknownFields().asMap().isEmpty(), "unknown fields " + m.getUnknownFields().asMap().keySet()
                + " in " + m.getDescriptorForType().getFullName());
        for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
            if (f.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) continue;
            if (f.getKey().isRepeated()) for (Object o : (List<?>) f.getValue()) assertKnownFieldsOnly((Message) o);
            else assertKnownFieldsOnly((Message) f.getValue());
        }
    }

    private static Object get(Message m, String field) {
        return m.getField(m.getDescriptorForType().findFieldByName(field));
    }

    /** The summary's single value of a scalar event. */
    private static Message value(DynamicMessage event) {
        Message summary = (Message) get(event, "summary");
        FieldDescriptor values = summary.getDescriptorForType().findFieldByName("value");
        assertEquals(1, summary.getRepeatedFieldCount(values), "one value per scalar event");
        Message v = (Message) summary.getRepeatedField(values, 0);
        assertEquals(SUMMARY_VALUE, v.getDescriptorForType());
        return v;
    }

    @Test
    void theBitwiseCrcIsCastagnolis() {
        assertEquals(0xE3069283, crc32c("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9), "the CRC-32C check value");
    }

    @Test
    void protobufDecodesEveryRecordWithItsTagStepAndValue(@TempDir Path dir) throws IOException {
        Path file;
        double before = System.currentTimeMillis() / 1000.0;
        try (TensorBoardWriter w = new TensorBoardWriter(dir)) {
            w.scalar("loss/train", 1, 0.75);
            w.scalar("penalty/l2(λ=1e-4)", 300, -0.125);
            w.scalar("lr", (1L << 40) + 3, 1e-4);
            w.scalar("val_loss", 7, Double.NaN);
            file = w.file();
        }
        List<byte[]> records = records(Files.readAllBytes(file));
        assertEquals(5, records.size());

        DynamicMessage version = event(records.get(0));
        assertEquals("brain.Event:2", get(version, "file_version"));
        assertEquals("file_version", version.getOneofFieldDescriptor(EVENT.getOneofs().get(0)).getName());
        double wall = (Double) get(version, "wall_time");
        assertTrue(wall >= before - 1 && wall <= System.currentTimeMillis() / 1000.0 + 1, "wall time in seconds: " + wall);

        String[] tags = {"loss/train", "penalty/l2(λ=1e-4)", "lr", "val_loss"};
        long[] steps = {1, 300, (1L << 40) + 3, 7};
        float[] values = {0.75f, -0.125f, 1e-4f, Float.NaN};
        for (int i = 0; i < tags.length; i++) {
            DynamicMessage e = event(records.get(i + 1));
            assertEquals("summary", e.getOneofFieldDescriptor(EVENT.getOneofs().get(0)).getName(), "record " + (i + 1));
            assertEquals(steps[i], (Long) get(e, "step"));
            Message v = value(e);
            assertEquals(tags[i], get(v, "tag"));
            assertEquals(Float.floatToIntBits(values[i]), Float.floatToIntBits((Float) get(v, "simple_value")), tags[i]);
        }
    }

    @Test
    void aFlippedBitFailsTheCrcCheck(@TempDir Path dir) throws IOException {
        Path file;
        try (TensorBoardWriter w = new TensorBoardWriter(dir)) {
            w.scalar("loss", 1, 0.5);
            file = w.file();
        }
        byte[] good = Files.readAllBytes(file);
        assertEquals(2, records(good).size());
        for (int at : new int[] {0, 13, good.length - 1}) { // a length, a data byte, a data CRC
            byte[] bad = good.clone();
            bad[at] ^= 0x10;
            assertThrows(IllegalStateException.class, () -> records(bad), "byte " + at);
        }
    }

    @Test
    void theLoggersScalarsOfAFitAreProtobufEvents(@TempDir Path dir) throws IOException {
        TensorBoardLogger logger = new TensorBoardLogger(dir, 2);
        Trainer t = new Trainer(CallbacksTest.mlp(), CallbacksTest.config().epochs(2).callback(logger).build());
        t.fit(CallbacksTest.blobs(40, 1), CallbacksTest.blobs(12, 2));
        List<byte[]> records = records(Files.readAllBytes(logger.file()));
        List<String> tags = new ArrayList<>();
        long lastEpochStep = -1;
        for (byte[] r : records.subList(1, records.size())) {
            DynamicMessage e = event(r);
            String tag = (String) get(value(e), "tag");
            tags.add(tag);
            if (tag.equals("epoch/val_accuracy")) lastEpochStep = (Long) get(e, "step");
            if (tag.equals("batch/loss")) assertEquals(0, (Long) get(e, "step") % 2, "every 2nd batch");
        }
        assertTrue(tags.contains("batch/loss") && tags.contains("batch/grad_norm"), tags.toString());
        assertTrue(tags.contains("epoch/loss") && tags.contains("epoch/val_loss") && tags.contains("epoch/lr"), tags.toString());
        assertTrue(tags.stream().anyMatch(s -> s.startsWith("epoch/penalty/l2(")), tags.toString());
        assertEquals(t.step(), lastEpochStep, "epoch scalars at the optimizer step");
        assertFalse(tags.contains("epoch/epoch"), "the x axis is the step, not a scalar");
    }
}
