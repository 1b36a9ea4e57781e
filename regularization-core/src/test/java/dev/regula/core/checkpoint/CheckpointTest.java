package dev.regula.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.CorruptDataException;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    private static List<Parameter> model(float fill) {
        return List.of(
                new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.zeros(3, 2).fill(fill)),
                new Parameter("dense1", "bias", ParameterRole.BIAS, Tensor.zeros(3).fill(fill + 1)),
                new Parameter("out", "weight", ParameterRole.WEIGHT, Tensor.zeros(1, 3).fill(fill + 2)));
    }

    @Test
    void saveLoadRestoreRoundTripKeepsExtraStateAndMetadataApart() throws Exception {
        Path f = dir.resolve("c.safetensors");
        Map<String, Tensor> extra = Map.of("adam.m.dense1.weight", Tensor.zeros(3, 2).fill(0.5f));
        Checkpoint.save(f, model(1), extra, Map.of("epoch", "3"));
        Checkpoint c = Checkpoint.load(f);
        assertEquals(List.of("dense1.bias", "dense1.weight", "out.weight"), List.copyOf(c.parameters().keySet()));
        assertEquals(extra.keySet(), c.extraState().keySet());
        assertArrayEquals(extra.get("adam.m.dense1.weight").data(), c.extraState().get("adam.m.dense1.weight").data());
        assertEquals(Map.of("epoch", "3"), c.metadata());
        List<Parameter> fresh = model(0);
        c.restoreInto(fresh);
        assertArrayEquals(model(1).get(0).value().data(), fresh.get(0).value().data());
        assertArrayEquals(model(1).get(1).value().data(), fresh.get(1).value().data());
        assertArrayEquals(model(1).get(2).value().data(), fresh.get(2).value().data());
    }

    @Test
    void plainSafetensorsFileLoadsAsParameters() throws Exception {
        Path f = dir.resolve("torch.safetensors");
        Safetensors.write(f, Map.of("dense1.weight", Tensor.zeros(3, 2), "dense1.bias", Tensor.zeros(3),
                "out.weight", Tensor.zeros(1, 3)), Map.of("format", "pt"));
        Checkpoint c = Checkpoint.load(f);
        assertEquals(3, c.parameters().size());
        assertTrue(c.extraState().isEmpty());
        c.restoreInto(model(5));
    }

    @Test
    void missingAndUnexpectedNamesAreListedAndNothingIsChanged() throws Exception {
        Path f = dir.resolve("c.safetensors");
        List<Parameter> saved = List.of(model(1).get(0), model(1).get(1),
                new Parameter("old", "weight", ParameterRole.WEIGHT, Tensor.zeros(2)));
        Checkpoint.save(f, saved, Map.of(), Map.of());
        List<Parameter> target = model(0);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Checkpoint.load(f).restoreInto(target));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("missing from the checkpoint (1 name out.weight)"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected in the checkpoint (not in the model) (1 name old.weight)"),
                e.getMessage());
        assertEquals(0f, target.get(0).value().get(0), "all-or-nothing: nothing was restored");
    }

    @Test
    void shapeMismatchIsListedAndNothingIsChanged() throws Exception {
        Path f = dir.resolve("c.safetensors");
        List<Parameter> saved = List.of(model(1).get(0),
                new Parameter("dense1", "bias", ParameterRole.BIAS, Tensor.zeros(4)), model(1).get(2));
        Checkpoint.save(f, saved, Map.of(), Map.of());
        List<Parameter> target = model(0);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> Checkpoint.load(f).restoreInto(target));
        assertTrue(e.getMessage().contains("dense1.bias: checkpoint [4] vs model [3]"), e.getMessage());
        assertEquals(0f, target.get(0).value().get(0));
    }

    @Test
    void namesMustBeUniqueAndReservedMetadataIsRefused() {
        Path f = dir.resolve("c.safetensors");
        List<Parameter> dup = List.of(model(1).get(0), model(2).get(0));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(f, dup, Map.of(), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(f, model(1), Map.of("out.weight", Tensor.zeros(1)), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(f, model(1), Map.of(), Map.of(Checkpoint.EXTRA_STATE_KEY, "[]")));
        assertTrue(Files.notExists(f));
    }

    @Test
    void extraStateListNamingAbsentTensorIsCorrupt() throws Exception {
        Path f = dir.resolve("c.safetensors");
        Safetensors.write(f, Map.of("a", Tensor.zeros(1)), Map.of(Checkpoint.EXTRA_STATE_KEY, "[\"b\"]"));
        assertTrue(assertThrows(CorruptDataException.class, () -> Checkpoint.load(f)).getMessage().contains("lists b"));
    }

    /** A NaN or infinite value, or a format of another version, is a corrupt checkpoint naming the tensor or the key. */
    @Test
    void aValueNotFiniteOrAnotherFormatIsCorrupt() throws Exception {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Path f = dir.resolve("nan" + bad + ".safetensors");
            Tensor w = Tensor.zeros(3);
            w.data()[2] = bad;
            Safetensors.write(f, Map.of("out.weight", w), Map.of());
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> Checkpoint.load(f));
            assertTrue(e.getMessage().contains("tensor out.weight holds " + bad + " at element 2"), e.getMessage());
        }
        Path f = dir.resolve("future.safetensors");
        Safetensors.write(f, Map.of("a", Tensor.zeros(1)), Map.of(Checkpoint.FORMAT_KEY, "regula-checkpoint-99"));
        assertTrue(assertThrows(CorruptDataException.class, () -> Checkpoint.load(f)).getMessage()
                .contains("regula.format='regula-checkpoint-99' is not a format this version reads"));
    }

    /** A file the user may not read is a data error naming it (as root every file is readable: skipped). */
    @Test
    void anUnreadableFileIsCorruptNamingThePermission() throws Exception {
        Path f = dir.resolve("locked.safetensors");
        Safetensors.write(f, Map.of("a", Tensor.zeros(1)), Map.of());
        Files.setPosixFilePermissions(f, java.util.Set.of());
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(f), "running as root: every file is readable");
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().contains("cannot be read: permission denied"), e.getMessage());
    }
}
