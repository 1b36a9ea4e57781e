package dev.regula.core.train.callbacks;

import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one CSV row per epoch (Keras's {@code CSVLogger}): a header of the metric names, then
 * the values, flushed after every row. The columns are those of the first epoch logged: epoch,
 * step, lr, loss, accuracy, val_loss, val_accuracy, grad_norm (mean global gradient norm over the
 * epoch), skipped_steps, seconds, examples_per_second, {@code penalty/<spec>} and
 * {@code grad_norm/<parameter>}. Missing values (no validation) are empty cells. The file is
 * replaced at the start of the fit unless {@code append} is set (a resumed run).
 */
public final class CsvLogger implements TrainingCallback {
    private final Path file;
    private final boolean append;
    private Writer out;
    private List<String> columns;

    /**
     * @param file the CSV file; its directory must exist
     * @param append whether to add to an existing file (its header is kept)
     */
    public CsvLogger(Path file, boolean append) {
        this.file = Objects.requireNonNull(file, "file");
        this.append = append;
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        try {
            boolean keep = append && Files.exists(file) && Files.size(file) > 0;
            if (keep) {
                String header = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
                columns = List.of(header.split(",", -1));
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    keep ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the CSV log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, EpochMetrics m) {
        Map<String, Double> record = EpochRecord.of(ctx, m);
        try {
            if (columns == null) {
                columns = new ArrayList<>(record.keySet());
                out.write(String.join(",", columns.stream().map(CsvLogger::cell).toList()));
                out.write('\n');
            }
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                Double v = record.get(c);
                cells.add(v == null || v.isNaN() ? "" : number(v));
            }
            out.write(String.join(",", cells));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CSV log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainEnd(TrainingContext ctx, List<EpochMetrics> history) {
        try {
            if (out != null) out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the CSV log " + file + ": " + e.getMessage(), e);
        } finally {
            out = null;
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.9g", v).trim();
    }

    /** A header cell, quoted when it holds a comma or a quote (penalty specs do). */
    private static String cell(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
