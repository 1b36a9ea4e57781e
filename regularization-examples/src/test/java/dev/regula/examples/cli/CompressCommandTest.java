package dev.regula.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.examples.TinyData;
import dev.regula.core.checkpoint.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressCommandTest {
    @TempDir
    Path dir;

    private Path blobs() throws IOException {
        Path f = dir.resolve("blobs.csv");
        Files.writeString(f, TinyData.blobsCsv(300, 1));
        return f;
    }

    @Test
    void pretrainsRetrainsQuantisesAndWritesTheModelAndTheHistogram() throws IOException {
        Path out = dir.resolve("c");
        RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--model", "mlp(hidden=16)",
                "--epochs", "5", "--retrain-epochs", "3", "--batch", "16", "--threads", "1", "--progress", "none",
                "--prior", "soft-weight-sharing(lambda=1e-3, components=4, pi0=0.9)", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*test accuracy: pretrained [0-9.]+, retrained [0-9.]+, quantised and pruned [0-9.]+.*"), r.out());
        assertTrue(r.out().matches("(?s).*compression [0-9.]+x.*"), r.out());
        var compressed = Safetensors.read(out.resolve("compressed.safetensors"));
        assertTrue(compressed.tensors().containsKey("codebook"), compressed.tensors().keySet().toString());
        assertEquals(4, compressed.tensors().get("codebook").data().length);
        assertEquals(0f, compressed.tensors().get("codebook").data()[0]);
        // the dense quantised weights take at most the codebook's values
        var codebook = java.util.Arrays.toString(compressed.tensors().get("codebook").data());
        for (float w : Checkpoint.load(out.resolve("quantized.safetensors")).parameters().get("dense1.weight").data()) {
            boolean found = false;
            for (float c : compressed.tensors().get("codebook").data()) found |= c == w;
            assertTrue(found, w + " is not in the codebook " + codebook);
        }
        var png = javax.imageio.ImageIO.read(out.resolve("histogram.png").toFile());
        assertEquals(1240, png.getWidth());
        assertTrue(Files.exists(out.resolve("pretrained.safetensors")));
    }

    @Test
    void aPriorThatIsNotSoftWeightSharingIsABadUsage() throws IOException {
        RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--prior", "l2(lambda=1e-3)",
                "--out", dir.resolve("x").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--prior must be a soft-weight-sharing(...) spec, got 'l2(lambda=1e-3)'"), r.err());
        r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--retrain-epochs", "0", "--out", dir.resolve("y").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--retrain-epochs must be >= 1, got 0"), r.err());
    }

    @Test
    void aMissingOrMismatchedPretrainedModelIsRefused() throws IOException {
        RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--pretrained",
                dir.resolve("none.safetensors").toString(), "--out", dir.resolve("z").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("none.safetensors: no such file"), r.err());
    }
}
