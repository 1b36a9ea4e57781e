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
        assertEquals(3, SparkTrainCommand.run("--spark", "local[2]", "--data", dir.resolve("absent").toString()));
    }

    @Test
    void resumeWithoutACheckpointIsBadUsage(@TempDir Path dir) {
        assertEquals(2, SparkTrainCommand.run("--spark", "local[2]", "--out", dir.toString(), "--resume"));
    }
}
