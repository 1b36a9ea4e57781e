package dev.regula.examples.cli;

import dev.regula.api.model.Model;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.data.Dataset;
import dev.regula.core.io.EarlierRun;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.RegressionMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.callbacks.TensorBoardLogger;
import dev.regula.core.train.TrainingConfig;
import dev.regula.examples.plot.MetricsTable;
import dev.regula.progress.ProgressBarCallback;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code regula train}: trains a model on Fashion-MNIST (IDX) or a CSV file with any regularizer
 * specs, shows a progress bar, prints a line per epoch, writes metrics (JSON lines and CSV) and an
 * atomic checkpoint after every epoch into the output folder, and the learning curves
 * ({@code curves.png}) at the end; it can resume from the checkpoint.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, sortOptions = false,
        description = "Train a model with regularizers, e.g. regula train --reg 'l2(lambda=1e-4)' --reg 'dropout(p=0.2)'")
public final class TrainCommand implements Callable<Integer> {
    static final String CHECKPOINT = "checkpoint.safetensors";
    static final String CURVES = "curves.png";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TrainingOptions options = new TrainingOptions();

    @Option(names = {"-r", "--reg"}, paramLabel = "SPEC", description = "a regularizer spec, repeatable; see 'regula list'")
    List<String> regularizers = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "regula-out/train", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--resume", description = "continue from DIR/" + CHECKPOINT + " of an earlier run with the same settings")
    boolean resume;

    @Option(names = "--tensorboard", description = "also write TensorBoard scalars (loss, accuracy, learning rate, gradient norm,"
            + " each penalty, per epoch and every 10 steps) into DIR/" + TENSORBOARD + "; view with tensorboard --logdir DIR/" + TENSORBOARD)
    boolean tensorboard;

    /** The sub-folder of the TensorBoard event files. */
    static final String TENSORBOARD = "tensorboard";

    /**
     * Every file and folder a run writes into its folder: what a fresh run replaces as a whole
     * (an earlier run's TensorBoard events would otherwise mix with the fresh run's in one log).
     */
    static final List<String> RUN_FILES = List.of(CHECKPOINT, MetricsLog.JSON, MetricsLog.CSV, MetricsLog.GRADIENTS,
            MetricsLog.PENALTIES, CURVES, TENSORBOARD);

