/**
 * Showing how far a long task is: {@link dev.regula.progress.ProgressBarCallback} for a
 * {@link dev.regula.core.train.Trainer}'s fit, {@link dev.regula.progress.ProgressReporter} for
 * any task counted in units (a GAN's iterations), both in one of the
 * {@link dev.regula.progress.ProgressMode}s.
 *
 * <p>Contract: progress goes to the {@link java.io.PrintStream} given (standard error by
 * default), never to standard output, so a program's own output stays parseable. In
 * {@link dev.regula.progress.ProgressMode#BAR} the bar is redrawn in place and erased when its
 * task ends; in {@link dev.regula.progress.ProgressMode#LINES} only whole lines are written, with
 * no carriage returns and no terminal escape codes; {@link dev.regula.progress.ProgressMode#AUTO}
 * picks {@code BAR} on a terminal and {@code LINES} otherwise. Nothing here needs a display or a
 * terminal: without one the bar falls back to the progressbar library's dumb terminal.
 * Instances are used from the training thread only.
 */
package dev.regula.progress;
