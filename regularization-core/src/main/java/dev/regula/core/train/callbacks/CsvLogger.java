package dev.regula.core.train.callbacks;

import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingContext;
import dev.regula.core.io.IoReasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes CSV rows per epoch (Keras's {@code CSVLogger}): a header of the column names, then the
 * values, flushed after every epoch. By default one row per epoch of the {@link EpochLog#standard()}
 * metrics: epoch, step, lr, loss, accuracy, val_loss, val_accuracy, grad_norm (mean global
 * gradient norm over the epoch), skipped_steps, seconds, examples_per_second,
 * {@code penalty/<spec>}, {@code penalty/<spec>/<parameter>} (a parameter penalty's part on one
 * parameter) and {@code grad_norm/<parameter>}; another {@link EpochLog} gives other
 * columns or several rows per epoch. The columns are those given to the constructor, else those of
 * the first record written (or, when appending, of the file's header); missing values (no
 * validation) are empty cells.
 *
 * <p>The file is replaced at the start of a fit that starts a run (at epoch 0) unless
 * {@code append} is set; a fit that continues a run (a resumed one, or the same trainer's next
 * fit, at epoch e &gt; 0) always keeps it, so no call of {@code fit} erases the epochs it continues
 * from. When kept, the rows of epochs after the run's current epoch ({@link TrainingContext#epoch()}, by
 * the {@code epoch} column) and an unterminated last line, left by a run killed between its log
 * and its checkpoint, are dropped first, so a resumed log repeats no epoch. The file is never
 * written through a symbolic link. It is closed when the fit ends, however it ends.
 */
public final class CsvLogger implements TrainingCallback {
    private final Path file;
    private final boolean append;
    private final EpochLog log;
    /** The columns given up front (the header is written even before the first row), or null. */
    private final List<String> fixedColumns;
    private Writer out;
    private List<String> columns;

    /**
     * The standard metrics, one row per epoch.
     *
     * @param file the CSV file; its directory must exist
     * @param append whether to add to an existing file (its header is kept)
     */
    public CsvLogger(Path file, boolean append) {
        this(file, append, EpochLog.standard());
    }

    /**
     * @param file the CSV file; its directory must exist
     * @param append whether to add to an existing file (its header is kept)
     * @param log the rows to write per epoch
     */
    public CsvLogger(Path file, boolean append, EpochLog log) {
        this(file, append, log, null);
    }

    /**
     * With the columns known up front: the header is written when the file begins, so a log
     * whose epochs have no rows (a run without parameter penalties, say) still names them.
     *
     * @param file the CSV file; its directory must exist
     * @param append whether to add to an existing file (its header is kept)
     * @param log the rows to write per epoch; their keys among {@code columns}
     * @param columns the header's columns, or null for those of the first record
     */
    public CsvLogger(Path file, boolean append, EpochLog log, List<String> columns) {
        this.file = Objects.requireNonNull(file, "file");
        this.append = append;
        this.log = Objects.requireNonNull(log, "log");
        this.fixedColumns = columns == null ? null : List.copyOf(columns);
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        columns = null;
        try {
            // a fit that continues a run (from epoch e > 0) keeps the run's first e epochs even without append
            boolean keep = (append || ctx.epoch() > 0) && Files.exists(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) > 0;
            if (keep) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                List<String> header = LogFiles.cells(nl < 0 ? text : text.substring(0, nl));
                int epochColumn = header.indexOf("epoch");
                if (nl >= 0 && epochColumn >= 0) {
                    // the header's own "epoch" cell is no number: it is kept
                    LogFiles.keepEpochsUpTo(file, ctx.epoch(), line -> {
                        List<String> cells = LogFiles.cells(line);
                        return cells.size() <= epochColumn ? LogFiles.NO_EPOCH : LogFiles.epochNumber(cells.get(epochColumn));
                    });
                }
                keep = nl >= 0;
                if (keep) columns = header;
            }
            out = LogFiles.open(file, keep);
            if (!keep && fixedColumns != null) {
                columns = fixedColumns;
                out.write(String.join(",", columns.stream().map(LogFiles::cell).toList()));
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the CSV log " + file + ": " + IoReasons.of(e), e);
        }
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, EpochMetrics m) {
        try {
            for (Map<String, ?> record : log.records(ctx, m)) {
                if (columns == null) {
                    columns = new ArrayList<>(record.keySet());
                    out.write(String.join(",", columns.stream().map(LogFiles::cell).toList()));
                    out.write('\n');
                }
                String first = record.isEmpty() ? null : record.keySet().iterator().next(); // the row's key, e.g. epoch
                if (first != null && !columns.contains(first)) { // a header that is not this run's (an edited file): refused, no row lost silently
                    String why = "the CSV log " + file + " has the header " + columns + ", which lacks this run's column '" + first
                            + "'; it was not written by this run's logger (restore or delete the file)";
                    throw new UncheckedIOException(why, new dev.regula.api.CorruptDataException(why));
                }
                List<String> cells = new ArrayList<>(columns.size());
                for (String c : columns) cells.add(cell(c, record.get(c)));
                out.write(String.join(",", cells));
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CSV log " + file + ": " + IoReasons.of(e), e);
        }
    }

    @Override
    public void onTrainEnd(TrainingContext ctx, List<EpochMetrics> history) {
        try {
            if (out != null) out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the CSV log " + file + ": " + IoReasons.of(e), e);
        } finally {
            out = null;
        }
    }

    private String cell(String column, Object v) {
        return switch (v) {
            case null -> "";
            case Double d when d.isNaN() -> "";
            case Float f when f.isNaN() -> "";
            case Double d -> number(d);
            case Float f -> number(f);
            case Number n -> n.toString();
            case CharSequence text -> LogFiles.cell(text.toString());
            case Boolean b -> b.toString();
            default -> throw new IllegalArgumentException("the CSV log " + file + ": column '" + column + "' holds a "
                    + v.getClass().getName() + "; a CSV cell holds a number, text, a boolean or null");
        };
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.9g", v).trim();
    }
}
