package dev.regula.examples.cli;

import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.core.data.CsvReader;
import dev.regula.core.data.Dataset;
import dev.regula.core.data.FashionMnist;
import dev.regula.core.data.Standardizer;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.NanPolicy;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code regula train}: trains a model on Fashion-MNIST (IDX) or a CSV file with any regularizer
 * specs, prints a line per epoch, writes metrics (JSON lines and CSV) and an atomic checkpoint
 * after every epoch into the output folder, and can resume from it.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model with regularizers, e.g. regula train --reg 'l2(lambda=1e-4)' --reg 'dropout(p=0.2)'")
public final class TrainCommand implements Callable<Integer> {
    static final String CHECKPOINT = "checkpoint.safetensors";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST IDX folder (default: ${DEFAULT-VALUE}, from Debian's dataset-fashion-mnist)",
            defaultValue = "/usr/share/datasets/fashion-mnist")
    Path data;

    @Option(names = "--csv", paramLabel = "FILE", description = "train on a numeric CSV instead (header row, label in the last column)")
    Path csv;

    @Option(names = "--test-csv", paramLabel = "FILE", description = "test set for --csv (default: the last 20% of --csv)")
    Path testCsv;

    @Option(names = "--model", paramLabel = "SPEC", defaultValue = "mlp(hidden=256x256)", description = "model spec (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = {"-r", "--reg"}, paramLabel = "SPEC", description = "a regularizer spec, repeatable; see 'regula list'")
    List<String> regularizers = new ArrayList<>();

    @Option(names = "--optimizer", paramLabel = "SPEC", defaultValue = "sgd(lr=0.05, momentum=0.9)", description = "optimizer spec (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--epochs", defaultValue = "10", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "mini-batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", defaultValue = "42", description = "seed of initialisation, shuffling and masks (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "compute threads (default: all cores)")
    Integer threads;

    @Option(names = "--limit", paramLabel = "N", description = "use only the first N training examples (quick runs)")
    Integer limit;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "label smoothing of the cross-entropy (default: ${DEFAULT-VALUE})")
    double labelSmoothing;

    @Option(names = "--normalize", defaultValue = "standardize",
            description = "input scaling: standardize (mean/std of the training set) or none (default: ${DEFAULT-VALUE})")
    String normalize;

    @Option(names = "--nan", defaultValue = "stop", description = "on NaN/Inf: stop or skip-step (default: ${DEFAULT-VALUE})")
    String nan;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "regula-out/train", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--resume", description = "continue from DIR/" + CHECKPOINT + " of an earlier run with the same settings")
    boolean resume;

    /** Creates the command. */
    public TrainCommand() {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NanPolicy policy = switch (nan.toLowerCase(Locale.ROOT)) {
            case "stop" -> NanPolicy.STOP;
            case "skip-step" -> NanPolicy.SKIP_STEP;
            default -> throw new IllegalArgumentException("--nan must be stop or skip-step, got '" + nan + "'");
        };
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;

        TrainingConfig.Builder builder = TrainingConfig.builder().optimizer(optimizer)
                .loss(new SoftmaxCrossEntropy(labelSmoothing)).epochs(epochs).batchSize(batch).seed(seed)
                .threads(nThreads).nanPolicy(policy);
        for (String r : regularizers) builder.regularizer(r);
        Dataset[] sets = loadData();
        Dataset train = sets[0];
        Dataset test = sets[1];
        int[] inputShape = Arrays.copyOfRange(train.features().shape(), 1, train.features().rank());
        Model net = Models.installed().parse(model).build(inputShape, train.numClasses(), seed);

        Files.createDirectories(out);
        Path checkpoint = out.resolve(CHECKPOINT);
        Map<String, String> settings = settings(train);
        try (MetricsLog log = new MetricsLog(out, resume, resume ? Resume.savedEpoch(checkpoint) : 0)) {
            TrainingConfig config = builder.callback(new ProgressLine(err)).callback(new EpochReporter(stdout))
                    .callback(new EpochSaver(log, checkpoint, settings)).build();
            Trainer trainer = new Trainer(net, config);
            if (resume) Resume.restore(checkpoint, trainer, settings);
            stdout.printf("regula train: %s, %d train / %d test examples, kernels %s, regularizers %s, optimizer %s%s%n",
                    model, train.size(), test.size(), config.kernels().name(), regularizers, config.optimizer().spec(),
                    resume ? ", resumed at epoch " + trainer.epoch() : "");
            stdout.flush();
            List<EpochMetrics> history = trainer.fit(train, test);
            Trainer.Evaluation finalTest = trainer.evaluate(test);
            stdout.printf(Locale.ROOT, "final: test accuracy %.4f, test loss %.4f after %d epochs (%d steps)%s%n",
                    finalTest.accuracy(), finalTest.loss(), trainer.epoch(), trainer.step(),
                    history.isEmpty() ? " (nothing left to train)" : "");
            if (trainer.stopReason() != null) stdout.println("stopped: " + trainer.stopReason());
            stdout.printf("wrote %s, %s, %s%n", out.resolve("metrics.jsonl"), out.resolve("metrics.csv"), checkpoint);
            stdout.flush();
        }
        return ExitCode.OK;
    }

    private Map<String, String> settings(Dataset train) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("model", model);
        s.put("optimizer", optimizer);
        s.put("regularizers", String.join(" ; ", regularizers));
        s.put("batch", String.valueOf(batch));
        s.put("normalize", normalize);
        s.put("seed", String.valueOf(seed));
        s.put("train_examples", String.valueOf(train.size()));
        return s;
    }

