package dev.regula.progress;

import dev.regula.core.train.BatchProgress;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingContext;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A training callback that shows one {@link ProgressReporter} per epoch ({@code epoch e/epochs},
 * batches done, running loss, running training accuracy, the last gradient norm, examples per
 * second) and, unless switched off, one summary line per epoch with its metrics.
 *
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.builder()
 *         .optimizer("adam(lr=1e-3)").epochs(10)
 *         .callback(ProgressBarCallback.builder().build())   // bar on a terminal, lines elsewhere
 *         .build();
 * }</pre>
 *
 * <p>On a terminal ({@link ProgressMode#BAR}) the bar is redrawn in place and erased at the end
 * of the epoch; elsewhere ({@link ProgressMode#LINES}) a plain line is written at most once per
 * {@linkplain Builder#lineInterval line interval}. The epoch summary line, e.g.
 * {@code epoch 2/10  loss 0.4123 acc 0.8610 val_loss 0.4502 val_acc 0.8420 penalty 0.0132 12.3 s},
 * is written in both modes, never in {@link ProgressMode#NONE}. A bar left open by a fit that
 * failed is closed in {@code onTrainEnd}. One instance serves one fit at a time.
 */
public final class ProgressBarCallback implements TrainingCallback {
    private final ProgressMode mode;
    private final String prefix;
    private final PrintStream out;
    private final Duration interval;
    private final boolean epochLines;
    private int epochs;
    private ProgressReporter current;
    private int currentEpoch;

    private ProgressBarCallback(Builder b) {
        this.mode = b.mode.resolve();
        this.prefix = b.prefix.isEmpty() ? "" : b.prefix + " ";
        this.out = b.out;
        this.interval = b.interval;
        this.epochLines = b.epochLines;
    }

    /** @return a builder: {@link ProgressMode#AUTO} on standard error, a line every 10 s, epoch lines on */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the resolved mode ({@code BAR}, {@code LINES} or {@code NONE}) */
    public ProgressMode mode() {
        return mode;
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        epochs = ctx.config().epochs();
        closeBar();
    }

    @Override
    public void onEpochBegin(TrainingContext ctx, int epoch) {
        closeBar();
    }

    @Override
    public void onBatchEnd(TrainingContext ctx, BatchProgress p) {
        if (mode == ProgressMode.NONE) return;
        if (current != null && currentEpoch != p.epoch()) closeBar();
        if (current == null) {
            currentEpoch = p.epoch();
            current = ProgressReporter.open(mode, prefix + "epoch " + p.epoch() + "/" + epochs, p.batchesPerEpoch(), out, interval);
        }
        current.update(p.batchesDone(), () -> message(p, ctx.lastGradientNorm()));
        if (p.batchesDone() == p.batchesPerEpoch()) closeBar();
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, EpochMetrics metrics) {
        closeBar();
        if (epochLines && mode != ProgressMode.NONE) {
            out.println(prefix + summary(metrics, epochs));
            out.flush();
        }
    }

    @Override
    public void onTrainEnd(TrainingContext ctx, List<EpochMetrics> history) {
        closeBar();
    }

    private void closeBar() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /**
     * @param p a batch's progress
     * @param gradientNorm the global gradient norm of the last step (NaN if not known: left out)
     * @return the figures shown beside the bar, e.g. {@code loss 0.4100 acc 0.8600 grad 0.532 31,000 ex/s}
     */
    static String message(BatchProgress p, double gradientNorm) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "loss %.4f", p.meanLoss()));
        if (!Double.isNaN(p.accuracy())) s.append(String.format(Locale.ROOT, " acc %.4f", p.accuracy()));
        if (Double.isFinite(gradientNorm)) s.append(String.format(Locale.ROOT, " grad %.3g", gradientNorm));
        return s.append(String.format(Locale.ROOT, " %,.0f ex/s", p.examplesPerSecond())).toString();
    }

    /**
     * @param m an epoch's metrics
     * @param epochs the configured number of epochs
     * @return the epoch's summary line (NaN figures, such as validation without a validation set, left out)
     */
    static String summary(EpochMetrics m, int epochs) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f", m.epoch(), epochs, m.trainLoss()));
        figure(s, "acc", m.trainAccuracy());
        figure(s, "val_loss", m.validationLoss());
        figure(s, "val_acc", m.validationAccuracy());
        if (!m.penalties().isEmpty()) figure(s, "penalty", m.totalPenalty());
        if (m.skippedSteps() > 0) s.append(" skipped ").append(m.skippedSteps());
        return s.append(String.format(Locale.ROOT, "  %.1f s", m.seconds())).toString();
    }

    private static void figure(StringBuilder s, String name, double value) {
        if (!Double.isNaN(value)) s.append(String.format(Locale.ROOT, " %s %.4f", name, value));
    }

    /** Settings of a {@link ProgressBarCallback}. */
    public static final class Builder {
        private ProgressMode mode = ProgressMode.AUTO;
        private String prefix = "";
        private PrintStream out = System.err;
        private Duration interval = ProgressReporter.DEFAULT_LINE_INTERVAL;
        private boolean epochLines = true;

        private Builder() {
        }

        /** @param mode how to show progress ({@link ProgressMode#AUTO} is resolved at {@link #build()}) @return this */
        public Builder mode(ProgressMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** @param prefix text before {@code epoch e/epochs}, e.g. the setting being trained (empty for none) @return this */
        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix").strip();
            return this;
        }

        /** @param out where the bar and the lines go (standard error by default) @return this */
        public Builder output(PrintStream out) {
            this.out = Objects.requireNonNull(out, "output");
            return this;
        }

        /**
         * @param interval the least time between two plain lines in {@link ProgressMode#LINES};
         *     zero writes a line for every batch
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder lineInterval(Duration interval) {
            if (interval.isNegative()) throw new IllegalArgumentException("lineInterval must be zero or positive, got " + interval);
            this.interval = interval;
            return this;
        }

        /** @param on whether to write one summary line per epoch (on by default; off when the caller prints its own) @return this */
        public Builder epochLines(boolean on) {
            this.epochLines = on;
            return this;
        }

        /** @return the callback; add it to a {@code TrainingConfig} */
        public ProgressBarCallback build() {
            return new ProgressBarCallback(this);
        }
    }
}
