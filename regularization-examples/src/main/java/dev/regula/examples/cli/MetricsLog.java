package dev.regula.examples.cli;

import static dev.regula.core.io.JsonText.number;

import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.ParameterPenalty;
import dev.regula.core.train.ParameterStats;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.callbacks.CsvLogger;
import dev.regula.core.train.callbacks.JsonLinesLogger;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line's metric files, written by core's loggers ({@link JsonLinesLogger},
 * {@link CsvLogger}) in the command line's formats: one JSON object per epoch in
 * {@code metrics.jsonl}, one row per epoch in {@code metrics.csv} and one row per parameter and
 * epoch in {@code gradients.csv} (gradient norm, RMS gradient and update-to-weight ratio, see
 * {@link ParameterStats}); and one row per parameter penalty's part on one parameter and epoch
 * in {@code penalties.csv} ({@link ParameterPenalty}: the parts of a regularizer add up to its
 * entry under {@code penalties} in {@code metrics.jsonl}). Numbers are written as {@link Double#toString} text, non-finite ones as
 * {@code null}. Each epoch is flushed as soon as it is written, so an interrupted run keeps every
 * finished epoch; a resumed run first drops the lines of epochs after its checkpoint; the files
 * are closed however the fit ends (the loggers' contract).
 *
 * <p>{@link #loggers} checks the files before the fit opens them: only regular files (or none)
 * are written, never through a link or into a FIFO ({@link OutputFolder#file(Path, String)}).
 */
final class MetricsLog {
    /** The per-epoch JSON lines file. */
    static final String JSON = "metrics.jsonl";
    /** The per-epoch CSV file, read back for the curves. */
    static final String CSV = "metrics.csv";
    /** The per-parameter gradient-health file. */
    static final String GRADIENTS = "gradients.csv";
    /** The per-parameter penalty file. */
    static final String PENALTIES = "penalties.csv";
    /** The columns of {@link #PENALTIES}, its header even in a run without parameter penalties. */
    static final List<String> PENALTY_COLUMNS = List.of("epoch", "regularizer", "parameter", "penalty");
    /** The columns of the gradients file. */
    static final List<String> GRADIENT_COLUMNS = List.of("epoch", "parameter", "grad_norm", "grad_rms", "update_ratio", "l2_norm");

    private MetricsLog() {
    }

    /**
     * The loggers of the four files, to add to a run's callbacks before the one that saves its
     * checkpoint (a kill between the two then leaves a line the resume drops, never a missing one).
     *
     * @param dir the output folder
     * @param append false for a new run, which empties the files when it begins; true for a
     *     resumed one, which keeps the epochs up to its checkpoint's
     * @return the loggers
     * @throws IOException if a file is a link, a folder or a special file
     */
    static List<TrainingCallback> loggers(Path dir, boolean append) throws IOException {
        return List.of(new JsonLinesLogger(OutputFolder.file(dir, JSON), append, (ctx, m) -> List.of(json(m))),
                new CsvLogger(OutputFolder.file(dir, CSV), append, (ctx, m) -> List.of(csv(m))),
                new CsvLogger(OutputFolder.file(dir, GRADIENTS), append, (ctx, m) -> gradients(m), GRADIENT_COLUMNS),
                new CsvLogger(OutputFolder.file(dir, PENALTIES), append, (ctx, m) -> penalties(m), PENALTY_COLUMNS));
    }

    /** @return the metrics.jsonl object of an epoch */
    static Map<String, Object> json(EpochMetrics m) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", m.epoch());
        line.put("step", m.step());
        line.put("learning_rate", m.learningRate());
        line.put("train_loss", m.trainLoss());
        line.put("train_accuracy", m.trainAccuracy());
        line.put("penalties", new LinkedHashMap<>(m.penalties()));
        line.put("val_loss", m.validationLoss());
        line.put("val_accuracy", m.validationAccuracy());
        line.put("sparsity", m.overallSparsity());
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (ParameterStats p : m.parameters()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("l2_norm", p.l2Norm());
            s.put("max_abs", p.maxAbs());
            s.put("sparsity", p.sparsity());
            s.put("grad_norm", p.gradientNorm());
            s.put("update_ratio", p.updateRatio());
            parameters.put(p.name(), s);
        }
        line.put("parameters", parameters);
        line.put("skipped_steps", m.skippedSteps());
        line.put("seconds", m.seconds());
        return line;
    }

    /** @return the metrics.csv row of an epoch */
    static Map<String, Object> csv(EpochMetrics m) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", m.epoch());
        row.put("step", m.step());
        row.put("learning_rate", number(m.learningRate()));
        row.put("train_loss", number(m.trainLoss()));
        row.put("train_accuracy", number(m.trainAccuracy()));
        row.put("penalty", number(m.totalPenalty()));
        row.put("val_loss", number(m.validationLoss()));
        row.put("val_accuracy", number(m.validationAccuracy()));
        row.put("sparsity", number(m.overallSparsity()));
        row.put("skipped_steps", m.skippedSteps());
        row.put("seconds", number(m.seconds()));
        return row;
    }

    /**
     * @return the penalties.csv rows of an epoch, one per (parameter regularizer, parameter it acts
     *     on): epoch, regularizer (its spec), parameter, penalty; none without parameter penalties
     */
    static List<Map<String, Object>> penalties(EpochMetrics m) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ParameterPenalty p : m.parameterPenalties()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", m.epoch());
            row.put("regularizer", p.regularizer());
            row.put("parameter", p.parameter());
            row.put("penalty", number(p.value()));
            rows.add(row);
        }
        return rows;
    }

    /** @return the gradients.csv rows of an epoch, one per parameter */
    static List<Map<String, Object>> gradients(EpochMetrics m) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ParameterStats p : m.parameters()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", m.epoch());
            row.put("parameter", p.name());
            row.put("grad_norm", number(p.gradientNorm()));
            row.put("grad_rms", number(p.gradientRms()));
            row.put("update_ratio", number(p.updateRatio()));
            row.put("l2_norm", number(p.l2Norm()));
            rows.add(row);
        }
        return rows;
    }
}