    private Dataset[] loadData() throws IOException {
        Dataset train;
        Dataset test;
        if (csv != null) {
            CsvReader reader = CsvReader.builder().header(true).build();
            Dataset all = reader.read(csv);
            if (testCsv != null) {
                train = all;
                test = reader.read(testCsv);
            } else {
                int cut = Math.max(1, (int) (all.size() * 0.8));
                train = all.subset(0, cut);
                test = all.subset(cut, all.size());
            }
        } else {
            FashionMnist f = FashionMnist.load(data);
            train = f.train();
            test = f.test();
        }
        if (limit != null && limit < train.size()) train = train.subset(0, limit);
        switch (normalize.toLowerCase(Locale.ROOT)) {
            case "standardize" -> {
                Standardizer s = Standardizer.fit(train);
                train = s.apply(train);
                test = s.apply(test);
            }
            case "none" -> { }
            default -> throw new IllegalArgumentException("--normalize must be standardize or none, got '" + normalize + "'");
        }
        if (train.numClasses() < 2) {
            throw new IllegalArgumentException("the labels must be integer classes 0..K-1 with K >= 2; got " + train.numClasses() + " classes");
        }
        return new Dataset[] {train, test};
    }

    /** Prints one line per epoch. */
    private record EpochReporter(PrintWriter out) implements TrainingCallback {
        @Override
        public void onEpochEnd(Trainer trainer, EpochMetrics m) {
            out.printf(Locale.ROOT, "epoch %2d  loss %.4f  penalty %.4g  train acc %.4f  test loss %.4f  test acc %.4f  sparsity %.3f  %.1fs  %.0f ex/s%n",
                    m.epoch(), m.trainLoss(), m.totalPenalty(), m.trainAccuracy(), m.validationLoss(), m.validationAccuracy(),
                    m.overallSparsity(), m.seconds(), m.examplesPerSecond());
            out.flush();
        }
    }

    /** Redraws one progress line on standard error while an epoch runs. */
    private static final class ProgressLine implements TrainingCallback {
        private final PrintWriter err;
        private long lastDraw;

        ProgressLine(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void onBatchEnd(Trainer trainer, long step, double loss, int done, int total) {
            long now = System.nanoTime();
            if (done != total && now - lastDraw < 250_000_000L) return;
            lastDraw = now;
            int width = 30;
            int filled = (int) ((long) width * done / total);
            err.printf(Locale.ROOT, "\r  epoch %d [%s%s] %d/%d loss %.4f%s", trainer.epoch() + 1, "=".repeat(filled),
                    " ".repeat(width - filled), done, total, loss, done == total ? "\r" + " ".repeat(70) + "\r" : "");
            err.flush();
        }
    }

    /** After every epoch: append the metrics, then write the checkpoint atomically. */
    private record EpochSaver(MetricsLog log, Path checkpoint, Map<String, String> settings) implements TrainingCallback {
        @Override
        public void onEpochEnd(Trainer trainer, EpochMetrics m) {
            log.write(m);
            try {
                Resume.save(checkpoint, trainer, settings);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write checkpoint " + checkpoint + ": " + e.getMessage(), e);
            }
        }
    }
}