    /** Creates the command. */
    public TrainCommand() {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        options.validate();
        TrainingConfig.Builder builder = options.config(regularizers);
        if (!options.averages(regularizers)) {
            String example = options.evalWeights() == dev.regula.core.train.EvalWeights.SWA ? "swa(start_epoch=1)" : "ema(decay=0.999)";
            throw new IllegalArgumentException("--eval-weights " + options.evalWeights().word() + " needs a "
                    + options.evalWeights().word() + "(...) regularizer, e.g. --reg '" + example + "'");
        }
        // Own the folder first (a second run is refused at once), but decide everything, a resume
        // included, before any file of an earlier run is changed.
        try (OutputFolder folder = OutputFolder.claim(out, resume, "regula train")) {
            Path checkpoint = folder.file(CHECKPOINT);
            String recovered = EarlierRun.recover(out, checkpoint, RUN_FILES).warning(out); // a command killed with an earlier run aside
            if (recovered != null) {
                stderr.println("regula: warning: " + recovered);
                stderr.flush();
            }
            // curves.png is also the name a gan study gives its curves: another command's run is never taken for an earlier one
            folder.refuseRunOf("regula gan study", GAN_FILES, CURVES, "run");
            Checkpoint saved = resume ? Resume.read(checkpoint) : null;
            // any file of a run is an earlier run: one killed before its first checkpoint left its logs and events too
            boolean replacing = !resume && RUN_FILES.stream().anyMatch(n -> java.nio.file.Files.exists(out.resolve(n),
                    java.nio.file.LinkOption.NOFOLLOW_LINKS));
            TrainingOptions.Data data = options.load();
            Dataset train = data.train();
            Dataset test = data.test();
            Model net = options.model(data);
            Map<String, String> settings = options.settings(regularizers, train);
            // checked now, created by the logger when training begins (after an earlier run's events are set aside)
            if (tensorboard) builder.callback(new TensorBoardLogger(folder.subfolderToBe(TENSORBOARD), 10));
            builder.callback(ProgressBarCallback.builder().mode(options.progressMode()).epochLines(false).build())
                    .callback(new EpochReporter(stdout, data.monitorName()));
            // the metric files before the checkpoint: a run killed in between leaves a line its resume drops
            MetricsLog.loggers(out, resume).forEach(builder::callback);
            if (resume) { // once the loggers have dropped the lines of epochs after the checkpoint, before the first epoch
                Path csv = folder.file(MetricsLog.CSV);
                builder.callback(new dev.regula.core.train.TrainingCallback() {
                    @Override
                    public void onTrainBegin(dev.regula.core.train.TrainingContext ctx) {
                        warnOfMissingEpochs(csv, csvEpochs(csv), ctx.epoch(), stderr);
                    }
                });
            }
            // the kernels too, not as a setting a resume must match (a checkpoint can move to a machine without the SIMD
            // module) but so that a resume with others can say its results will differ in the last bits
            Map<String, String> savedSettings = new java.util.LinkedHashMap<>(settings);
            savedSettings.put(KERNELS, kernelsFamily(options.kernels().name()));
            TrainingConfig config = builder.callback(new EpochSaver(checkpoint, savedSettings))
                    .callback(new GradientWarnings(System.err)).build();
            Trainer trainer = new Trainer(net, config);
            trainer.evaluateWith(options.evalWeights());
            Warnings.unmatched(trainer, stderr);
            if (resume) {
                Resume.restore(checkpoint, saved, trainer, settings, stderr);
                if (options.epochs < trainer.epoch()) { // nothing changed yet: the loggers open their files when training begins
                    throw new IllegalArgumentException("--epochs " + options.epochs + " is fewer than the " + trainer.epoch()
                            + " epochs the run in " + out + " has trained; give --epochs " + trainer.epoch()
                            + " to evaluate it as it is, or more to continue it");
                }
                checkMetricsTable(folder.file(MetricsLog.CSV), trainer.epoch()); // before any file is opened
                String trainedWith = saved.metadata().get(KERNELS);
                String now = kernelsFamily(config.kernels().name());
                if (trainedWith != null && !trainedWith.equals(now)) {
                    stderr.println("regula: warning: --resume: the run was trained with kernels " + trainedWith + " and continues with "
                            + now + "; its results will differ in the last bits from an uninterrupted run (the thread count does not"
                            + " matter, the kernels do)");
                    stderr.flush();
                }
                Path jsonl = folder.file(MetricsLog.JSON);
                warnOfMissingEpochs(jsonl, jsonlEpochs(jsonl), trainer.epoch(), stderr);
            }
            stdout.printf("regula train: %s, %d train / %d test examples, kernels %s, regularizers %s, optimizer %s, eval weights %s%s%n",
                    options.model, train.size(), test.size(), config.kernels().name(), regularizers, config.optimizer().spec(),
                    options.evalWeights().word(), resume ? ", resumed at epoch " + trainer.epoch() : "");
            stdout.flush();
            if (replacing) { // said here, once everything that can refuse the run has accepted it
                stderr.println("regula: warning: " + out + " holds an earlier run; it is replaced by this one (--resume continues it,"
                        + " --out DIR keeps it)");
                stderr.flush();
            }
            long startStep = trainer.step();
            // a fresh run that fails before its first checkpoint leaves the earlier run as it was
            List<EpochMetrics> history = replacing
                    ? EarlierRun.setAside(out, RUN_FILES, CHECKPOINT).finishAfter(() -> trainer.fit(train, data.monitor()))
                    : trainer.fit(train, data.monitor());
            if (options.evalWeights() == dev.regula.core.train.EvalWeights.SWA) {
                int norms = trainer.updateBatchNorm(train);
                if (norms > 0) stdout.printf("recomputed the running statistics of %d BatchNorm layer(s) for the swa weights (update_bn)%n", norms);
            }
            if (options.evalWeights() != dev.regula.core.train.EvalWeights.LIVE) {
                var averager = trainer.pipeline().weightAverager(options.evalWeights().word());
                if (averager.isPresent() && averager.get().count() == 0) { // scored as the live weights: said, not labelled otherwise
                    stderr.println("regula: warning: --eval-weights " + options.evalWeights().word() + ": " + averager.get().spec()
                            + " averaged no weights in this run's " + trainer.epoch() + " epoch(s), so every figure is of the live weights");
                    stderr.flush();
                }
            }
            Trainer.Evaluation finalTest = trainer.evaluate(test);
            if (data.regression()) {
                RegressionMetrics r = RegressionMetrics.of(trainer.predict(test.features()), test.labels(), data.targets().std());
                stdout.printf(Locale.ROOT, "final: test RMSE %.4f, MAE %.4f, R² %.4f (loss %.4f) after %d epochs (%d steps)%s%n",
                        r.rmse(), r.mae(), r.r2(), finalTest.loss(), trainer.epoch(), trainer.step(),
                        history.isEmpty() ? " (nothing left to train)" : "");
            } else {
                stdout.printf(Locale.ROOT, "final: test accuracy %.4f, test loss %.4f after %d epochs (%d steps)%s%n",
                        finalTest.accuracy(), finalTest.loss(), trainer.epoch(), trainer.step(),
                        history.isEmpty() ? " (nothing left to train)" : "");
            }
            if (trainer.stopReason() != null) stdout.println("stopped: " + trainer.stopReason());
            stdout.flush();
            Warnings.skippedSteps(history, trainer.step() - startStep, stderr);
            InactivePenalties.warn(history, trainer.pipeline().regularizers(), stderr);
            Path curves = folder.file(CURVES);
            MetricsTable.read(folder.file(MetricsLog.CSV)).writeCurves(curves, options.loss, data.monitorName());
            stdout.printf("wrote %s, %s, %s, %s, %s, %s%n", out.resolve(MetricsLog.JSON), out.resolve(MetricsLog.CSV),
                    out.resolve(MetricsLog.GRADIENTS), out.resolve(MetricsLog.PENALTIES), checkpoint, curves);
            stdout.flush();
            if (!Double.isFinite(finalTest.loss())) { // the files are written, as they are: the run itself diverged
                stderr.println("regula: the test loss is " + finalTest.loss() + ": the trained model's outputs are not finite on the"
                        + " test set (its training did not report a fault, but its weights or outputs overflow); lower the learning"
                        + " rate, normalise the inputs, or add a regularizer; exit code " + ExitCode.NUMERICAL);
                stderr.flush();
                return ExitCode.NUMERICAL;
            }
        }
        return ExitCode.OK;
    }

