package dev.regula.kill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.examples.cli.RegulaCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills real child JVMs with {@link Process#destroyForcibly()} (SIGKILL on Linux) at random
 * moments while they write checkpoints, and checks what is left on disk.
 */
class CheckpointKillTest {
    private static final int KILLS = 20;
    /** The file name {@code regula train} saves its per-epoch checkpoint to. */
    private static final String CHECKPOINT = "checkpoint.safetensors";

    @TempDir
    Path dir;

    private static Process start(Path log, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-Xmx256m", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (log != null) b.redirectOutput(log.toFile());
        return b.start();
    }

    private static void awaitLine(Process p, String line) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String l; (l = r.readLine()) != null; ) {
            if (l.equals(line)) return;
        }
        throw new AssertionError("child ended (exit " + p.exitValue() + ") before printing " + line);
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child did not die");
    }

    @Test
    void killedDuringSavesLeavesEitherNoFileOrOneCompleteVersion() throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        SplittableRandom random = new SplittableRandom(20261123);
        long firstVersion = 1;
        long lastSeen = 0;
        int complete = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = start(null, CheckpointWriterMain.class, file.toString(), Long.toString(firstVersion));
            awaitLine(child, "ready");
            Thread.sleep(random.nextInt(5, 400));
            kill(child);
            if (Files.exists(file)) {
                Checkpoint c = Checkpoint.load(file); // throws if torn or mixed
                long v = Long.parseLong(c.metadata().get("version"));
                assertTrue(v >= lastSeen && v >= 1, "version went back: " + v + " after " + lastSeen);
                Tensor w = c.parameters().get("dense.weight");
                Tensor m = c.extraState().get("adam.m.dense.weight");
                assertEquals(CheckpointWriterMain.SIZE, w.size());
                assertEquals(CheckpointWriterMain.SIZE, m.size());
                float[] expected = new float[CheckpointWriterMain.SIZE];
                java.util.Arrays.fill(expected, v);
                assertArrayEquals(expected, w.data(), "kill " + kill + ": parameter of version " + v + " is not all " + v);
                assertArrayEquals(expected, m.data(), "kill " + kill + ": extra state of version " + v + " is not all " + v);
                lastSeen = v;
                firstVersion = v + 1000; // the next child writes new numbers, so versions never repeat
                complete++;
            }
            // abandoned temporary files are cleaned by the next save: never more than the kills
            // since the last successful save, and in practice at most one
            try (Stream<Path> files = Files.list(dir)) {
                long temporaries = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
                assertTrue(temporaries <= 1, "kill " + kill + ": " + temporaries + " temporary files left");
            }
        }
        assertTrue(complete >= KILLS / 2, "too few kills after a completed save to mean anything: " + complete);
    }

    @Test
    void trainingKilledMidRunResumesToTheSameParametersAsAnUninterruptedRun() throws Exception {
        Path csv = dir.resolve("blobs.csv");
        StringBuilder text = new StringBuilder("x,y,label\n");
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 2000; i++) {
            int label = i % 3;
            text.append(label * 2 + r.nextGaussian() * 0.7).append(',').append(-label + r.nextGaussian() * 0.7).append(',')
                    .append(label).append('\n');
        }
        Files.writeString(csv, text);
        int epochs = 30;
        List<String> common = List.of("train", "--csv", csv.toString(), "--model", "mlp(hidden=16x16)", "--reg", "dropout(p=0.2)",
                "--reg", "l2(lambda=1e-4)", "--optimizer", "adam(lr=0.01)", "--batch", "8", "--threads", "1", "--seed", "7",
                "--epochs", Integer.toString(epochs));
        Path whole = dir.resolve("whole");
        Path killed = dir.resolve("killed");
        assertEquals(0, RegulaCommand.execute(concat(common, "--out", whole.toString())));

        SplittableRandom random = new SplittableRandom(99);
        Path metrics = killed.resolve("metrics.jsonl");
        int kills = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            String[] args = attempt == 0 ? concat(common, "--out", killed.toString())
                    : concat(common, "--out", killed.toString(), "--resume");
            Process child = start(dir.resolve("child" + attempt + ".log"), RegulaCommand.class, args);
            // wait for a few more epochs to finish, then kill at a random moment inside the next ones
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int before = lines(metrics);
            while (lines(metrics) < before + 2 && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
            Thread.sleep(random.nextInt(0, 40));
            if (!child.isAlive()) break;
            kill(child);
            kills++;
        }
        assertTrue(kills >= 1, "the child finished before it could be killed; make the run longer");
        // resume in this process and finish
        assertEquals(0, RegulaCommand.execute(concat(common, "--out", killed.toString(), "--resume")));
        Map<String, Tensor> a = Checkpoint.load(whole.resolve(CHECKPOINT)).parameters();
        Map<String, Tensor> b = Checkpoint.load(killed.resolve(CHECKPOINT)).parameters();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).data(), b.get(k).data(), k + " differs after " + kills + " kills");
        assertEquals(epochs, lines(metrics), "one metrics line per epoch, none lost or repeated by the kills");
    }

    private static int lines(Path f) throws IOException {
        if (!Files.exists(f)) return 0;
        try (Stream<String> s = Files.lines(f)) {
            return (int) s.filter(l -> !l.isBlank()).count();
        }
    }

    private static String[] concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out.toArray(String[]::new);
    }
}
