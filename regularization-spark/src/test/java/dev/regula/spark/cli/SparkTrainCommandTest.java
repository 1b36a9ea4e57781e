package dev.regula.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad usage exits with 2 and bad data with 3, before any Spark context starts. */
class SparkTrainCommandTest {
    @Test
    void syncEveryBelowOneIsBadUsage() {
        assertEquals(2, SparkTrainCommand.run("--spark", "local[2]", "--sync-every", "0"));
    }

    @Test
    void anUnknownRegularizerIsBadUsage() {
        assertEquals(2, SparkTrainCommand.run("--spark", "local[2]", "--reg", "no-such-regularizer(x=1)"));
    }

    @Test
    void aMissingMasterIsBadUsage() {
        assertEquals(2, SparkTrainCommand.run("--epochs", "1"));
    }

    @Test
    void anUnreachableMasterIsBadUsage() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(2, SparkTrainCommand.run("--spark", "spark://127.0.0.1:" + port));
    }

    @Test
    void aMissingDataFolderIsBadData(@TempDir Path dir) {
        assertEquals(3, SparkTrainCommand.run("--spark", "local[2]", "--data", dir.resolve("absent").toString(), "--out",
                dir.resolve("out").toString()));
    }

    @Test
    void resumeWithoutACheckpointIsBadUsage(@TempDir Path dir) {
        assertEquals(2, SparkTrainCommand.run("--spark", "local[2]", "--out", dir.toString(), "--resume"));
    }

    /** An --out that is a file, or a folder another run holds, is exit 5 before any data is read. */
    @Test
    void anOutputThatIsAFileOrInUseIsExitFive(@TempDir Path dir) throws IOException {
        Path file = java.nio.file.Files.writeString(dir.resolve("afile"), "x");
        assertEquals(5, SparkTrainCommand.run("--spark", "local[2]", "--out", file.toString(), "--data", dir.resolve("absent").toString()));
        Path held = java.nio.file.Files.createDirectories(dir.resolve("held"));
        try (var ch = java.nio.channels.FileChannel.open(held.resolve(".regula.lock"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE); var lock = ch.lock()) {
            assertEquals(5, SparkTrainCommand.run("--spark", "local[2]", "--out", held.toString(), "--data",
                    dir.resolve("absent").toString()));
        }
    }

    /**
     * A fresh run into a folder holding an earlier run sets the earlier run aside until its own
     * first checkpoint: one that diverges in its first epoch (exit 4) puts it back, byte for byte,
     * and leaves nothing of its own; a resume then finds the earlier checkpoint.
     */
    @Test
    void aFreshRunThatFailsBeforeItsFirstCheckpointLeavesTheEarlierRunWhole(@TempDir Path dir) throws IOException {
        Path data = dev.regula.core.data.FashionMnist.DEFAULT_DIRECTORY;
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(data), "dataset-fashion-mnist is not installed");
        Path out = java.nio.file.Files.createDirectories(dir.resolve("run"));
        byte[] checkpoint = "the earlier run's checkpoint".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String metrics = "epoch,step\n1,10\n";
        java.nio.file.Files.write(out.resolve("checkpoint.safetensors"), checkpoint);
        java.nio.file.Files.writeString(out.resolve("metrics.csv"), metrics);
        int code = SparkTrainCommand.run("--spark", "local[2]", "--data", data.toString(), "--limit", "256", "--epochs", "1",
                "--batch", "64", "--optimizer", "sgd(lr=1e30)", "--out", out.toString());
        assertEquals(4, code, "a diverging first epoch");
        org.junit.jupiter.api.Assertions.assertArrayEquals(checkpoint, java.nio.file.Files.readAllBytes(out.resolve("checkpoint.safetensors")));
        assertEquals(metrics, java.nio.file.Files.readString(out.resolve("metrics.csv")));
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(out.resolve(dev.regula.core.io.EarlierRun.ASIDE)));
    }

    /**
     * A resume compares its specs as a local resume does (the default written out, another way to
     * write a number), and one asking for fewer epochs than the run trained is refused, changing no file.
     */
    @Test
    void aResumeReadsSpecsAsMeantAndRefusesFewerEpochs(@TempDir Path dir) throws IOException {
        Path data = dev.regula.core.data.FashionMnist.DEFAULT_DIRECTORY;
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(data), "dataset-fashion-mnist is not installed");
        Path out = dir.resolve("run");
        String[] common = {"--spark", "local[2]", "--data", data.toString(), "--limit", "256", "--batch", "64", "--out", out.toString()};
        assertEquals(0, SparkTrainCommand.run(concat(common, "--epochs", "2")));
        byte[] metrics = java.nio.file.Files.readAllBytes(out.resolve("metrics.csv"));
        assertEquals(2, SparkTrainCommand.run(concat(common, "--epochs", "1", "--resume")), "fewer epochs than the run trained");
        org.junit.jupiter.api.Assertions.assertArrayEquals(metrics, java.nio.file.Files.readAllBytes(out.resolve("metrics.csv")));
        assertEquals(0, SparkTrainCommand.run(concat(common, "--epochs", "3", "--resume", "--optimizer", "sgd(momentum=0.90, lr=5e-2)",
                "--model", "mlp(hidden=256x256, batchnorm=false)")), "the default settings written otherwise");
    }

    /** A file of the user's under the name an earlier run is set aside under is the output folder's problem: exit 5, as for train. */
    @Test
    void aFileInTheAsidesPlaceIsAnOutputError(@TempDir Path dir) throws IOException {
        Path data = dev.regula.core.data.FashionMnist.DEFAULT_DIRECTORY;
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(data), "dataset-fashion-mnist is not installed");
        Path out = java.nio.file.Files.createDirectories(dir.resolve("run"));
        java.nio.file.Files.writeString(out.resolve(dev.regula.core.io.EarlierRun.ASIDE), "mine");
        assertEquals(5, SparkTrainCommand.run("--spark", "local[1]", "--data", data.toString(), "--limit", "256", "--epochs", "1",
                "--out", out.toString()));
        assertEquals("mine", java.nio.file.Files.readString(out.resolve(dev.regula.core.io.EarlierRun.ASIDE)));
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * A context Spark stopped under the run (its message is only "SparkContext has been shutdown"):
     * a standalone master that never took the application is bad usage naming the master, a JVM
     * exiting on a signal is an interruption, and a live context leaves the failure as it was.
     */
    @Test
    void aContextStoppedUnderTheRunIsExplained(@TempDir Path dir) {
        RuntimeException shutdown = new IllegalStateException("SparkContext has been shutdown");
        org.apache.spark.api.java.JavaSparkContext sc = dev.regula.spark.SparkMasters.start("local[1]", "test", false);
        try {
            org.junit.jupiter.api.Assertions.assertSame(shutdown, SparkTrainCommand.whyStopped(shutdown, sc, false, "spark://h:7077", dir));
        } finally {
            sc.stop();
        }
        RuntimeException master = SparkTrainCommand.whyStopped(shutdown, sc, false, "spark://h:7077", dir);
        org.junit.jupiter.api.Assertions.assertInstanceOf(IllegalArgumentException.class, master);
        org.junit.jupiter.api.Assertions.assertTrue(master.getMessage().contains("spark://h:7077 accepted the connection but did not take"),
                master.getMessage());
        RuntimeException signal = SparkTrainCommand.whyStopped(shutdown, sc, true, "spark://h:7077", dir);
        org.junit.jupiter.api.Assertions.assertInstanceOf(SparkTrainCommand.Interrupted.class, signal);
        org.junit.jupiter.api.Assertions.assertTrue(signal.getMessage().contains("no epoch was saved"), signal.getMessage());
        org.junit.jupiter.api.Assertions.assertSame(shutdown, SparkTrainCommand.whyStopped(shutdown, sc, false, "local[2]", dir));
    }

    @Test
    void versionIsPrinted() {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new SparkTrainCommand());
        cl.setOut(new java.io.PrintWriter(out));
        assertEquals(0, cl.execute("-V"));
        org.junit.jupiter.api.Assertions.assertTrue(out.toString().startsWith("regula "), out.toString());
    }
}