    /** Files a gan study writes into its folder (its real faces first, its tables at the end): the folder is a study's. */
    static final List<String> GAN_FILES = List.of("real.png", "ablation.json");

    /** Checkpoint metadata key of the kernels a run trained with, without their thread count. */
    static final String KERNELS = "kernels";

    /** @return a kernels' name without its thread count, which does not change a result's bits */
    static String kernelsFamily(String name) {
        return name.replaceAll(",? ?\\d+ threads?\\)", ")").replace("()", "");
    }

    /**
     * A resumed run appends to metrics.csv and draws its curves from it at the end: a file edited
     * since (a line that is not a row of numbers, among the lines the resume keeps: those of the
     * checkpoint's epochs) is refused before the first epoch and before the logger touches the
     * file, as the corrupt input it is, not after the training. None, or an empty one, is no
     * refusal: the logger writes a new header.
     */
    private static void checkMetricsTable(Path csv, int epochs) throws dev.regula.api.CorruptDataException {
        try {
            if (!java.nio.file.Files.exists(csv) || java.nio.file.Files.size(csv) == 0) return;
            List<String> lines = java.nio.file.Files.readAllLines(csv);
            int column = List.of(lines.getFirst().split(",", -1)).indexOf("epoch");
            List<String> kept = new java.util.ArrayList<>(List.of(lines.getFirst()));
            for (String line : lines.subList(1, lines.size())) { // as the logger keeps them: later epochs are dropped
                if (csvEpoch(line, column) <= epochs) kept.add(line); // a line without an epoch is kept, and named below
            }
            MetricsTable.parse(kept, csv.toString());
        } catch (IOException e) {
            throw new dev.regula.api.CorruptDataException(e.getMessage() + "; the resumed run appends to it and draws curves.png"
                    + " from it: mend or remove that line, or start afresh without --resume", e);
        }
    }

