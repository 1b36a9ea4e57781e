package dev.regula.examples.cli;

import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecValue;
import dev.regula.core.data.Dataset;
import dev.regula.core.data.Splits;
import dev.regula.core.io.AtomicFiles;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.ParameterStats;
import dev.regula.core.train.RegressionMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import dev.regula.examples.plot.LineChart;
import dev.regula.examples.plot.Series;
import dev.regula.progress.ProgressBarCallback;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * k-fold cross-validation of {@code regula compare}'s settings ({@code --folds K}): the training
 * set is cut into K shuffled folds (the same for every setting); each setting trains K times, on
 * K − 1 folds, and is scored on the fold left out: validation accuracy for classes, validation
 * RMSE (in the targets' units) for regression. The table gives mean ± sample standard deviation
 * over the folds and the mean sparsity (the fraction of weights with |w| &lt; 1e-8); the best mean is chosen,
 * retrained on the whole training set, and only then scored on the test set, once.
 *
 * <p>Writes {@code cv.md}, {@code cv.csv} and, when every setting but {@code none} carries a
 * {@code lambda} (or {@code l1}) value, {@code cv-lambda.png}: the validation score and the
 * sparsity against log10 λ (a lasso path for {@code l1-proximal} settings on {@code linear()}).
 * Inputs are standardised with the statistics of the whole training set before the folds are
 * cut, a small leak of the fold's mean and variance that most recipes accept.
 */
final class CrossValidation {
    static final String MD = "cv.md";
    static final String CSV = "cv.csv";
    static final String PLOT = "cv-lambda.png";

    /**
     * One setting's scores.
     *
     * @param setting the setting
     * @param lambda its λ, or NaN when it has none (e.g. {@code none})
     * @param scores the score on each fold
     * @param sparsity the mean over the folds' models of the fraction of weights with |w| &lt; 1e-8
     */
    record Row(Setting setting, double lambda, double[] scores, double sparsity) {
        double mean() {
            double s = 0;
            for (double v : scores) s += v;
            return s / scores.length;
        }

        /** @return the sample standard deviation (ddof = 1) */
        double sd() {
            double m = mean();
            double s = 0;
            for (double v : scores) s += (v - m) * (v - m);
            return Math.sqrt(s / (scores.length - 1));
        }
    }

    private final TrainingOptions options;
    private final int folds;
    private final PrintWriter stdout;
    private final PrintWriter stderr;

    /**
     * @param options the shared training options
     * @param folds K, ≥ 2 (checked by the caller)
     * @param stdout where the progress and the table go
     * @param stderr where warnings go (a regularizer that selects nothing, skipped steps)
     */
    CrossValidation(TrainingOptions options, int folds, PrintWriter stdout, PrintWriter stderr) {
        this.options = options;
        this.folds = folds;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * @param settings the settings to compare
     * @param data the loaded data
     * @param folder the output folder, owned by the caller
     * @throws IOException if a file cannot be written, or is a link or special file
     * @return the exit code: OK, or NUMERICAL if a setting diverged (the others are still run and reported)
     */
    int run(List<Setting> settings, TrainingOptions.Data data, OutputFolder folder) throws IOException {
        Path out = folder.dir();
        Path md = folder.file(MD);
        Path csvFile = folder.file(CSV);
        Path plotFile = folder.file(PLOT);
        boolean regression = data.regression();
        List<Splits.Fold> parts = Splits.kFold(data.train(), folds, options.seed);
        String metric = regression ? "val RMSE" : "val accuracy";
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            Setting s = settings.get(i);
            double[] scores = new double[folds];
            double zeros = 0;
            try {
                for (int f = 0; f < folds; f++) {
                    Trainer t = train(s, parts.get(f).training(), data, f == 0,
                            String.format(Locale.ROOT, "[%d/%d] fold %d/%d", i + 1, settings.size(), f + 1, folds));
                    scores[f] = score(t, parts.get(f).validation(), data);
                    zeros += sparsity(t);
                }
            } catch (dev.regula.api.NumericalFaultException e) {
                // one diverging setting (a λ too large, in a sweep) is reported, and the others still run
                java.util.Arrays.fill(scores, Double.NaN);
                rows.add(new Row(s, lambdaOf(s), scores, Double.NaN));
                stdout.printf(Locale.ROOT, "[%d/%d] %-40s diverged (numerical fault): %s%n", i + 1, settings.size(), s.label(),
                        e.getMessage());
                stdout.flush();
                continue;
            }
            Row row = new Row(s, lambdaOf(s), scores, zeros / folds);
            rows.add(row);
            stdout.printf(Locale.ROOT, "[%d/%d] %-40s %s %.4f ± %.4f  sparsity %.3f%n", i + 1, settings.size(), s.label(), metric,
                    row.mean(), row.sd(), row.sparsity());
            stdout.flush();
        }
        Row best = null;
        for (Row r : rows) {
            if (Double.isNaN(r.mean())) continue; // diverged
            if (best == null || (regression ? r.mean() < best.mean() : r.mean() > best.mean())) best = r;
        }
        long diverged = rows.stream().filter(r -> Double.isNaN(r.mean())).count();
        if (best == null) {
            // this run's results only: an earlier run's verdict or plot beside them would be read as this one's
            AtomicFiles.writeString(csvFile, csv(rows));
            java.nio.file.Files.deleteIfExists(plotFile);
            AtomicFiles.writeString(md, "# " + folds + "-fold cross-validation\n\n" + table(rows, metric, null)
                    + "\nevery setting diverged; nothing chosen\n"); // last: compare's marker that the results are whole
            stderr.printf("regula compare: every setting diverged; nothing to choose (exit code %d)%n", ExitCode.NUMERICAL);
            stderr.flush();
            return ExitCode.NUMERICAL;
        }
        Trainer chosen = train(best.setting(), data.train(), data, false, "[retrain " + best.setting().label() + "]");
        double test = score(chosen, data.test(), data);
        String table = table(rows, metric, best);
        String verdict = String.format(Locale.ROOT, "chosen by %d-fold cross-validation: %s%s; retrained on all %d training examples,"
                        + " test %s %.4f (the test set is used once, here)%n", folds, best.setting().label(),
                Double.isNaN(best.lambda()) ? "" : " (λ = " + format(best.lambda()) + ")", data.train().size(),
                regression ? "RMSE" : "accuracy", test);
        stdout.println();
        stdout.print(table);
        stdout.print(verdict);
        AtomicFiles.writeString(csvFile, csv(rows));
        boolean plotted = plot(rows, metric, plotFile);
        if (!plotted) java.nio.file.Files.deleteIfExists(plotFile); // an earlier run's plot is not this run's
        AtomicFiles.writeString(md, "# " + folds + "-fold cross-validation\n\n" + table + "\n" + verdict); // last: the marker
        if (plotted) stdout.printf("wrote %s, %s, %s%n", out.resolve(MD), out.resolve(CSV), out.resolve(PLOT));
        else stdout.printf("wrote %s, %s (no plot: it needs two settings with a lambda > 0)%n", out.resolve(MD), out.resolve(CSV));
        stdout.flush();
        if (diverged > 0) {
            stderr.printf("regula compare: %d of %d settings diverged (their folds are NaN in the table); exit code %d%n", diverged,
                    rows.size(), ExitCode.NUMERICAL);
            stderr.flush();
            return ExitCode.NUMERICAL;
        }
        return ExitCode.OK;
    }

    /** Trains one model, its progress shown as --progress says; {@code warnUnmatched} once per setting, not once per fold. */
    private Trainer train(Setting s, Dataset train, TrainingOptions.Data data, boolean warnUnmatched, String position) {
        TrainingConfig config = options.config(s.specs())
                .callback(ProgressBarCallback.builder().mode(options.progressMode()).prefix(position).epochLines(false).build()).build();
        Trainer t = new Trainer(options.model(data, s.modelOr(options.model)), config);
        // as in compare without folds: --eval-weights scores the settings that keep that average with it
        if (options.averages(s.specs())) t.evaluateWith(options.evalWeights());
        if (warnUnmatched) Warnings.unmatched(t, stderr);
        List<EpochMetrics> history = t.fit(train, null);
        Warnings.skippedSteps(history, t.step(), stderr);
        // after SWA, BatchNorm's running statistics must belong to the averaged weights, as in compare without folds
        if (t.evalWeights() == dev.regula.core.train.EvalWeights.SWA) t.updateBatchNorm(train);
        return t;
    }

    private static double score(Trainer t, Dataset set, TrainingOptions.Data data) {
        Trainer.Evaluation e = t.evaluate(set);
        if (!Double.isFinite(e.loss())) { // outputs that overflow: a diverged setting, even when no step reported it
            throw new dev.regula.api.NumericalFaultException(t.step(), "validation", "the validation loss is " + e.loss()
                    + ": the model's outputs are not finite on the fold left out");
        }
        if (data.regression()) return RegressionMetrics.of(t.predict(set.features()), set.labels(), data.targets().std()).rmse();
        return e.accuracy();
    }

    private static double sparsity(Trainer t) {
        return ParameterStats.weightSparsity(t.model().parameters());
    }

    /** @return the {@code lambda} (else {@code l1}) number of the setting's first spec that has one, NaN if none */
    static double lambdaOf(Setting s) {
        for (String text : s.specs()) {
            Spec spec = Spec.parse(text);
            String key = lambdaKey(spec);
            if (key != null) return ((SpecValue.Num) spec.get(key)).value();
        }
        return Double.NaN;
    }

    /** @return the key {@link #lambdaOf} reads in this spec ({@code lambda}, else {@code l1}), null if it has neither as a number */
    private static String lambdaKey(Spec spec) {
        for (String key : List.of("lambda", "l1")) {
            if (spec.get(key) instanceof SpecValue.Num) return key;
        }
        return null;
    }

    /**
     * The line a setting belongs to in the λ plot: its specs with the λ {@link #lambdaOf} reads
     * left out, and the model it trains, both in canonical text. Settings that differ only in that
     * λ form one line (an L2 sweep); an L1 and an L2 setting of equal λ are on two lines, and so
     * are settings of two models.
     *
     * @param regularizers the specs without λ, e.g. {@code l2} or {@code elastic-net(l2=1e-4)}
     * @param model the model's canonical spec
     */
    record Family(String regularizers, String model) {
        /** @return the legend's name: the regularizers, and the model where the plot has several */
        String label(boolean severalModels) {
            return severalModels ? regularizers + " on " + model : regularizers;
        }
    }

    /**
     * @param s a setting
     * @param defaultModel {@code --model}, which a setting without {@code model=} trains
     * @return its line in the λ plot
     */
    static Family familyOf(Setting s, String defaultModel) {
        List<String> parts = new ArrayList<>();
        boolean dropped = false;
        for (String text : s.specs()) {
            Spec spec = Spec.parse(text);
            String key = dropped ? null : lambdaKey(spec);
            if (key == null) {
                parts.add(spec.toString());
                continue;
            }
            dropped = true;
            java.util.Map<String, SpecValue> rest = new java.util.LinkedHashMap<>(spec.arguments());
            rest.remove(key);
            parts.add(new Spec(spec.name(), rest).toString()); // "l2", "elastic-net(l2=1e-4)": λ is the x axis
        }
        return new Family(String.join(" + ", parts), Setting.canonicalModel(s.modelOr(defaultModel)));
    }


    /**
     * @param rows the settings' rows
     * @param defaultModel {@code --model}
     * @return the rows with λ &gt; 0 by line of the λ plot ({@link #familyOf}), the lines in the order
     *     they first appear, each line's rows by increasing λ
     */
    static java.util.Map<Family, List<Row>> families(List<Row> rows, String defaultModel) {
        java.util.Map<Family, List<Row>> families = new java.util.LinkedHashMap<>();
        for (Row r : rows) {
            if (r.lambda() > 0) families.computeIfAbsent(familyOf(r.setting(), defaultModel), k -> new ArrayList<>()).add(r);
        }
        for (List<Row> line : families.values()) line.sort((a, b) -> Double.compare(a.lambda(), b.lambda()));
        return families;
    }

    private String table(List<Row> rows, String metric, Row best) {
        StringBuilder b = new StringBuilder();
        b.append("| setting | λ | ").append(metric).append(" (mean ± sd over ").append(folds).append(" folds) | sparsity | |\n");
        b.append("|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %.4f ± %.4f | %.3f | %s |%n", r.setting().label(),
                    Double.isNaN(r.lambda()) ? "" : format(r.lambda()), r.mean(), r.sd(), r.sparsity(), r == best ? "chosen" : ""));
        }
        return b.toString();
    }

    private String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder("setting,lambda,mean,sd,sparsity");
        for (int f = 1; f <= folds; f++) b.append(",fold").append(f);
        b.append(",model\n");
        for (Row r : rows) {
            b.append(Report.csvCell(r.setting().label())).append(',').append(Double.isNaN(r.lambda()) ? "" : format(r.lambda()))
                    .append(',').append(r.mean()).append(',').append(r.sd()).append(',').append(r.sparsity());
            for (double v : r.scores()) b.append(',').append(v);
            b.append(',').append(Report.csvCell(r.setting().modelOr(options.model))).append('\n');
        }
        return b.toString();
    }

    /** Draws score and sparsity against log10 λ over the settings with λ > 0; false if fewer than two have one. */
    private boolean plot(List<Row> rows, String metric, Path file) throws IOException {
        if (rows.stream().filter(r -> r.lambda() > 0).count() < 2) return false;
        java.util.Map<Family, List<Row>> families = families(rows, options.model);
        boolean severalModels = families.keySet().stream().map(Family::model).distinct().count() > 1;
        LineChart.Builder left = LineChart.builder(metric + " against λ (mean over folds)").xLabel("log10 λ").yLabel(metric);
        LineChart.Builder right = LineChart.builder("sparsity against λ (mean over folds)").xLabel("log10 λ")
                .yLabel("fraction of weights with |w| < 1e-8");
        for (var family : families.entrySet()) {
            double[] x = family.getValue().stream().mapToDouble(r -> Math.log10(r.lambda())).toArray();
            String name = family.getKey().label(severalModels);
            left.series(new Series(name, x, family.getValue().stream().mapToDouble(Row::mean).toArray()));
            right.series(new Series(name, x, family.getValue().stream().mapToDouble(Row::sparsity).toArray()));
        }
        LineChart.writePngRow(file, List.of(left.build(), right.build()), 600, 450);
        return true;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
