package dev.regula.examples.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.CorruptDataException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressedFileTest {
    @TempDir
    Path dir;

    private static CompressedFile.Quantised quantised(Random rnd, int rows, int cols, int k, double keep) {
        int[] a = new int[rows * cols];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextDouble() < keep ? 1 + rnd.nextInt(k - 1) : 0;
        float[] book = new float[k];
        for (int j = 1; j < k; j++) book[j] = (float) rnd.nextGaussian();
        return new CompressedFile.Quantised(SparseCode.encode(a, k), book, new int[] {rows, cols});
    }

    @Test
    void readsBackTheDenseWeightsAndBiasesAndTakesTheCountedBytes() throws IOException {
        Random rnd = new Random(11);
        Map<String, CompressedFile.Quantised> w = Map.of("dense1.weight", quantised(rnd, 30, 70, 16, 0.05),
                "dense2.weight", quantised(rnd, 10, 30, 5, 0.3), "empty.weight", quantised(rnd, 0, 4, 2, 0.5));
        Map<String, Tensor> dense = Map.of("dense1.bias", Tensor.of(new float[] {1, -2, 3}, 3));
        Path f = dir.resolve("c.safetensors");
        long bytes = CompressedFile.write(f, w, dense, Map.of("note", "x"));
        assertEquals(Files.size(f), bytes);
        Map<String, Tensor> back = CompressedFile.read(f);
        assertEquals(4, back.size());
        for (var e : w.entrySet()) {
            assertArrayEquals(e.getValue().code().decode(e.getValue().codebook()), back.get(e.getKey()).data(), e.getKey());
            assertArrayEquals(e.getValue().shape(), back.get(e.getKey()).shape(), e.getKey());
        }
        assertArrayEquals(new float[] {1, -2, 3}, back.get("dense1.bias").data());
        long packed = 0;
        for (var q : w.values()) packed += (q.code().bits() + 7) / 8 + 4L * q.codebook().length;
        long header = java.nio.ByteBuffer.wrap(Files.readAllBytes(f)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(8 + header + packed + 3 * 4, bytes, "the data are the packed entries, the codebooks and the biases, nothing more");
    }

    @Test
    void aFileWithoutItsMetadataOrOfAnotherFormatIsCorrupt() throws IOException {
        Random rnd = new Random(5);
        Path f = dir.resolve("c.safetensors");
        CompressedFile.write(f, Map.of("w", quantised(rnd, 8, 8, 4, 0.5)), Map.of(), Map.of());
        Safetensors.Contents c = Safetensors.read(f);
        Map<String, String> meta = new HashMap<>(c.metadata());
        meta.remove("w.index_bits");
        Path bad = dir.resolve("bad.safetensors");
        Safetensors.write(bad, c.tensors(), Map.of(), Map.of("w.entries", "U8"), meta);
        var e = assertThrows(CorruptDataException.class, () -> CompressedFile.read(bad));
        assertTrue(e.getMessage().contains("metadata w.index_bits is missing"), e.getMessage());
        meta = new HashMap<>(c.metadata());
        meta.put("w.entries", "1000");
        Safetensors.write(bad, c.tensors(), Map.of(), Map.of("w.entries", "U8"), meta);
        e = assertThrows(CorruptDataException.class, () -> CompressedFile.read(bad));
        assertTrue(e.getMessage().contains("w: 1000 entries"), e.getMessage());
        Safetensors.write(bad, Map.of("x", Tensor.of(new float[] {1}, 1)), Map.of());
        e = assertThrows(CorruptDataException.class, () -> CompressedFile.read(bad));
        assertTrue(e.getMessage().contains("not a compressed model"), e.getMessage());
    }
}
