package dev.regula.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.model.Models;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.ParameterStats;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's metric files, now written by core's loggers, are byte for byte what its own
 * writer wrote before (kept below as the reference), so scripts and plots that read them go on working.
 */
class MetricsLogFormatTest {
    /** The lines the command line's former writer produced for an epoch, verbatim. */
    private static final class FormerWriter {
        final StringBuilder json = new StringBuilder();
        final StringBuilder csv = new StringBuilder(
                "epoch,step,learning_rate,train_loss,train_accuracy,penalty,val_loss,val_accuracy,sparsity,skipped_steps,seconds\n");
        final StringBuilder gradients = new StringBuilder("epoch,parameter,grad_norm,grad_rms,update_ratio,l2_norm\n");

        void write(EpochMetrics m) {
            json.append("{\"epoch\":" + m.epoch() + ",\"step\":" + m.step() + ",\"learning_rate\":" + number(m.learningRate())
                    + ",\"train_loss\":" + number(m.trainLoss()) + ",\"train_accuracy\":" + number(m.trainAccuracy())
                    + ",\"penalties\":" + m.penalties().entrySet().stream().map(e -> quote(e.getKey()) + ":" + number(e.getValue()))
                            .collect(Collectors.joining(",", "{", "}"))
                    + ",\"val_loss\":" + number(m.validationLoss())
                    + ",\"val_accuracy\":" + number(m.validationAccuracy()) + ",\"sparsity\":" + number(m.overallSparsity())
                    + ",\"parameters\":{" + m.parameters().stream().map(FormerWriter::stats).collect(Collectors.joining(","))
                    + "},\"skipped_steps\":" + m.skippedSteps() + ",\"seconds\":" + number(m.seconds()) + "}\n");
            csv.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%s,%s,%s,%d,%s%n", m.epoch(), m.step(), number(m.learningRate()),
                    number(m.trainLoss()), number(m.trainAccuracy()), number(m.totalPenalty()), number(m.validationLoss()),
                    number(m.validationAccuracy()), number(m.overallSparsity()), m.skippedSteps(), number(m.seconds())));
            for (ParameterStats p : m.parameters()) {
                gradients.append(m.epoch() + "," + p.name() + "," + number(p.gradientNorm()) + "," + number(p.gradientRms())
                        + "," + number(p.updateRatio()) + "," + number(p.l2Norm()) + "\n");
            }
        }

        private static String stats(ParameterStats p) {
            return quote(p.name()) + ":{\"l2_norm\":" + number(p.l2Norm()) + ",\"max_abs\":" + number(p.maxAbs())
                    + ",\"sparsity\":" + number(p.sparsity()) + ",\"grad_norm\":" + number(p.gradientNorm())
                    + ",\"update_ratio\":" + number(p.updateRatio()) + "}";
        }

        private static String number(double v) {
            return Double.isFinite(v) ? Double.toString(v) : "null";
        }

        private static String quote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    private static Dataset blobs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int d = 0; d < 4; d++) x[i * 4 + d] = (float) ((d == i % 3 ? 2.0 : 0.0) + r.nextGaussian() * 0.5);
        }
        return new Dataset(Tensor.wrap(x, n, 4), Tensor.wrap(y, n), 3);
    }

    @Test
    void theFilesAreByteForByteTheFormerFormat(@TempDir Path dir) throws IOException {
        List<EpochMetrics> seen = new ArrayList<>();
        TrainingConfig.Builder b = TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)").loss(new SoftmaxCrossEntropy(0))
                .epochs(3).batchSize(16).seed(7).kernels(new ScalarKernels())
                .regularizer("l2(lambda=1e-3)").regularizer("l1(lambda=1e-4, on=biases)");
        MetricsLog.loggers(dir, false).forEach(b::callback);
        b.callback(new TrainingCallback() {
            @Override
            public void onEpochEnd(Trainer t, EpochMetrics m) {
                seen.add(m);
            }
        });
        // the first epochs without validation (NaN → null), as a run without --test would have
        new Trainer(Models.installed().parse("mlp(hidden=8)").build(new int[] {4}, 3, 3), b.build()).fit(blobs(48, 1), null);
        FormerWriter former = new FormerWriter();
        seen.forEach(former::write);
        assertEquals(3, seen.size());
        assertTrue(former.json.toString().contains("\"val_loss\":null"), "the NaN case is exercised");
        assertEquals(former.json.toString(), Files.readString(dir.resolve(MetricsLog.JSON)));
        assertEquals(former.csv.toString(), Files.readString(dir.resolve(MetricsLog.CSV)));
        assertEquals(former.gradients.toString(), Files.readString(dir.resolve(MetricsLog.GRADIENTS)));
    }

    @Test
    void penaltiesCsvSplitsEachParameterPenaltyByParameterAndThePartsAddUp(@TempDir Path dir) throws IOException {
        List<EpochMetrics> seen = new ArrayList<>();
        TrainingConfig.Builder b = TrainingConfig.builder().optimizer("sgd(lr=0.05)").loss(new SoftmaxCrossEntropy(0))
                .epochs(2).batchSize(16).seed(7).kernels(new ScalarKernels())
                .regularizer("l2(lambda=1e-3)").regularizer("l1(lambda=1e-4, on=biases)");
        MetricsLog.loggers(dir, false).forEach(b::callback);
        b.callback(new TrainingCallback() {
            @Override
            public void onEpochEnd(Trainer t, EpochMetrics m) {
                seen.add(m);
            }
        });
        new Trainer(Models.installed().parse("mlp(hidden=8)").build(new int[] {4}, 3, 3), b.build()).fit(blobs(48, 1), null);
        List<String> lines = Files.readAllLines(dir.resolve(MetricsLog.PENALTIES));
        assertEquals("epoch,regularizer,parameter,penalty", lines.get(0));
        // mlp(hidden=8): two weights (l2) and two biases (l1) per epoch, two epochs
        assertEquals(1 + 2 * 4, lines.size(), String.join("\n", lines));
        Pattern row = Pattern.compile("(\\d+),\"((?:[^\"]|\"\")*)\",([^,]+),([^,]+)");
        Map<String, Double> sums = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            Matcher m = row.matcher(line);
            assertTrue(m.matches(), "epoch, quoted spec, parameter, penalty: " + line);
            sums.merge(m.group(1) + " " + m.group(2), Double.parseDouble(m.group(4)), Double::sum);
        }
        Map<String, Double> totals = new TreeMap<>();
        for (EpochMetrics m : seen) m.penalties().forEach((spec, v) -> totals.put(m.epoch() + " " + spec, v));
        assertEquals(totals.keySet(), sums.keySet());
        totals.forEach((k, v) -> assertEquals(v, sums.get(k), 0.0, "the parts of " + k + " add up to metrics.jsonl's penalty"));
    }
}
