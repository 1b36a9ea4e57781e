package dev.regula.examples.cli;

import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.ParameterStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Appends one JSON object per epoch to {@code metrics.jsonl} and one row to {@code metrics.csv}
 * in an output folder. Each line is flushed as soon as it is written, so an interrupted run keeps
 * every finished epoch.
 */
final class MetricsLog implements AutoCloseable {
    private final Writer json;
    private final Writer csv;

    MetricsLog(Path dir, boolean append) throws IOException {
        Files.createDirectories(dir);
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        Path csvFile = dir.resolve("metrics.csv");
        boolean header = !append || !Files.exists(csvFile);
        json = Files.newBufferedWriter(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8, StandardOpenOption.CREATE, mode);
        csv = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, mode);
        if (header) {
            csv.write("epoch,step,learning_rate,train_loss,train_accuracy,penalty,val_loss,val_accuracy,sparsity,skipped_steps,seconds\n");
        }
    }

    void write(EpochMetrics m) {
        try {
            json.write("{\"epoch\":" + m.epoch() + ",\"step\":" + m.step() + ",\"learning_rate\":" + num(m.learningRate())
                    + ",\"train_loss\":" + num(m.trainLoss()) + ",\"train_accuracy\":" + num(m.trainAccuracy())
                    + ",\"penalties\":" + object(m.penalties()) + ",\"val_loss\":" + num(m.validationLoss())
                    + ",\"val_accuracy\":" + num(m.validationAccuracy()) + ",\"sparsity\":" + num(m.overallSparsity())
                    + ",\"parameters\":{" + m.parameters().stream().map(MetricsLog::stats).collect(Collectors.joining(","))
                    + "},\"skipped_steps\":" + m.skippedSteps() + ",\"seconds\":" + num(m.seconds()) + "}\n");
            json.flush();
            csv.write(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%s,%s,%s,%d,%s%n", m.epoch(), m.step(), num(m.learningRate()),
                    num(m.trainLoss()), num(m.trainAccuracy()), num(m.totalPenalty()), num(m.validationLoss()),
                    num(m.validationAccuracy()), num(m.overallSparsity()), m.skippedSteps(), num(m.seconds())));
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics: " + e.getMessage(), e);
        }
    }

    private static String stats(ParameterStats p) {
        return quote(p.name()) + ":{\"l2_norm\":" + num(p.l2Norm()) + ",\"max_abs\":" + num(p.maxAbs())
                + ",\"sparsity\":" + num(p.sparsity()) + "}";
    }

    private static String object(Map<String, Double> map) {
        return map.entrySet().stream().map(e -> quote(e.getKey()) + ":" + num(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.valueOf(v) : "null";
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    @Override
    public void close() throws IOException {
        try (json; csv) {
            json.flush();
        }
    }
}
