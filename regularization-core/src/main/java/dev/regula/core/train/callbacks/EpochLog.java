package dev.regula.core.train.callbacks;

import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.TrainingContext;
import java.util.List;
import java.util.Map;

/**
 * What a {@link CsvLogger} or a {@link JsonLinesLogger} writes for one epoch: records of named
 * values, each a CSV row or a JSON line, in the order of the map's keys. The standard log
 * ({@link #standard()}) is one record of the metrics Keras's loggers write; a program with a file
 * format of its own (the {@code regula} command line) gives its own records and keeps the loggers'
 * file handling: flushing, closing however the fit ends, and trimming on resume.
 *
 * <p>Values are {@link Number}s, {@link CharSequence}s, {@link Boolean}s or {@code null}; a JSON
 * line may also hold {@link Map}s and {@link List}s of these. A CSV row writes integers as they
 * are, other numbers with nine significant digits, text as it is (quoted when it holds a comma or
 * a quote), NaN and {@code null} as an empty cell. A record's first key should be {@code epoch},
 * a whole number: that is how a resumed log finds the lines of epochs after its checkpoint.
 */
@FunctionalInterface
public interface EpochLog {
    /**
     * @param ctx the run
     * @param metrics the epoch's metrics
     * @return the records to write for this epoch, in order (none is allowed)
     */
    List<? extends Map<String, ?>> records(TrainingContext ctx, EpochMetrics metrics);

    /**
     * @return one record per epoch: epoch, step, lr, loss, accuracy, val_loss, val_accuracy,
     *     grad_norm (the mean global gradient norm over the epoch's updates), skipped_steps,
     *     seconds, examples_per_second, {@code penalty/<spec>} per regularizer, its parts
     *     {@code penalty/<spec>/<parameter>} per parameter it acts on (parameter penalties only),
     *     and {@code grad_norm/<parameter>} per parameter
     */
    static EpochLog standard() {
        return (ctx, m) -> List.of(EpochRecord.standard(ctx, m));
    }
}