    /**
     * A resumed run continues its metrics logs: epochs of them deleted or cut before the resume
     * cannot be written again, so the user hears which are missing.
     *
     * @param seen the epochs the log holds, or null if it could not be read (its logger refuses it
     *     with the reason)
     */
    private static void warnOfMissingEpochs(Path log, java.util.BitSet seen, int epochs, PrintWriter stderr) {
        if (seen == null) return;
        List<Integer> missing = new java.util.ArrayList<>();
        for (int e = 1; e <= epochs; e++) if (!seen.get(e)) missing.add(e);
        if (missing.isEmpty()) return;
        stderr.println("regula: warning: " + log + " lacks epoch(s) " + (missing.size() > 10 ? missing.subList(0, 10) + " and "
                + (missing.size() - 10) + " more" : missing) + " of the " + epochs + " the checkpoint holds (deleted or cut since);"
                + " the log continues without them");
        stderr.flush();
    }

    /** @return the epochs of metrics.jsonl's lines, or null if it cannot be read */
    private static java.util.BitSet jsonlEpochs(Path jsonl) {
        java.util.BitSet seen = new java.util.BitSet();
        try {
            if (java.nio.file.Files.exists(jsonl)) {
                for (String line : java.nio.file.Files.readAllLines(jsonl)) {
                    int epoch = dev.regula.core.train.callbacks.JsonLinesLogger.epochOf(line);
                    if (epoch >= 0) seen.set(epoch);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
        return seen;
    }

    /** @return the epochs of metrics.csv's rows (its {@code epoch} column), or null if it cannot be read */
    private static java.util.BitSet csvEpochs(Path csv) {
        java.util.BitSet seen = new java.util.BitSet();
        try {
            if (!java.nio.file.Files.exists(csv)) return seen;
            List<String> lines = java.nio.file.Files.readAllLines(csv);
            if (lines.isEmpty()) return seen;
            int column = List.of(lines.getFirst().split(",", -1)).indexOf("epoch");
            if (column < 0) return null;
            for (String line : lines.subList(1, lines.size())) {
                int epoch = csvEpoch(line, column); // a line that is not a row: checkMetricsTable names it
                if (epoch >= 0) seen.set(epoch);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
        return seen;
    }

    /** @return the number in a metrics.csv line's {@code epoch} column (its index in the header), or -1 if it has none */
    private static int csvEpoch(String line, int column) {
        String[] cells = line.split(",", -1);
        if (column < 0 || cells.length <= column) return -1;
        try {
            return Integer.parseInt(cells[column].strip());
        } catch (NumberFormatException notAnEpoch) {
            return -1;
        }
    }

    /** Prints one line per epoch. */
    private record EpochReporter(PrintWriter out, String monitored) implements TrainingCallback {
        @Override
        public void onEpochEnd(Trainer trainer, EpochMetrics m) {
            if (Double.isNaN(m.trainAccuracy()) && Double.isNaN(m.validationAccuracy())) { // a regression: no accuracy to print
                out.printf(Locale.ROOT, "epoch %2d  loss %.4f  penalty %.4g  %s loss %.4f  sparsity %.3f  %.1fs  %.0f ex/s%n",
                        m.epoch(), m.trainLoss(), m.totalPenalty(), monitored, m.validationLoss(), m.overallSparsity(), m.seconds(),
                        m.examplesPerSecond());
            } else {
                out.printf(Locale.ROOT, "epoch %2d  loss %.4f  penalty %.4g  train acc %.4f  %s loss %.4f  %s acc %.4f  sparsity %.3f  %.1fs  %.0f ex/s%n",
                        m.epoch(), m.trainLoss(), m.totalPenalty(), m.trainAccuracy(), monitored, m.validationLoss(), monitored,
                        m.validationAccuracy(), m.overallSparsity(), m.seconds(), m.examplesPerSecond());
            }
            out.flush();
        }
    }

    /** After every epoch (and after the metric files' loggers): write the checkpoint atomically. */
    private record EpochSaver(Path checkpoint, Map<String, String> settings) implements TrainingCallback {
        @Override
        public void onEpochEnd(Trainer trainer, EpochMetrics m) {
            try {
                Resume.save(checkpoint, trainer, settings);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write checkpoint " + checkpoint + ": " + e.getMessage(), e);
            }
        }
    }
}
