package dev.regula.core.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.core.data.Dataset;
import dev.regula.core.train.BatchProgress;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onTrainEnd} ends every fit, also one ended by an exception, and the callbacks see why. */
class TrainEndTest {
    private static final Dataset TRAIN = CallbacksTest.blobs(40, 1);

    /** Records its hooks as "name:event"; fails where told. */
    private static final class Recorder implements TrainingCallback {
        private final String name;
        private final List<String> events;
        RuntimeException failAtBegin;
        long failAtStep = -1;
        Throwable failAtEnd;

        Recorder(String name, List<String> events) {
            this.name = name;
            this.events = events;
        }

        @Override
        public void onTrainBegin(TrainingContext ctx) {
            events.add(name + ":train-begin");
            if (failAtBegin != null) throw failAtBegin;
        }

        @Override
        public void onEpochBegin(TrainingContext ctx, int epoch) {
            events.add(name + ":epoch-begin " + epoch);
        }

        @Override
        public void onBatchEnd(TrainingContext ctx, BatchProgress p) {
            events.add(name + ":batch-end step " + ctx.step());
            if (ctx.step() == failAtStep) throw new IllegalStateException(name + " fails at step " + failAtStep);
        }

        @Override
        public void onEpochEnd(TrainingContext ctx, EpochMetrics m) {
            events.add(name + ":epoch-end " + m.epoch());
        }

        @Override
        public void onTrainEnd(TrainingContext ctx, List<EpochMetrics> history) {
            events.add(name + ":train-end " + history.size() + " " + ctx.failure().map(Throwable::getMessage).orElse("ok"));
            if (failAtEnd instanceof RuntimeException r) throw r;
            if (failAtEnd != null) throw (Error) failAtEnd;
        }
    }

    @Test
    void aFailingStepStillEndsTheTrainingAndTheCallbacksSeeTheFailure() {
        List<String> events = new ArrayList<>();
        Recorder a = new Recorder("a", events);
        Recorder b = new Recorder("b", events);
        b.failAtStep = 4; // the first batch of epoch 2
        a.failAtEnd = new IllegalStateException("a cannot close");
        Trainer t = new Trainer(CallbacksTest.mlp(), CallbacksTest.config().callback(a).callback(b).build());
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> t.fit(TRAIN, null));
        assertEquals("b fails at step 4", thrown.getMessage(), "the fit throws the failure, not an end hook's exception");
        assertEquals(List.of(
                "a:train-begin", "b:train-begin",
                "a:epoch-begin 1", "b:epoch-begin 1",
                "a:batch-end step 1", "b:batch-end step 1", "a:batch-end step 2", "b:batch-end step 2",
                "a:batch-end step 3", "b:batch-end step 3",
                "a:epoch-end 1", "b:epoch-end 1",
                "a:epoch-begin 2", "b:epoch-begin 2",
                "a:batch-end step 4", "b:batch-end step 4",
                "a:train-end 1 b fails at step 4", "b:train-end 1 b fails at step 4"), events);
        assertEquals(1, thrown.getSuppressed().length);
        assertSame(a.failAtEnd, thrown.getSuppressed()[0], "an end hook's exception is kept, suppressed in the failure");

