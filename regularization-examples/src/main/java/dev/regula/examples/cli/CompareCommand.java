package dev.regula.examples.cli;

import dev.regula.api.NumericalFaultException;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.core.io.EarlierRun;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.ParameterStats;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import dev.regula.examples.plot.LineChart;
import dev.regula.examples.plot.MetricsTable;
import dev.regula.progress.ProgressBarCallback;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code regula compare}: trains the same model (same data, seed, optimizer and epochs) once per
 * regularizer setting and writes a report into the output folder: {@code report.md} (also
 * printed), {@code report.csv}, {@code report.json}, {@code learning-curves.png} (test accuracy
 * per epoch), {@code loss-curves.png} (training loss per epoch) and each setting's metrics in a
 * sub-folder.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, sortOptions = false,
        description = {"Train one model recipe with several regularizer settings; write a table and learning-curve plots.",
            "A setting is [LABEL:] SPEC [; SPEC]...; 'none' means no regularizer; a part model=SPEC replaces --model. Example:",
            "  regula compare --epochs 5 --setting none --setting 'l2(lambda=1e-4); dropout(p=0.2)' --setting 'prox: l1-proximal(lambda=1e-3)'"})
public final class CompareCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TrainingOptions options = new TrainingOptions();

    @Option(names = {"-s", "--setting"}, paramLabel = "SETTING",
            description = "[LABEL:] SPEC [; SPEC]..., repeatable (default: " + "none, l2(lambda=1e-4), dropout(p=0.2), "
                    + "l2(lambda=1e-4); dropout(p=0.2), l1-proximal(lambda=1e-3))")
    List<String> settingTexts = new ArrayList<>();

    @Option(names = "--folds", paramLabel = "K",
            description = "choose among the settings by K-fold cross-validation of the training set (mean ± sd per setting);"
                    + " the chosen one is retrained on all of it and scored on the test set once")
    Integer folds;

    @Option(names = "--gradients",
            description = "add gradient-health columns: RMS gradient of the first and the last weight in epoch 1, their ratio, skipped steps")
    boolean gradients;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "regula-out/compare", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    /** Creates the command. */
    public CompareCommand() {
    }

    /**
     * What one setting gave.
     *
     * @param setting the setting
     * @param folder its sub-folder (metrics)
     * @param trainAccuracy accuracy on the training set in evaluation mode (no dropout noise)
     * @param testAccuracy accuracy on the test set
     * @param trainLoss loss on the training set in evaluation mode
     * @param testLoss loss on the test set
     * @param sparsity {@link ParameterStats#weightSparsity}: fraction of weights with |w| &lt; 1e-8
     * @param l2 ‖w‖₂ over all weights (biases excluded)
     * @param l1 ‖w‖₁ over all weights
     * @param seconds wall time of the training
     * @param inactive the soft constraints of the setting that never acted (see {@link InactivePenalties})
     * @param health gradient health of the run
     * @param fault why the run stopped on a numerical fault (the accuracies are then NaN), or null
     */
    record Result(Setting setting, Path folder, double trainAccuracy, double testAccuracy, double trainLoss, double testLoss,
                  double sparsity, double l2, double l1, double seconds, List<String> inactive, Health health, String fault) {
        /** @return train − test accuracy; for a regression, where there is none, test − train loss */
        double gap() {
            return Double.isNaN(trainAccuracy) && Double.isNaN(testAccuracy) ? testLoss - trainLoss : trainAccuracy - testAccuracy;
        }
    }

    /**
     * Gradient health of a run, from its first epoch's {@link dev.regula.core.train.ParameterStats}.
     *
     * @param firstRms RMS gradient entry ‖g‖/√n of the model's first weight (mean over epoch 1's steps)
     * @param lastRms the same of its last weight (the output layer)
     * @param skippedSteps steps skipped for a NaN/Inf over the whole run ({@code --nan skip-step})
     */
    record Health(double firstRms, double lastRms, int skippedSteps) {
        static Health of(List<EpochMetrics> history) {
            int skipped = history.stream().mapToInt(EpochMetrics::skippedSteps).sum();
            if (history.isEmpty()) return new Health(Double.NaN, Double.NaN, skipped);
            List<dev.regula.core.train.ParameterStats> w = history.getFirst().parameters().stream()
                    .filter(p -> p.role() == ParameterRole.WEIGHT && !Double.isNaN(p.gradientNorm())).toList();
            if (w.isEmpty()) return new Health(Double.NaN, Double.NaN, skipped);
            return new Health(w.getFirst().gradientRms(), w.getLast().gradientRms(), skipped);
        }

        /** @return first / last: far below 1 when gradients vanish toward the input, far above when they explode */
        double ratio() {
            return firstRms / lastRms;
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        options.validate();
        if (folds != null && folds < 2) {
            throw new IllegalArgumentException("--folds must be >= 2 (each fold is validated on by a model trained on the others), got " + folds);
        }
        if (folds != null && gradients) {
            throw new IllegalArgumentException("--folds and --gradients exclude each other: cross-validation reports validation scores,"
                    + " not the per-layer gradient columns of compare's table");
        }
        if (folds != null && options.validation != null) {
            throw new IllegalArgumentException("--folds and --validation exclude each other: cross-validation makes its own validation folds");
        }
        List<Setting> settings = (settingTexts.isEmpty() ? Setting.DEFAULTS : settingTexts).stream().map(Setting::parse).toList();
        Set<String> labels = new HashSet<>();
        for (Setting s : settings) {
            if (!labels.add(s.label())) throw new IllegalArgumentException("two settings have the label '" + s.label() + "'; give one a LABEL: prefix");
            options.config(s.specs()); // fail on a bad spec before any training
            if (s.model() != null) dev.regula.api.model.Models.installed().parse(s.model());
        }
        try (OutputFolder folder = OutputFolder.claim(out, false, "regula compare")) {
            // a command killed while it held an earlier run aside: settled as that command would have (its list says how)
            String recovered = EarlierRun.recover(out, out.resolve(Report.MD), runFiles(settings)).warning(out);
            if (recovered != null) {
                spec.commandLine().getErr().println("regula: warning: " + recovered);
                spec.commandLine().getErr().flush();
            }
            return compare(folder, settings, stdout);
        }
    }

    /**
     * @return every file and folder of a compare run in {@code out}: the reports of both modes and
     *     their plots, this run's setting folders and the setting folders of an earlier compare
     *     ({@link #isSettingFolder}: a train run or a folder of the user's is never among them)
     */
    private List<String> runFiles(List<Setting> settings) throws IOException {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(REPORT_FILES);
        for (int i = 0; i < settings.size(); i++) names.add(settingFolder(i, settings.get(i)));
        if (Files.isDirectory(out)) {
            try (var entries = Files.list(out)) {
                entries.filter(p -> p.getFileName().toString().matches("[0-9]{2,}-.*")).filter(CompareCommand::isSettingFolder)
                        .map(p -> p.getFileName().toString()).sorted().forEach(names::add);
            }
        }
        return List.copyOf(names);
    }

    /** @return the folder of the {@code i}-th setting (from 0), e.g. {@code 02-l2-lambda-1e-4} */
    private static String settingFolder(int i, Setting s) {
        return String.format(Locale.ROOT, "%02d-%s", i + 1, s.slug());
    }

    /** What a compare setting folder holds: its metrics logs, nothing else. */
    private static final Set<String> SETTING_FILES = Set.of(MetricsLog.JSON, MetricsLog.CSV, MetricsLog.GRADIENTS, MetricsLog.PENALTIES);

    /**
     * @param p a path in the output folder
     * @return whether it is a folder a compare could have written: a real folder holding only a
     *     setting's metrics logs (a train run, with its checkpoint and lock, or a folder of the
     *     user's is not one, and is never set aside or replaced)
     */
    static boolean isSettingFolder(Path p) {
        if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return false;
        try (var entries = Files.list(p)) {
            return entries.allMatch(e -> SETTING_FILES.contains(e.getFileName().toString())
                    && Files.isRegularFile(e, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @return the models the settings train, for the header: --model's when no setting names its
     *     own, the settings' own (distinct, in order) when every one does, else both
     */
    private String models(List<Setting> settings) {
        List<String> own = settings.stream().map(Setting::model).filter(java.util.Objects::nonNull).map(Setting::canonicalModel)
                .distinct().toList();
        if (own.isEmpty()) return options.model;
        String theirs = String.join(", ", own);
        return settings.stream().allMatch(x -> x.model() != null) ? (own.size() == 1 ? theirs : "models " + theirs)
                : options.model + " (or the setting's model=: " + theirs + ")";
    }

    private int compare(OutputFolder folder, List<Setting> settings, PrintWriter stdout) throws IOException {
        TrainingOptions.Data data = options.load();
        if (folds != null && folds > data.train().size()) { // refused before any earlier result is touched
            throw new IllegalArgumentException("--folds " + folds + " is more than the " + data.train().size() + " training examples");
        }
        for (Setting s : settings) checkRuns(s, data);
        // the run is accepted: an earlier run's results (the reports of both modes, its setting folders) wait aside
        // until this run's report is written, dropped then, put back if it never is (a failure; after a kill, by the
        // next train, train --spark or compare on the folder), so it never shows one run's report beside another's settings
        for (String name : REPORT_FILES) folder.file(name); // a folder or link in a report's place: refused now
        for (int i = 0; i < settings.size(); i++) { // a setting's folder in the way: refused, never replaced
            Path sub = folder.subfolderToBe(settingFolder(i, settings.get(i)));
            if (Files.exists(sub, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !isSettingFolder(sub)) {
                throw new IOException("cannot write output: " + sub + " holds files that are not a compare setting's metrics (a train"
                        + " run, or files of your own); move it or choose another --out");
            }
        }
        // the marker: the report, written last, once every other result of the run is there
        return EarlierRun.setAside(out, runFiles(settings), folds != null ? CrossValidation.MD : Report.MD)
                .finishAfter(() -> compareAccepted(folder, settings, data, stdout));
    }

    private int compareAccepted(OutputFolder folder, List<Setting> settings, TrainingOptions.Data data, PrintWriter stdout)
            throws IOException {
        if (folds != null) {
            stdout.printf("regula compare: %d settings by %d-fold cross-validation, %s, optimizer %s, %d epochs, batch %d, seed %d, %d train / %d test examples%n",
                    settings.size(), folds, models(settings), options.optimizer, options.epochs, options.batch, options.seed,
                    data.train().size(), data.test().size());
            return new CrossValidation(options, folds, stdout, spec.commandLine().getErr()).run(settings, data, folder);
        }
        stdout.printf("regula compare: %d settings, %s, optimizer %s, %d epochs, batch %d, seed %d, %d train / %d test examples%n",
                settings.size(), models(settings),
                options.optimizer, options.epochs, options.batch, options.seed,
                data.train().size(), data.test().size());
        stdout.flush();

        List<Result> results = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            Setting s = settings.get(i);
            Path sub = folder.subfolder(settingFolder(i, s));
            stdout.printf("[%d/%d] %s%n", i + 1, settings.size(), s.label());
            stdout.flush();
            results.add(run(s, String.format(Locale.ROOT, "[%d/%d]", i + 1, settings.size()), sub, data));
            Result r = results.getLast();
            if (r.fault() != null) {
                stdout.printf(Locale.ROOT, "      diverged (numerical fault): %s%n", r.fault());
                stdout.flush();
                continue;
            }
            if (options.regression()) {
                stdout.printf(Locale.ROOT, "      train loss %.4f  test loss %.4f  gap %+.4f  sparsity %.3f  %.1fs%n",
                        r.trainLoss(), r.testLoss(), r.gap(), r.sparsity(), r.seconds());
            } else {
                stdout.printf(Locale.ROOT, "      train acc %.4f  test acc %.4f  gap %+.4f  sparsity %.3f  %.1fs%n",
                        r.trainAccuracy(), r.testAccuracy(), r.gap(), r.sparsity(), r.seconds());
            }
            stdout.flush();
        }

        Report report = new Report(results, options, gradients);
        for (String name : List.of(Report.MD, Report.CSV, Report.JSON, LEARNING_CURVES, LOSS_CURVES)) folder.file(name);
        writePlots(results);
        report.write(out); // report.md last: the run's marker
        stdout.println();
        stdout.print(report.markdownTable());
        stdout.printf("%nwrote %s, %s, %s, %s, %s and the per-setting metrics%n", out.resolve(Report.MD), out.resolve(Report.CSV),
                out.resolve(Report.JSON), out.resolve(LEARNING_CURVES), out.resolve(LOSS_CURVES));
        stdout.flush();
        long diverged = results.stream().filter(r -> r.fault() != null).count();
        if (diverged > 0) {
            spec.commandLine().getErr().printf("regula compare: %d of %d settings diverged (marked in the table); exit code %d%n",
                    diverged, results.size(), ExitCode.NUMERICAL);
            spec.commandLine().getErr().flush();
            return ExitCode.NUMERICAL;
        }
        return ExitCode.OK;
    }

    /**
     * One whole step of a setting (gradients and update) on two training examples, with a model
     * and configuration of its own that are then dropped: what only a step finds (a model too
     * large for the batch, a regularizer that cannot work on the model's shapes) is refused before
     * the first setting trains, not after it has overwritten its folder. A NaN is skipped here: a
     * diverging setting is reported in the table, not refused.
     */
    private void checkRuns(Setting s, TrainingOptions.Data data) {
        TrainingConfig config = options.config(s.specs()).build();
        Trainer probe = new Trainer(options.model(data, s.modelOr(options.model)), config);
        // every training set this setting may fit on (each fold's, and the refit on all examples if it is chosen), before
        // any setting trains: a refusal after the folds had trained would waste them
        int n = data.train().size();
        if (folds == null) {
            dev.regula.core.train.LastBatchOfOne.check(probe.model(), config.batchSize(), "setting " + s.label() + ": the training set", n);
        } else {
            int[] sizes = java.util.Arrays.copyOf(dev.regula.core.data.Splits.kFoldTrainingSizes(n, folds), folds + 1);
            sizes[folds] = n;
            dev.regula.core.train.LastBatchOfOne.check(probe.model(), config.batchSize(),
                    "setting " + s.label() + ": cross-validation's " + folds + " folds and, if the setting is chosen, its refit on all " + n
                            + " examples", sizes);
        }
        if (n < 2) return;
        dev.regula.core.data.Dataset two = data.train().subset(0, 2);
        // the first step's learning rate, as the run's: a setting out of range with it (lr * lambda > 1) is refused here
        dev.regula.api.StepContext ctx = new dev.regula.api.StepContext(dev.regula.api.Mode.TRAIN, 0, 0,
                config.optimizer().learningRate().valueAt(0, 0), options.seed, config.kernels());
        try {
            new dev.regula.core.train.TrainingStep(probe.pipeline()).step(probe.model(), config.loss(), two.features().copy(),
                    two.labels().copy(), ctx, dev.regula.core.train.NanPolicy.SKIP_STEP, false);
        } catch (dev.regula.api.NumericalFaultException diverges) {
            // the setting runs and diverges (a λ too large, in a sweep): its row says so and the others still run
        }
    }

    static final String LEARNING_CURVES = "learning-curves.png";
    static final String LOSS_CURVES = "loss-curves.png";

    /** The reports of both modes and their plots, in the output folder itself. */
    private static final List<String> REPORT_FILES = List.of(Report.MD, Report.CSV, Report.JSON, LEARNING_CURVES, LOSS_CURVES,
            CrossValidation.MD, CrossValidation.CSV, CrossValidation.PLOT);

    private Result run(Setting s, String position, Path folder, TrainingOptions.Data data) throws IOException {
        Trainer trainer;
        long start = System.nanoTime();
        PrintWriter stderr = spec.commandLine().getErr();
        List<EpochMetrics> history;
        List<EpochMetrics> seen = new ArrayList<>();
        long steps;
        TrainingConfig.Builder builder = options.config(s.specs())
                .callback(ProgressBarCallback.builder().mode(options.progressMode()).prefix(position).epochLines(false).build());
        MetricsLog.loggers(folder, false).forEach(builder::callback); // closed when the fit ends, also by a divergence
        TrainingConfig config = builder.callback(new dev.regula.core.train.TrainingCallback() {
                    @Override
                    public void onEpochEnd(Trainer t, EpochMetrics m) {
                        seen.add(m);
                    }
                }).callback(new GradientWarnings(System.err)).build();
        trainer = new Trainer(options.model(data, s.modelOr(options.model)), config);
        // --eval-weights applies to the settings that keep that average; the others use their live weights
        if (options.averages(s.specs())) trainer.evaluateWith(options.evalWeights());
        Warnings.unmatched(trainer, stderr);
        try {
            history = trainer.fit(data.train(), data.monitor());
            steps = trainer.step();
            Warnings.skippedSteps(history, steps, stderr);
        } catch (NumericalFaultException e) {
            // one diverging setting (the point of an exploding-gradient comparison) does not end the others
            double nan = Double.NaN;
            return new Result(s, folder, nan, nan, nan, nan, nan, nan, nan, (System.nanoTime() - start) / 1e9, List.of(), Health.of(seen),
                    e.getMessage());
        }
        List<String> inactive = InactivePenalties.warn(history, trainer.pipeline().regularizers(), stderr);
        double seconds = (System.nanoTime() - start) / 1e9;
        // after SWA, BatchNorm's running statistics must belong to the averaged weights (PyTorch's update_bn)
        if (trainer.evalWeights() == dev.regula.core.train.EvalWeights.SWA) trainer.updateBatchNorm(data.train());
        Trainer.Evaluation train = trainer.evaluate(data.train());
        Trainer.Evaluation test = trainer.evaluate(data.test());
        long zeros = 0;
        long n = 0;
        double sumSq = 0;
        double sumAbs = 0;
        for (Parameter p : trainer.model().parameters()) {
            if (p.role() != ParameterRole.WEIGHT) continue;
            for (float w : p.value().data()) {
                double a = Math.abs(w);
                if (ParameterStats.isZero(w)) zeros++;
                sumSq += a * a;
                sumAbs += a;
                n++;
            }
        }
        // a model whose outputs overflow on the test set diverged, even when no step reported it (as train: exit 4)
        String fault = Double.isFinite(test.loss()) ? null : "the test loss is " + test.loss() + ": the trained model's outputs are"
                + " not finite on the test set";
        return new Result(s, folder, train.accuracy(), test.accuracy(), train.loss(), test.loss(), n == 0 ? 0 : zeros / (double) n,
                Math.sqrt(sumSq), sumAbs, seconds, inactive, Health.of(history), fault);
    }

    /** Setting folders an earlier run left in the output folder, which this run's report does not cover, are named. */

    private void writePlots(List<Result> results) throws IOException {
        boolean regression = options.regression();
        // a regression has no accuracy: its learning curves are the test loss
        LineChart.Builder acc = regression
                ? LineChart.builder("test loss per epoch").xLabel("epoch").yLabel("test " + options.loss).integerX()
                : LineChart.builder("test accuracy per epoch").xLabel("epoch").yLabel("test accuracy").integerX();
        LineChart.Builder loss = LineChart.builder("training loss per epoch (data loss, without penalties)").xLabel("epoch")
                .yLabel(options.loss).integerX();
        for (Result r : results) {
            Path csv = r.folder().resolve("metrics.csv");
            if (r.fault() != null && (!Files.exists(csv) || Files.readString(csv).isBlank())) continue; // no epoch finished
            MetricsTable t = MetricsTable.read(csv);
            acc.series(t.series(r.setting().label(), regression ? "val_loss" : "val_accuracy"));
            loss.series(t.series(r.setting().label(), "train_loss"));
        }
        acc.build().writePng(out.resolve(LEARNING_CURVES), 900, 560);
        loss.build().writePng(out.resolve(LOSS_CURVES), 900, 560);
    }
}
