package dev.regula.core.train.callbacks;

import dev.regula.core.io.JsonText;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingContext;
import dev.regula.core.io.IoReasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one JSON object per record and line ({@code metrics.jsonl}), flushed after every epoch:
 * by default one line per epoch of the {@link EpochLog#standard()} metrics, under the names of
 * {@link CsvLogger}, NaN as {@code null}; another {@link EpochLog} gives other records (nested
 * objects allowed).
 *
 * <p>The file is replaced at the start of a fit that starts a run (at epoch 0) unless
 * {@code append} is set; a fit that continues a run (a resumed one, or the same trainer's next
 * fit, at epoch e &gt; 0) always keeps it, so no call of {@code fit} erases the epochs it continues
 * from. When kept, the lines of epochs after the run's current epoch ({@link TrainingContext#epoch()}, by a
 * leading {@code "epoch":} key) and an unterminated last line, left by a run killed between its
 * log and its checkpoint, are dropped first, so a resumed log repeats no epoch. The file is never
 * written through a symbolic link. It is closed when the fit ends, however it ends.
 */
public final class JsonLinesLogger implements TrainingCallback {
    private static final String EPOCH_FIRST = "{\"epoch\":";
    private final Path file;
    private final boolean append;
    private final EpochLog log;
    private Writer out;

    /**
     * The standard metrics, one line per epoch.
     *
     * @param file the file; its directory must exist
     * @param append whether to add to an existing file
     */
    public JsonLinesLogger(Path file, boolean append) {
        this(file, append, EpochLog.standard());
    }

    /**
     * @param file the file; its directory must exist
     * @param append whether to add to an existing file
     * @param log the records to write per epoch
     */
    public JsonLinesLogger(Path file, boolean append, EpochLog log) {
        this.file = Objects.requireNonNull(file, "file");
        this.append = append;
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        try {
            // a fit that continues a run (from epoch e > 0) keeps the run's first e epochs even without append
            boolean keep = append || ctx.epoch() > 0;
            if (keep) LogFiles.keepEpochsUpTo(file, ctx.epoch(), JsonLinesLogger::epochOf);
            out = LogFiles.open(file, keep);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the metrics log " + file + ": " + IoReasons.of(e), e);
        }
    }

    /**
     * The epoch a line of this logger's file records, for a reader of the file (a resume that
     * checks which epochs the log holds).
     *
     * @param line one line of the file
     * @return N for a line that starts with <code>&#123;"epoch":N</code>, else a negative number (a
     *     line that names no epoch)
     */
    public static int epochOf(String line) {
        if (!line.startsWith(EPOCH_FIRST)) return LogFiles.NO_EPOCH;
        int end = EPOCH_FIRST.length();
        while (end < line.length() && Character.isDigit(line.charAt(end))) end++;
        return end == EPOCH_FIRST.length() ? LogFiles.NO_EPOCH : LogFiles.epochNumber(line.substring(EPOCH_FIRST.length(), end));
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, EpochMetrics m) {
        try {
            for (Map<String, ?> record : log.records(ctx, m)) {
                out.write(JsonText.write(record));
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics log " + file + ": " + IoReasons.of(e), e);
        }
    }

    @Override
    public void onTrainEnd(TrainingContext ctx, List<EpochMetrics> history) {
        try {
            if (out != null) out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the metrics log " + file + ": " + IoReasons.of(e), e);
        } finally {
            out = null;
        }
    }
}
