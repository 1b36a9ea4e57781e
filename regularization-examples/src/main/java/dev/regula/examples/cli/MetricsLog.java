package dev.regula.examples.cli;

import static dev.regula.core.io.JsonText.number;
import static dev.regula.core.io.JsonText.quote;

import dev.regula.core.io.AtomicFiles;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.ParameterStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Appends one JSON object per epoch to {@code metrics.jsonl}, one row to {@code metrics.csv} and
 * one row per parameter to {@code gradients.csv} (gradient norm, RMS gradient and
 * update-to-weight ratio, see {@link ParameterStats}) in an output folder. Each line is flushed as soon as it is written, so an interrupted run keeps
 * every finished epoch.
 *
 * <p>Creating a log touches no file: {@link #open()} does, so a command can decide everything
 * (a resume included) before the files of an earlier run are trimmed or emptied. The files are
 * opened without following symbolic links, and only if they are regular files
 * ({@link OutputFolder#file(Path, String)}).
 */
final class MetricsLog implements AutoCloseable {
    /** The per-parameter gradient-health file. */
    static final String GRADIENTS = "gradients.csv";

    private final Path dir;
    private final boolean append;
    private final int resumedEpoch;
    private Writer json;
    private Writer csv;
    private Writer gradients;

    /**
     * @param dir the output folder (it must exist when {@link #open()} is called)
     * @param append false for a new run, which truncates the files; true for a resumed one
     * @param resumedEpoch for a resumed run, the epochs completed in its checkpoint: the lines of
     *     later epochs are dropped (Integer.MAX_VALUE keeps every line)
     */
    MetricsLog(Path dir, boolean append, int resumedEpoch) {
        this.dir = dir;
        this.append = append;
        this.resumedEpoch = resumedEpoch;
    }

    /**
     * Trims (a resumed run) or empties (a new one) the files and opens them for appending.
     *
     * @return this
     * @throws IOException if they cannot be written, or are links, folders or special files
     */
    MetricsLog open() throws IOException {
        Path jsonFile = OutputFolder.file(dir, "metrics.jsonl");
        Path csvFile = OutputFolder.file(dir, "metrics.csv");
        Path gradientFile = OutputFolder.file(dir, GRADIENTS);
        if (append) {
            keepEpochsUpTo(jsonFile, resumedEpoch, MetricsLog::jsonEpoch);
            keepEpochsUpTo(csvFile, resumedEpoch, MetricsLog::csvEpoch);
            keepEpochsUpTo(gradientFile, resumedEpoch, MetricsLog::csvEpoch);
        }
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        boolean header = !append || !Files.exists(csvFile) || Files.size(csvFile) == 0;
        json = Files.newBufferedWriter(jsonFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, mode, LinkOption.NOFOLLOW_LINKS,
                StandardOpenOption.WRITE);
        csv = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, mode, LinkOption.NOFOLLOW_LINKS,
                StandardOpenOption.WRITE);
        if (header) {
            csv.write("epoch,step,learning_rate,train_loss,train_accuracy,penalty,val_loss,val_accuracy,sparsity,skipped_steps,seconds\n");
        }
        boolean gradientHeader = !append || !Files.exists(gradientFile) || Files.size(gradientFile) == 0;
        gradients = Files.newBufferedWriter(gradientFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, mode,
                LinkOption.NOFOLLOW_LINKS, StandardOpenOption.WRITE);
        if (gradientHeader) gradients.write("epoch,parameter,grad_norm,grad_rms,update_ratio,l2_norm\n");
        return this;
    }

    /**
     * Drops the lines of epochs after {@code lastEpoch}, and a last line without its newline.
     * A run killed after writing an epoch's metrics but before saving its checkpoint (or in the
     * middle of a line) would otherwise repeat that epoch, or glue two lines, when resumed.
     * Lines that name no epoch (the CSV header) are kept. Rewritten through a temporary file and
     * an atomic rename.
     */
    private static void keepEpochsUpTo(Path file, int lastEpoch, java.util.function.ToIntFunction<String> epochOf)
            throws IOException {
        if (!Files.exists(file)) return;
        String text = Files.readString(file, StandardCharsets.UTF_8);
        StringBuilder kept = new StringBuilder(text.length());
        int start = 0;
        for (int nl; (nl = text.indexOf('\n', start)) >= 0; start = nl + 1) {
            String line = text.substring(start, nl);
            int epoch = epochOf.applyAsInt(line);
            if (epoch <= lastEpoch) kept.append(line).append('\n');
        }
        if (kept.length() == text.length()) return;
        AtomicFiles.writeString(file, kept);
    }

    /** @return the epoch of a metrics.jsonl line, or MAX_VALUE for a line that is not one */
    private static int jsonEpoch(String line) {
        String prefix = "{\"epoch\":";
        if (!line.startsWith(prefix)) return Integer.MAX_VALUE;
        int end = line.indexOf(',', prefix.length());
        return parse(end < 0 ? "" : line.substring(prefix.length(), end), Integer.MAX_VALUE);
    }

    /** @return the epoch of a metrics.csv row, or MIN_VALUE for the header (always kept) */
    private static int csvEpoch(String line) {
        if (line.startsWith("epoch,")) return Integer.MIN_VALUE;
        int end = line.indexOf(',');
        return parse(end < 0 ? "" : line.substring(0, end), Integer.MAX_VALUE);
    }

    private static int parse(String s, int otherwise) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    void write(EpochMetrics m) {
        try {
            json.write("{\"epoch\":" + m.epoch() + ",\"step\":" + m.step() + ",\"learning_rate\":" + number(m.learningRate())
                    + ",\"train_loss\":" + number(m.trainLoss()) + ",\"train_accuracy\":" + number(m.trainAccuracy())
                    + ",\"penalties\":" + object(m.penalties()) + ",\"val_loss\":" + number(m.validationLoss())
                    + ",\"val_accuracy\":" + number(m.validationAccuracy()) + ",\"sparsity\":" + number(m.overallSparsity())
                    + ",\"parameters\":{" + m.parameters().stream().map(MetricsLog::stats).collect(Collectors.joining(","))
                    + "},\"skipped_steps\":" + m.skippedSteps() + ",\"seconds\":" + number(m.seconds()) + "}\n");
            json.flush();
            csv.write(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%s,%s,%s,%d,%s%n", m.epoch(), m.step(), number(m.learningRate()),
                    number(m.trainLoss()), number(m.trainAccuracy()), number(m.totalPenalty()), number(m.validationLoss()),
                    number(m.validationAccuracy()), number(m.overallSparsity()), m.skippedSteps(), number(m.seconds())));
            csv.flush();
            for (ParameterStats p : m.parameters()) {
                gradients.write(m.epoch() + "," + csvField(p.name()) + "," + number(p.gradientNorm()) + "," + number(p.gradientRms())
                        + "," + number(p.updateRatio()) + "," + number(p.l2Norm()) + "\n");
            }
            gradients.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics: " + e.getMessage(), e);
        }
    }

    private static String stats(ParameterStats p) {
        return quote(p.name()) + ":{\"l2_norm\":" + number(p.l2Norm()) + ",\"max_abs\":" + number(p.maxAbs())
                + ",\"sparsity\":" + number(p.sparsity()) + ",\"grad_norm\":" + number(p.gradientNorm())
                + ",\"update_ratio\":" + number(p.updateRatio()) + "}";
    }

    /** Parameter names are plain words with dots; quote one that holds a comma or quote anyway. */
    private static String csvField(String text) {
        return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    private static String object(Map<String, Double> map) {
        return map.entrySet().stream().map(e -> quote(e.getKey()) + ":" + number(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    @Override
    public void close() throws IOException {
        if (json == null) return;
        Writer j = json;
        Writer c = csv;
        Writer g = gradients;
        try (j; c; g) {
            j.flush();
        }
    }
}