        // the trainer is free again, and the failure is not left behind in the context
        events.clear();
        b.failAtStep = -1;
        a.failAtEnd = null;
        assertEquals(1, t.fit(TRAIN, null).size());
        assertTrue(events.contains("a:train-end 1 ok"), events.toString());
    }

    @Test
    void aFailingBeginEndsOnlyTheCallbacksThatBegan() {
        List<String> events = new ArrayList<>();
        Recorder a = new Recorder("a", events);
        Recorder b = new Recorder("b", events);
        Recorder c = new Recorder("c", events);
        b.failAtBegin = new IllegalStateException("b cannot open its file");
        Trainer t = new Trainer(CallbacksTest.mlp(), CallbacksTest.config().callback(a).callback(b).callback(c).build());
        assertSame(b.failAtBegin, assertThrows(IllegalStateException.class, () -> t.fit(TRAIN, null)));
        assertEquals(List.of("a:train-begin", "b:train-begin",
                "a:train-end 0 b cannot open its file", "b:train-end 0 b cannot open its file"), events);
    }

    @Test
    void afterANormalEndEveryEndHookRunsAndTheFirstExceptionIsThrown() {
        List<String> events = new ArrayList<>();
        Recorder a = new Recorder("a", events);
        Recorder b = new Recorder("b", events);
        Recorder c = new Recorder("c", events);
        a.failAtEnd = new IllegalStateException("a");
        b.failAtEnd = new IllegalStateException("b");
        Trainer t = new Trainer(CallbacksTest.mlp(), CallbacksTest.config().callback(a).callback(b).callback(c).build());
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> t.fit(TRAIN, null));
        assertSame(a.failAtEnd, thrown);
        assertArrayEquals(new Throwable[] {b.failAtEnd}, thrown.getSuppressed());
        assertEquals(List.of("a:train-end 2 ok", "b:train-end 2 ok", "c:train-end 2 ok"),
                events.stream().filter(e -> e.contains("train-end")).toList());
    }

    /** An Error from an end hook (a failed assertion in a test's callback) does not skip the hooks after it. */
    @Test
    void anErrorFromAnEndHookStillLetsEveryOtherHookRun() {
        List<String> events = new ArrayList<>();
        Recorder a = new Recorder("a", events);
        Recorder b = new Recorder("b", events);
        a.failAtEnd = new AssertionError("a");
        b.failAtEnd = new IllegalStateException("b");
        Trainer t = new Trainer(CallbacksTest.mlp(), CallbacksTest.config().callback(a).callback(b).build());
        AssertionError thrown = assertThrows(AssertionError.class, () -> t.fit(TRAIN, null));
        assertSame(a.failAtEnd, thrown);
        assertArrayEquals(new Throwable[] {b.failAtEnd}, thrown.getSuppressed());
        assertEquals(List.of("a:train-end 2 ok", "b:train-end 2 ok"), events.stream().filter(e -> e.contains("train-end")).toList());
    }

    @Test
    void theLoggersKeepTheEpochsBeforeAFailureAndCloseTheirFiles(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("m.csv");
        Path jsonl = dir.resolve("m.jsonl");
        Path tb = dir.resolve("tb");
        Files.createDirectories(tb);
        TrainingCallback failing = new TrainingCallback() {
            @Override
            public void onBatchEnd(TrainingContext ctx, BatchProgress p) {
                if (ctx.step() == 5) throw new IllegalStateException("stop here");
            }
        };
        Trainer t = new Trainer(CallbacksTest.mlp(), CallbacksTest.config().epochs(3).callback(new CsvLogger(csv, false))
                .callback(new JsonLinesLogger(jsonl, false)).callback(new TensorBoardLogger(tb, 1)).callback(failing).build());
        assertThrows(IllegalStateException.class, () -> t.fit(TRAIN, null));
        assertEquals(2, Files.readAllLines(csv).size(), "header and epoch 1");
        assertEquals(1, Files.readAllLines(jsonl).size(), "epoch 1");
        Path events;
        try (var files = Files.list(tb)) {
            events = files.findFirst().orElseThrow();
        }
        assertTrue(Files.size(events) > 0);
        // on Linux, the process's open files show whether the loggers closed theirs
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        List<Path> open = new ArrayList<>();
        try (var links = Files.list(fds)) {
            for (Path link : links.toList()) {
                try {
                    open.add(Files.readSymbolicLink(link));
                } catch (IOException gone) {
                    // the descriptor of the listing itself, closed meanwhile
                }
            }
        }
        for (Path f : List.of(csv, jsonl, events)) assertFalse(open.contains(f.toRealPath()), f + " is still open");
    }
}
