package dev.regula.core.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCheckpoint;
import dev.regula.core.train.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resumed run's loggers continue the files of the interrupted one: no epoch repeated, none lost, header kept. */
class LoggerResumeTest {
    private static final Map<String, String> SETTINGS = Map.of("run", "test");

    private static TrainingConfig.Builder config(int epochs, Path csv, Path jsonl, boolean append) {
        return CallbacksTest.config().epochs(epochs).callback(new CsvLogger(csv, append)).callback(new JsonLinesLogger(jsonl, append));
    }

    @Test
    void aResumedLogDropsTheEpochsAfterItsCheckpointAndAnUnfinishedLine(@TempDir Path dir) throws IOException {
        Path wholeCsv = dir.resolve("whole.csv");
        Path wholeJson = dir.resolve("whole.jsonl");
        new Trainer(CallbacksTest.mlp(), config(3, wholeCsv, wholeJson, false).build()).fit(CallbacksTest.blobs(40, 1), null);

        Path csv = dir.resolve("m.csv");
        Path jsonl = dir.resolve("m.jsonl");
        Trainer first = new Trainer(CallbacksTest.mlp(), config(2, csv, jsonl, false).build());
        first.fit(CallbacksTest.blobs(40, 1), null);
        Path checkpoint = dir.resolve("run.safetensors");
        TrainingCheckpoint.save(checkpoint, first, SETTINGS);
        // killed later: epoch 3 logged but not checkpointed, then half of a line of epoch 4
        Files.writeString(csv, "3,9,0.05,1.0\n4,1", StandardOpenOption.APPEND);
        Files.writeString(jsonl, "{\"epoch\":3,\"step\":9}\n{\"epoch\":4,\"st", StandardOpenOption.APPEND);

        Trainer resumed = new Trainer(CallbacksTest.mlp(), config(3, csv, jsonl, true).build());
        TrainingCheckpoint.restore(checkpoint, resumed, SETTINGS, w -> { });
        resumed.fit(CallbacksTest.blobs(40, 1), null);

        List<String> rows = Files.readAllLines(csv);
        List<String> wholeRows = Files.readAllLines(wholeCsv);
        assertEquals(4, rows.size(), rows.toString());
        // the header holds the penalty's spec, quoted because of its comma: read back whole, the column is filled
        assertTrue(rows.get(0).contains("\"penalty/l2(lambda=1e-3, on=weights)\""), rows.get(0));
        List<String> header = LogFiles.cells(rows.get(0));
        int penalty = header.indexOf("penalty/l2(lambda=1e-3, on=weights)");
        int seconds = header.indexOf("seconds");
        for (int r = 1; r < 4; r++) {
            List<String> got = LogFiles.cells(rows.get(r));
            List<String> want = LogFiles.cells(wholeRows.get(r));
            assertEquals(header.size(), got.size(), rows.get(r));
            assertEquals(want.get(0), got.get(0), "epoch");
            assertEquals(want.get(penalty), got.get(penalty), "the penalty of epoch " + r + " continues the uninterrupted run's");
            assertTrue(!got.get(seconds).isEmpty());
        }
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(3, lines.size(), lines.toString());
        for (int e = 0; e < 3; e++) assertTrue(lines.get(e).startsWith("{\"epoch\":" + (e + 1) + ","), lines.get(e));
    }

    /** A second fit of a finished trainer runs no epoch: its loggers (append or not) keep the epochs it continues from. */
    @Test
    void aFitThatContinuesARunNeverErasesItsLog(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("m.csv");
        Path jsonl = dir.resolve("m.jsonl");
        Trainer t = new Trainer(CallbacksTest.mlp(), config(2, csv, jsonl, false).build());
        t.fit(CallbacksTest.blobs(40, 1), null);
        List<String> rows = Files.readAllLines(csv);
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(3, rows.size(), rows.toString());
        t.fit(CallbacksTest.blobs(40, 1), null);
        assertEquals(rows, Files.readAllLines(csv));
        assertEquals(lines, Files.readAllLines(jsonl));
    }

    @Test
    void aLogIsNeverWrittenThroughASymbolicLink(@TempDir Path dir) throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("m.jsonl"), victim);
        Trainer t = new Trainer(CallbacksTest.mlp(), CallbacksTest.config().callback(new JsonLinesLogger(link, false)).build());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> t.fit(CallbacksTest.blobs(40, 1), null));
        assertTrue(e.getMessage().contains("cannot open the metrics log " + link), e.getMessage());
        assertEquals("precious", Files.readString(victim));
    }

    /** A log that cannot be continued says why in words (the JDK's own message is a path, or "Input length = 1"). */
    @Test
    void aLogThatCannotBeContinuedSaysWhy(@TempDir Path dir) throws IOException {
        Path jsonl = Files.write(dir.resolve("m.jsonl"), new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
        Trainer t = new Trainer(CallbacksTest.mlp(), CallbacksTest.config().callback(new JsonLinesLogger(jsonl, true)).build());
        java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                () -> t.fit(CallbacksTest.blobs(40, 1), null));
        assertTrue(e.getMessage().contains("cannot open the metrics log " + jsonl + ": not UTF-8 text"), e.getMessage());
    }

    /** A resumed CSV log whose header is not the run's (an edited file) is refused at the first row, none written silently wrong. */
    @Test
    void aCsvLogWithAnotherHeaderIsRefused(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("m.csv"), "foo,bar\n");
        Trainer t = new Trainer(CallbacksTest.mlp(), CallbacksTest.config().callback(new CsvLogger(csv, true)).build());
        java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                () -> t.fit(CallbacksTest.blobs(40, 1), null));
        assertTrue(e.getMessage().contains("has the header [foo, bar], which lacks this run's column 'epoch'"), e.getMessage());
        assertEquals("foo,bar\n", Files.readString(csv));
    }
}
