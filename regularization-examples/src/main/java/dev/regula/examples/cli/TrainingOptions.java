package dev.regula.examples.cli;

import dev.regula.api.CorruptDataException;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.loss.Loss;
import dev.regula.core.data.ColumnStandardizer;
import dev.regula.core.data.CsvReader;
import dev.regula.core.data.Dataset;
import dev.regula.core.data.Diabetes;
import dev.regula.core.data.FashionMnist;
import dev.regula.core.data.PolynomialFeatures;
import dev.regula.core.data.RegressionTargets;
import dev.regula.core.data.Splits;
import dev.regula.core.data.Standardizer;
import dev.regula.core.loss.HuberLoss;
import dev.regula.core.loss.MeanSquaredError;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.core.train.EvalWeights;
import dev.regula.core.train.NanPolicy;
import dev.regula.core.train.TrainingConfig;
import dev.regula.progress.ProgressMode;
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
    /** The default of {@code --data}. */
    static final String FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

    /** The command these options are mixed into, to tell an option given from its default. */
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST IDX folder (default: ${DEFAULT-VALUE}, from Debian's dataset-fashion-mnist)",
            defaultValue = FASHION_MNIST)
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

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME",
            description = "fashion-mnist (IDX files in --data) or diabetes (scikit-learn's regression data from Debian's python3-sklearn,"
                    + " read from " + "/usr/lib/python3/dist-packages/sklearn/datasets/data or --data) (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--loss", defaultValue = "cross-entropy", paramLabel = "NAME",
            description = "cross-entropy (classes), mse or huber (real targets; huber has delta 1) (default: ${DEFAULT-VALUE})")
    String loss;

    @Option(names = "--poly", defaultValue = "1", paramLabel = "DEGREE",
            description = "expand vector features into all monomials up to DEGREE, as scikit-learn's PolynomialFeatures (default: ${DEFAULT-VALUE})")
    int poly;

    @Option(names = "--validation", paramLabel = "FRACTION",
            description = "hold out this fraction of the training set (shuffled by --seed) to monitor training; the test set is then used once, at the end")
    Double validation;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE",
            description = "progress display: auto (a bar on a terminal, a plain line every 10 s otherwise), bar, lines or none (default: ${DEFAULT-VALUE})")
    String progress;

    /**
     * The training, validation and test sets, scaled as asked.
     *
     * @param train the training set
     * @param validation the held-out part of the training data, or null without {@code --validation}
     * @param test the test set
     * @param targets for regression, how the targets were scaled (errors are reported in their units)
     */
    record Data(Dataset train, Dataset validation, Dataset test, RegressionTargets targets) {
        Data(Dataset train, Dataset test) {
            this(train, null, test, RegressionTargets.IDENTITY);
        }

        int[] inputShape() {
            return Arrays.copyOfRange(train.features().shape(), 1, train.features().rank());
        }

        /** @return the set watched during training: the validation set if any, else the test set */
        Dataset monitor() {
            return validation != null ? validation : test;
        }

        /** @return {@code val} or {@code test}, the name of {@link #monitor()} */
        String monitorName() {
            return validation != null ? "val" : "test";
        }

        boolean regression() {
            return train.numClasses() == 0;
        }
    }

    /** Checks the numeric options; throws {@link IllegalArgumentException} naming the bad one. */
    void validate() {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
        SizeLimits.threads(threads);
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("--label-smoothing must be in [0, 1), got " + labelSmoothing);
        }
        nanPolicy();
        progressMode();
        evalWeights();
        lossFunction();
        if (poly < 1 || poly > PolynomialFeatures.MAX_DEGREE) {
            throw new IllegalArgumentException("--poly must be in [1, " + PolynomialFeatures.MAX_DEGREE + "], got " + poly);
        }
        if (validation != null && !(validation > 0 && validation < 1)) {
            throw new IllegalArgumentException("--validation must be a fraction strictly between 0 and 1 (e.g. 0.2), got " + validation
                    + "; 0 would leave nothing to validate on, 1 nothing to train on");
        }
        String d = dataset.toLowerCase(Locale.ROOT);
        if (!d.equals("fashion-mnist") && !d.equals("diabetes")) {
            throw new IllegalArgumentException("--dataset must be fashion-mnist or diabetes, got '" + dataset + "'");
        }
        // one source of data: an option that another would silently override is refused
        if (testCsv != null && csv == null) {
            throw new IllegalArgumentException("--test-csv " + testCsv + " needs --csv (the training CSV it is the test set of)");
        }
        if (csv != null && d.equals("diabetes")) {
            throw new IllegalArgumentException("--csv and --dataset diabetes are two sources of data; give one of them");
        }
        if (csv != null && (given("--data") || !data.equals(Path.of(FASHION_MNIST)))) {
            throw new IllegalArgumentException("--csv and --data (a Fashion-MNIST folder) are two sources of data; give one of them");
        }
        if (labelSmoothing != 0 && regression()) {
            throw new IllegalArgumentException("--label-smoothing smooths class labels of the cross-entropy; it does not apply to --loss "
                    + loss);
        }
    }

    /** @return true for a loss on real targets (mse, huber) */
    boolean regression() {
        return !(lossFunction() instanceof SoftmaxCrossEntropy);
    }

    Loss lossFunction() {
        return switch (loss.toLowerCase(Locale.ROOT)) {
            case "cross-entropy" -> new SoftmaxCrossEntropy(labelSmoothing);
            case "mse" -> new MeanSquaredError();
            case "huber" -> new HuberLoss(1);
            default -> throw new IllegalArgumentException("--loss must be cross-entropy, mse or huber, got '" + loss + "'");
        };
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
        return parseProgress(progress);
    }

    /**
     * @param text the {@code --progress} value
     * @return the mode
     * @throws IllegalArgumentException naming the option and the allowed values
     */
    static ProgressMode parseProgress(String text) {
        try {
            return ProgressMode.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--progress must be auto, bar, lines or none, got '" + text + "'", e);
        }
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
                .loss(lossFunction()).epochs(epochs).batchSize(batch).seed(seed)
                .kernels(kernels()).nanPolicy(nanPolicy());
        for (String r : regularizers) builder.regularizer(r);
        return builder;
    }

    /** @return the names, the first ten and a count of the rest when there are more */
    private static String shortList(List<String> names) {
        return names.size() <= 10 ? names.toString() : names.subList(0, 10) + " and " + (names.size() - 10) + " more";
    }

    /** @return whether the option was on the command line (not only its default) */
    boolean given(String option) {
        return mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null
                && mixee.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * The kernels for {@code --threads}, created on first use and shared by every configuration
     * of this command. The commands ask for them before reading the data, so that the SIMD
     * kernels' JIT warm-up runs while the data is read instead of during the first epoch.
     *
     * @return the selected kernels
     */
    Kernels kernels() {
        if (kernels == null) kernels = KernelsSelection.create(SizeLimits.threads(threads));
        return kernels;
    }

    /**
     * @param data the data (for input shape and classes)
     * @return a freshly initialised model from {@code --model} and {@code --seed}
     */
    Model model(Data data) {
        return model(data, model);
    }

    /**
     * @param data the data (for input shape and classes)
     * @param spec a model spec
     * @return a freshly initialised model from {@code spec} and {@code --seed}
     */
    Model model(Data data, String spec) {
        int outputs = data.regression() ? data.train().labels().dim(1) : data.train().numClasses();
        Model built = Models.installed().parse(spec).build(data.inputShape(), outputs, seed);
        SizeLimits.activations(built, batch, spec);
        return built;
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
        // a checkpoint written before these options lacks them and means their default (Resume.DEFAULTS_WHEN_ABSENT);
        // before train_examples and train_data, which they change, so that a refusal names the option itself
        s.put("loss", loss.toLowerCase(Locale.ROOT));
        s.put("poly", String.valueOf(poly));
        s.put("validation", validation == null ? "none" : String.valueOf(validation));
        s.put("dataset", dataset.toLowerCase(Locale.ROOT));
        s.put("label_smoothing", String.valueOf(labelSmoothing));
        s.put("train_examples", String.valueOf(train.size()));
        s.put("train_data", fingerprint(train));
        return s;
    }

    /**
     * @param d a data set
     * @return a CRC-32C of its features' and labels' float bits, in hexadecimal: another file of
     *     the same length (or the same file edited) gives another value, so a resume notices it
     */
    static String fingerprint(Dataset d) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
        for (float[] values : List.of(d.features().data(), d.labels().data())) {
            for (int i = 0; i < values.length; ) {
                buf.clear();
                java.nio.FloatBuffer f = buf.asFloatBuffer();
                int n = Math.min(f.capacity(), values.length - i);
                f.put(values, i, n);
                crc.update(buf.array(), 0, n * Float.BYTES);
                i += n;
            }
        }
        return Long.toHexString(crc.getValue());
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
        String source;
        boolean regression = regression();
        if (dataset.equalsIgnoreCase("diabetes")) {
            Path dir = data.equals(Path.of(FASHION_MNIST)) ? Diabetes.DEBIAN_DIR : data;
            Dataset all = Diabetes.load(dir);
            int cut = Math.max(1, (int) (all.size() * 0.8));
            train = all.subset(0, cut);
            test = all.subset(cut, all.size());
            source = "--dataset diabetes";
        } else if (csv != null) {
            // classification requires class-index labels (a bad one is named with its line); regression reads real targets
            CsvReader reader = CsvReader.builder().header(true).classLabels(!regression).build();
            Dataset all;
            try {
                all = reader.read(csv);
                test = testCsv != null ? reader.read(testCsv) : null;
            } catch (CorruptDataException e) {
                if (regression || !e.getMessage().contains("is not a class index")) throw e;
                throw new CorruptDataException(e.getMessage() + "; for real-valued targets use --loss mse or --loss huber", e);
            }
            if (!regression) requireClassesWithinRows(csv, all);
            if (test != null && test.size() > 0 && all.size() > 0
                    && !java.util.Arrays.equals(test.features().shape(), 1, test.features().rank(), all.features().shape(), 1,
                            all.features().rank())) {
                throw new CorruptDataException("--test-csv " + testCsv + " has " + (test.features().size() / test.size())
                        + " feature columns but --csv " + csv + " has " + (all.features().size() / all.size())
                        + "; both files need the same columns");
            }
            if (testCsv != null) {
                // as many columns is not enough: the same names in the same order, or the model reads others
                List<String> trainColumns = reader.columnNames(csv);
                List<String> testColumns = reader.columnNames(testCsv);
                if (!trainColumns.equals(testColumns)) {
                    throw new CorruptDataException("--test-csv " + testCsv + " has the columns " + shortList(testColumns) + " but --csv "
                            + csv + " has " + shortList(trainColumns) + "; both files need the same columns in the same order");
                }
                train = all;
            } else {
                if (all.size() < 2) {
                    throw new CorruptDataException("--csv " + csv + " has " + all.size() + " data row; the last 20% of it is the test set,"
                            + " so it needs at least 2 rows (or give --test-csv)");
                }
                int cut = Math.max(1, (int) (all.size() * 0.8));
                train = all.subset(0, cut);
                test = all.subset(cut, all.size());
            }
            source = "--csv " + csv;
        } else {
            FashionMnist f = FashionMnist.load(data, limit == null ? Long.MAX_VALUE : limit);
            train = f.train();
            test = f.test();
            source = "--data " + data;
        }
        if (limit != null && limit < train.size()) train = train.subset(0, limit);
        if (train.size() == 0) throw new CorruptDataException(source + ": the training set has no examples");
        if (test.size() == 0) {
            throw new CorruptDataException((testCsv != null ? "--test-csv " + testCsv : source) + ": the test set has no examples"
                    + " (its accuracy and loss would be NaN)");
        }
        if (!regression && train.numClasses() == 0) {
            throw new IllegalArgumentException("the data has real-valued targets; use --loss mse or --loss huber (cross-entropy needs classes)");
        }
        if (regression) {
            train = RegressionTargets.asTargets(train);
            test = RegressionTargets.asTargets(test);
        }
        if (poly > 1) {
            train = PolynomialFeatures.expand(train, poly);
            test = PolynomialFeatures.expand(test, poly);
            // a monomial of large inputs can leave float32: said here, naming the option, not as a NaN loss or mean later
            for (Dataset d : List.of(train, test)) {
                float[] x = d.features().data();
                for (float v : x) {
                    if (!Float.isFinite(v)) {
                        throw new CorruptDataException("--poly " + poly + ": a product of " + source + "'s features overflows float32 ("
                                + "a monomial reaches " + v + "); scale the inputs down or lower --poly");
                    }
                }
            }
        }
        Dataset held = null;
        if (validation != null) {
            Dataset[] parts = Splits.holdOut(train, validation, seed);
            train = parts[0];
            held = parts[1];
        }
        RegressionTargets targets = RegressionTargets.IDENTITY;
        switch (normalize.toLowerCase(Locale.ROOT)) {
            case "standardize" -> {
                if (regression) {
                    // tabular columns have their own units; the targets are scaled too (errors are reported in their units)
                    ColumnStandardizer s = ColumnStandardizer.fit(train);
                    targets = RegressionTargets.fit(train);
                    train = targets.apply(s.apply(train));
                    test = targets.apply(s.apply(test));
                    if (held != null) held = targets.apply(s.apply(held));
                } else {
                    Standardizer s = Standardizer.fit(train);
                    // the sets were loaded, cut or split for this run alone
                    train = s.applyInPlace(train);
                    test = s.applyInPlace(test);
                    if (held != null) held = s.applyInPlace(held);
                }
            }
            case "none" -> { }
            default -> throw new IllegalArgumentException("--normalize must be standardize or none, got '" + normalize + "'");
        }
        if (!regression) {
            float trainMax = maxLabel(train);
            float testMax = maxLabel(test);
            if (!twoClasses(train)) {
                throw new CorruptDataException(source + ": every training label is class " + (int) trainMax + "; classification"
                        + " needs labels of at least 2 classes 0..K-1 in the last column");
            }
            if (testMax > trainMax) {
                String testSource = testCsv != null ? "--test-csv " + testCsv
                        : csv != null ? source + " (its last 20%, the test set)" : source + " (its test set)";
                throw new CorruptDataException(testSource
                        + ": the test labels go up to class " + (int) testMax + " but the training labels only to " + (int) trainMax
                        + "; the model has one output per training class");
            }
        }
        return new Data(train, held, test, targets);
    }

    /** @return whether the examples' labels hold at least two different classes */
    private static boolean twoClasses(Dataset d) {
        float[] y = d.labels().data();
        for (float v : y) if (v != y[0]) return true;
        return false;
    }

    /** @return the largest class index among the examples' labels, −1 for none */
    private static float maxLabel(Dataset d) {
        float max = -1;
        for (float y : d.labels().data()) max = Math.max(max, y);
        return max;
    }

    /**
     * A label sets the model's outputs (one per class up to the largest label): a stray large
     * label (a typo, an id column) would build a model of millions of outputs. More classes than
     * the file has rows cannot be a class-index column; refused naming the line.
     */
    private static void requireClassesWithinRows(Path file, Dataset d) throws CorruptDataException {
        float[] y = d.labels().data();
        int at = -1;
        for (int i = 0; i < y.length; i++) if (at < 0 || y[i] > y[at]) at = i;
        if (at >= 0 && (long) y[at] + 1 > y.length) {
            throw new CorruptDataException(file + ": data row " + (at + 1) + " has the label " + (long) y[at] + ", which would make "
                    + ((long) y[at] + 1) + " classes for " + y.length + " rows; the last column must hold class indices 0..K-1"
                    + " (K at most the rows)");
        }
    }
}
