/**
 * Ready-made {@link dev.regula.core.train.TrainingCallback}s, the tools a Keras or Lightning user
 * expects: metric loggers ({@link dev.regula.core.train.callbacks.CsvLogger},
 * {@link dev.regula.core.train.callbacks.JsonLinesLogger}, whose records an
 * {@link dev.regula.core.train.callbacks.EpochLog} may choose,
 * {@link dev.regula.core.train.callbacks.TensorBoardLogger} on a
 * {@link dev.regula.core.train.callbacks.TensorBoardWriter}), a
 * {@link dev.regula.core.train.callbacks.ModelCheckpoint} of the best and the last epoch, and
 * {@link dev.regula.core.train.callbacks.ReduceLrOnPlateau}. Early stopping is
 * {@link dev.regula.core.train.EarlyStopping}.
 *
 * <p>Contract: every callback here runs on the training thread between steps, never changes the
 * model's parameters, writes its files atomically or line by line (a crash leaves whole lines or
 * the previous file), closes its files in {@code onTrainEnd} however the fit ends, and reports
 * an I/O failure as an {@link java.io.UncheckedIOException} naming the file, which ends the fit.
 * Monitored metrics are named as in {@link dev.regula.core.train.EpochMetrics#value}:
 * {@code loss}, {@code val_loss}, {@code accuracy}, {@code val_accuracy}.
 */
package dev.regula.core.train.callbacks;
