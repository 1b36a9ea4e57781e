package dev.regula.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.BatchProgress;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.ParameterStats;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingConfig;
import dev.regula.core.train.TrainingContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The progress callback in a real fit: plain lines when not on a terminal, a bar that never needs one. */
class ProgressBarCallbackTest {
    /** 40 examples of 3 separable classes in 4 features. */
    private static Dataset blobs() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 40;
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            for (int d = 0; d < 4; d++) x[i * 4 + d] = (float) ((d == c ? 2.0 : 0.0) + r.nextGaussian() * 0.5);
        }
        return new Dataset(Tensor.wrap(x, n, 4), Tensor.wrap(y, n), 3);
    }

    private static Model mlp() {
        return Models.installed().parse("mlp(hidden=8)").build(new int[] {4}, 3, 3);
    }

    private static void fit(ProgressBarCallback progress, TrainingCallback after) {
        TrainingConfig.Builder config = TrainingConfig.builder().optimizer("sgd(lr=0.05)").loss(new SoftmaxCrossEntropy(0))
                .epochs(2).batchSize(16).seed(7).regularizer("l2(lambda=1e-3)").callback(progress);
        if (after != null) config.callback(after);
        Dataset data = blobs();
        new Trainer(mlp(), config.build()).fit(data, data);
    }

    private static PrintStream stream(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void linesModeWritesOneLinePerBatchAndAnEpochSummaryWithoutEscapes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBarCallback progress = ProgressBarCallback.builder().mode(ProgressMode.LINES).output(stream(bytes))
                .lineInterval(Duration.ZERO).prefix("l2").build();
        fit(progress, null);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r") || text.contains("\u001b"), "plain lines only: " + text);
        List<String> lines = Arrays.asList(text.split("\n"));
        // 40 examples in batches of 16: 3 batches per epoch, then the summary; 2 epochs
        assertEquals(8, lines.size(), text);
        for (int e = 1; e <= 2; e++) {
            for (int b = 1; b <= 3; b++) {
                String line = lines.get((e - 1) * 4 + b - 1);
                assertTrue(line.startsWith("  l2 epoch " + e + "/2  " + b + "/3 ("), line);
                assertTrue(line.matches(".*  loss \\d+\\.\\d{4} acc \\d\\.\\d{4} grad \\S+ [\\d,]+ ex/s"), line);
            }
            String summary = lines.get(e * 4 - 1);
            assertTrue(summary.matches("l2 epoch " + e + "/2  loss \\d+\\.\\d{4} acc \\d\\.\\d{4} val_loss \\d+\\.\\d{4} val_acc \\d\\.\\d{4}"
                    + " penalty \\d+\\.\\d{4}  \\d+\\.\\d s"), summary);
        }
    }

    @Test
    void theSummaryShowsTheSameFiguresAsTheEpochMetrics() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder expected = new StringBuilder();
        TrainingCallback recorder = new TrainingCallback() {
            @Override
            public void onEpochEnd(TrainingContext ctx, EpochMetrics m) {
                expected.append(ProgressBarCallback.summary(m, 2)).append('\n');
            }
        };
        fit(ProgressBarCallback.builder().mode(ProgressMode.LINES).output(stream(bytes)).lineInterval(Duration.ofHours(1)).build(), recorder);
        // a task shorter than the line interval writes only the summaries
        assertEquals(expected.toString(), bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
        assertTrue(expected.toString().startsWith("epoch 1/2  loss "), expected.toString());
    }

    @Test
    void noneWritesNothingAndEpochLinesCanBeSwitchedOff() {
        ByteArrayOutputStream none = new ByteArrayOutputStream();
        fit(ProgressBarCallback.builder().mode(ProgressMode.NONE).output(stream(none)).lineInterval(Duration.ZERO).build(), null);
        assertEquals("", none.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        fit(ProgressBarCallback.builder().mode(ProgressMode.LINES).output(stream(quiet)).lineInterval(Duration.ofHours(1))
                .epochLines(false).build(), null);
        assertEquals("", quiet.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theBarModeRunsWithoutATerminalAndErasesItself() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBarCallback progress = ProgressBarCallback.builder().mode(ProgressMode.BAR).output(stream(bytes)).epochLines(false).build();
        assertEquals(ProgressMode.BAR, progress.mode());
        fit(progress, null);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\n"), "a bar is redrawn in place and leaves no line behind: " + text);
        assertTrue(text.endsWith("\r\u001b[K"), "the last bar is erased: " + text);
        // the library draws from its own thread at its own pace: at least one epoch's bar was drawn
        assertTrue(text.contains("\repoch 1/2 ") || text.contains("\repoch 2/2 "), text);
    }

    @Test
    void aFailedFitClosesTheOpenBar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBarCallback progress = ProgressBarCallback.builder().mode(ProgressMode.BAR).output(stream(bytes)).build();
        TrainingCallback failing = new TrainingCallback() {
            @Override
            public void onBatchEnd(TrainingContext ctx, BatchProgress p) {
                if (p.batchesDone() == 1) throw new IllegalStateException("fails mid-epoch");
            }
        };
        assertThrows(IllegalStateException.class, () -> fit(progress, failing));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("\r\u001b[K"), "the bar is erased by onTrainEnd");
    }

    @Test
    void theFiguresLeaveOutWhatIsNotKnown() {
        assertEquals("loss 0.2500 acc 0.9000 grad 0.532 1,000 ex/s",
                ProgressBarCallback.message(new BatchProgress(1, 5, 0.3, 0.25, 0.9, 500, 5, 10, 0.5), 0.5321));
        assertEquals("loss 0.2500 0 ex/s", ProgressBarCallback.message(new BatchProgress(1, 5, 0.3, 0.25, Double.NaN, 500, 5, 10, 0), Double.NaN));
        EpochMetrics m = new EpochMetrics(3, 30, 0.1, 0.5, Double.NaN, Map.of(), Double.NaN, Double.NaN, List.<ParameterStats>of(), 2, 1.25, 100);
        assertEquals("epoch 3/10  loss 0.5000 skipped 2  1.3 s", ProgressBarCallback.summary(m, 10));
        assertThrows(IllegalArgumentException.class, () -> ProgressBarCallback.builder().lineInterval(Duration.ofSeconds(-1)));
    }
}
