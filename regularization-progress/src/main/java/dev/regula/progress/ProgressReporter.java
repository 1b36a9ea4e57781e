package dev.regula.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One task's progress (an epoch, a GAN run): a live bar from the progressbar library on a
 * terminal, or plain periodic lines elsewhere, or nothing.
 *
 * <p>In {@link ProgressMode#LINES} a line {@code task  done/total (pct%)  message} is printed at
 * most once per interval, starting one interval after {@link #open}; a task shorter than the
 * interval prints nothing (a zero interval prints every update).
 * The bar of {@link ProgressMode#BAR} is redrawn in place by the library's refresh thread (every
 * 200 ms) and erased when the reporter is closed. Use from one thread.
 *
 * <p>A message can be given as a {@link Supplier}, called only when it will be shown: in
 * {@code LINES} mode when a line is due, in {@code BAR} mode at most once per
 * {@value #BAR_MESSAGE_MILLIS} ms and on the last unit, never in {@code NONE} (a message given as
 * a string is always the bar's newest). A caller that
 * reports every training step thus formats a handful of messages a minute, not one a step.
 */
public final class ProgressReporter implements AutoCloseable {
    /** Default interval between two plain lines. */
    public static final Duration DEFAULT_LINE_INTERVAL = Duration.ofSeconds(10);

    /** Least time between two messages taken for the bar (half its refresh interval). */
    static final long BAR_MESSAGE_MILLIS = 100;

    private final ProgressMode mode;
    private final String task;
    private final long total;
    private final PrintStream lines;
    private final long intervalNanos;
    private final BarLine barLine;
    private final ProgressBar bar;
    private long lastLine;
    private long lastBarMessage;
    private boolean barMessageSet;

    private ProgressReporter(ProgressMode mode, String task, long total, PrintStream lines, Duration interval) {
        this.mode = mode;
        this.task = task;
        this.total = total;
        this.lines = lines;
        this.intervalNanos = interval.toNanos();
        this.lastLine = System.nanoTime();
        this.barLine = mode == ProgressMode.BAR ? new BarLine(lines) : null;
        this.bar = barLine != null
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                        .setUpdateIntervalMillis(200).clearDisplayOnFinish().setConsumer(barLine).build()
                : null;
    }

    /**
     * Starts reporting a task.
     *
     * @param mode how to show it ({@link ProgressMode#AUTO} is resolved here)
     * @param task a short name shown first, e.g. {@code epoch 3/10}
     * @param total the number of units of work, at least 1
     * @param lines where the bar or the lines go (usually standard error)
     * @param interval the least time between two plain lines; zero writes a line for every update
     * @return the reporter; close it when the task ends
     */
    public static ProgressReporter open(ProgressMode mode, String task, long total, PrintStream lines, Duration interval) {
        if (total < 1) throw new IllegalArgumentException("total must be >= 1, got " + total);
        if (interval.isNegative()) throw new IllegalArgumentException("interval must be zero or positive, got " + interval);
        return new ProgressReporter(mode.resolve(), task, total, lines, interval);
    }

    /** @return the resolved mode ({@code BAR}, {@code LINES} or {@code NONE}) */
    public ProgressMode mode() {
        return mode;
    }

    /**
     * Reports progress.
     *
     * @param done units done so far, 0..total
     * @param message figures to show after the count, e.g. {@code loss 0.41 acc 0.86 31,000 ex/s}
     */
    public void update(long done, String message) {
        update(done, () -> message, true); // built already: the bar always shows the newest
    }

    /**
     * Reports progress, building the message only if it will be shown (see the class comment).
     *
     * @param done units done so far, 0..total
     * @param message makes the figures to show after the count
     */
    public void update(long done, Supplier<String> message) {
        update(done, message, false);
    }

    /** @param newest whether the bar takes the message however recently it took one */
    private void update(long done, Supplier<String> message, boolean newest) {
        switch (mode) {
            case BAR -> {
                bar.stepTo(done);
                long now = System.nanoTime();
                if (newest || !barMessageSet || done >= total || now - lastBarMessage >= BAR_MESSAGE_MILLIS * 1_000_000L) {
                    barMessageSet = true;
                    lastBarMessage = now;
                    bar.setExtraMessage(message.get());
                }
            }
            case LINES -> {
                long now = System.nanoTime();
                if (now - lastLine >= intervalNanos) {
                    lastLine = now;
                    lines.println(String.format(Locale.ROOT, "  %s  %d/%d (%.0f%%)  %s", task, done, total, 100.0 * done / total, message.get()));
                    lines.flush();
                }
            }
            default -> { }
        }
    }

    /** @return the message the bar shows now (BAR mode), for tests */
    String barMessage() {
        return bar == null ? null : bar.getExtraMessage();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            // The library's last drawing and its own clear run on its refresh thread, and a failure
            // there is swallowed: erase here too, so the line is clean when close returns.
            barLine.clear();
        }
    }
}
