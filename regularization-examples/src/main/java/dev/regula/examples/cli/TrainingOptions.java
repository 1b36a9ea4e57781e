package dev.regula.examples.cli;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.core.data.CsvReader;
import dev.regula.core.data.Dataset;
import dev.regula.core.data.FashionMnist;
import dev.regula.core.data.Standardizer;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.core.train.EvalWeights;
import dev.regula.core.train.NanPolicy;
import dev.regula.core.train.TrainingConfig;
import dev.regula.examples.progress.ProgressMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options shared by {@code regula train} and {@code regula compare} (a picocli mixin): data,
 * model, optimizer, epochs, batch, seed, threads and the rest of one training recipe, and how to
 * turn them into data sets, a model and a {@link TrainingConfig}.
 */
final class TrainingOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST IDX folder (default: ${DEFAULT-VALUE}, from Debian's dataset-fashion-mnist)",
            defaultValue = "/usr/share/datasets/fashion-mnist")
    Path data;

    @Option(names = "--csv", paramLabel = "FILE", description = "train on a numeric CSV instead (header row, label in the last column)")
    Path csv;

    @Option(names = "--test-csv", paramLabel = "FILE", description = "test set for --csv (default: the last 20%% of --csv)")
    Path testCsv;

    @Option(names = "--model", paramLabel = "SPEC", defaultValue = "mlp(hidden=256x256)", description = "model spec (default: ${DEFAULT-VALUE})")
    String model;

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

    private Kernels kernels;

    @Option(names = "--limit", paramLabel = "N", description = "use only the first N training examples (quick runs)")
    Integer limit;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "label smoothing of the cross-entropy (default: ${DEFAULT-VALUE})")
    double labelSmoothing;

    @Option(names = "--normalize", defaultValue = "standardize",
            description = "input scaling: standardize (mean/std of the training set) or none (default: ${DEFAULT-VALUE})")
    String normalize;

    @Option(names = "--nan", defaultValue = "stop", description = "on NaN/Inf: stop or skip-step (default: ${DEFAULT-VALUE})")
    String nan;

    @Option(names = "--eval-weights", defaultValue = "live", paramLabel = "WHICH",
            description = "weights to evaluate with: live, or ema / swa, the average kept by an ema(...) or swa(...) regularizer (default: ${DEFAULT-VALUE})")
    String evalWeights;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE",
            description = "progress display: auto (a bar on a terminal, a plain line every 10 s otherwise), bar, lines or none (default: ${DEFAULT-VALUE})")
    String progress;

    /** The training and test sets, scaled as asked. */
    record Data(Dataset train, Dataset test) {
        int[] inputShape() {
            return Arrays.copyOfRange(train.features().shape(), 1, train.features().rank());
        }
    }

    /** Checks the numeric options; throws {@link IllegalArgumentException} naming the bad one. */
    void validate() {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
        if (threads != null && threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        nanPolicy();
        progressMode();
        evalWeights();
    }

    EvalWeights evalWeights() {
        try {
            return EvalWeights.parse(evalWeights);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--eval-weights: " + e.getMessage(), e);
        }
    }

    /**
     * @param regularizers a run's regularizer specs
     * @return whether they keep the average {@code --eval-weights} names (always true for live)
     */
    boolean averages(List<String> regularizers) {
        EvalWeights w = evalWeights();
        return w == EvalWeights.LIVE || regularizers.stream().map(Regularizers::create)
                .anyMatch(r -> r instanceof WeightAverager a && a.kind().equals(w.word()));
    }

    ProgressMode progressMode() {
        return ProgressMode.parse(progress);
    }

    NanPolicy nanPolicy() {
        return switch (nan.toLowerCase(Locale.ROOT)) {
            case "stop" -> NanPolicy.STOP;
            case "skip-step" -> NanPolicy.SKIP_STEP;
            default -> throw new IllegalArgumentException("--nan must be stop or skip-step, got '" + nan + "'");
        };
    }

    /**
     * @param regularizers regularizer specs
     * @return a builder with this recipe and those regularizers (add callbacks, then build)
     */
    TrainingConfig.Builder config(List<String> regularizers) {
        TrainingConfig.Builder builder = TrainingConfig.builder().optimizer(optimizer)
                .loss(new SoftmaxCrossEntropy(labelSmoothing)).epochs(epochs).batchSize(batch).seed(seed)
                .kernels(kernels()).nanPolicy(nanPolicy());
        for (String r : regularizers) builder.regularizer(r);
        return builder;
    }

    /**
     * The kernels for {@code --threads}, created on first use and shared by every configuration
     * of this command. The commands ask for them before reading the data, so that the SIMD
     * kernels' JIT warm-up runs while the data is read instead of during the first epoch.
     *
     * @return the selected kernels
     */
    Kernels kernels() {
        if (kernels == null) kernels = KernelsSelection.create(threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        return kernels;
    }

    /**
     * @param data the data (for input shape and classes)
     * @return a freshly initialised model from {@code --model} and {@code --seed}
     */
    Model model(Data data) {
        return Models.installed().parse(model).build(data.inputShape(), data.train().numClasses(), seed);
    }

    /**
     * @param regularizers the run's regularizer specs
     * @param train the training set
     * @return the settings a resumed run must share with the saved one
     */
    Map<String, String> settings(List<String> regularizers, Dataset train) {
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

    /**
     * Reads the data: {@code --csv} (with {@code --test-csv} or an 80/20 split) or Fashion-MNIST
     * from {@code --data}, cut to {@code --limit}, scaled by {@code --normalize}.
     *
     * @return the data
     * @throws IOException if a file cannot be read
     */
    Data load() throws IOException {
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
        return new Data(train, test);
    }
}
