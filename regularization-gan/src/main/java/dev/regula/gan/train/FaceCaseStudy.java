package dev.regula.gan.train;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Batches;
import dev.regula.core.io.JsonText;
import dev.regula.core.layer.Sequential;
import dev.regula.gan.celeba.CelebaLoader;
import dev.regula.gan.eval.GanEvaluator;
import dev.regula.gan.eval.GanScores;
import dev.regula.gan.faces.FaceDataset;
import dev.regula.gan.faces.SyntheticFaces;
import dev.regula.gan.features.FaceFeatures;
import dev.regula.gan.image.ImageGrid;
import dev.regula.gan.prior.PriorGuidedPenalty;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The face-generation case study: one conditional DCGAN run per penalty strength λ, all with the
 * same seed, data, initial weights and latents, so that the runs differ only by the prior-guided
 * penalty; then an ablation table against the real-vs-real baseline.
 *
 * <p>Files written under {@link Config#output()}:
 * <ul>
 *   <li>{@code real.png}: 8×8 real faces of the held-out set; the first column holds the faces whose
 *       features c condition the rows of every sample grid;</li>
 *   <li>{@code lambda-<λ>/samples-<iteration>.png}: 8×8 generated faces every {@code sampleEvery}
 *       iterations and at the end, with the same z and c in every grid of every run (row r: c of real
 *       face r of the first column of {@code real.png}; column: one fixed z), drawn by the
 *       {@link GeneratorAverage} of G's weights unless {@link Config#emaDecay()} is 0;</li>
 *   <li>{@code lambda-<λ>/metrics.jsonl}: one JSON object per {@code logEvery} iterations with
 *       {@code iteration}, means since the previous line of {@code d_loss}, {@code g_loss},
 *       {@code penalty}, {@code feature_error} (training batches), {@code d_real}, {@code d_fake}, and
 *       {@code seconds}; evaluation lines add {@code eval_feature_error}, {@code attribute_accuracy},
 *       {@code frechet} and {@code kid} on the held-out conditions;</li>
 *   <li>{@code lambda-<λ>/gan.safetensors}: the final G and D ({@link GanCheckpoint});</li>
 *   <li>{@code ablation.md}, {@code ablation.json}: the final scores per λ and the baseline.</li>
 * </ul>
 * The library prints nothing; progress goes to a {@link CaseStudyListener}.
 */
public final class FaceCaseStudy {
    private static final int GRID = 8;

    private final Config config;

    /** @param config the configuration */
    public FaceCaseStudy(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** @return the configuration */
    public Config config() {
        return config;
    }

    /**
     * Runs the study.
     *
     * @param listener receives progress events
     * @return the final scores
     * @throws IOException if data cannot be read or files cannot be written
     * @throws dev.regula.api.NumericalFaultException if a run diverges to NaN or Inf
     * @throws dev.regula.api.spec.SpecException if a regularizer or optimizer spec is invalid
     */
    public CaseStudyResult run(CaseStudyListener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        long start = System.nanoTime();
        // Parse the specs first so that a typo fails before minutes of work.
        regularizers(config.generatorRegularizers());
        regularizers(config.discriminatorRegularizers());
        Files.createDirectories(config.output());
        FaceDataset all = load(listener);
        int n = all.size();
        FaceDataset eval = all.subset(n - config.evalImages(), n);
        FaceDataset train = all.subset(0, n - config.evalImages());
        FaceFeatures phi = new FaceFeatures(config.imageSize());
        Tensor trainC = phi.extract(train.images());
        Tensor evalC = phi.extract(eval.images());
        listener.onPhase("training the evaluation classifier on " + eval.size() / 2 + " real faces");
        GanEvaluator evaluator = new GanEvaluator(eval.images(), eval.labels(), phi, config.seed(), config.classifierEpochs());
        Tensor gridC = gridConditions(evalC);
        ImageGrid.writePng(rows(eval.images(), range(GRID * GRID)), GRID, upscale(), config.output().resolve("real.png"));
        Kernels kernels = KernelsSelection.create(config.threads());
        List<CaseStudyResult.Run> runs = new ArrayList<>();
        for (int r = 0; r < config.lambdas().size(); r++) {
            double lambda = config.lambdas().get(r);
            listener.onRunStart(lambda, r, config.lambdas().size(), config.iterations());
            CaseStudyResult.Run run = train(lambda, train, trainC, eval, evalC, gridC, evaluator, phi, kernels, listener);
            runs.add(run);
            listener.onRunEnd(run);
        }
        CaseStudyResult result = new CaseStudyResult(evaluator.realBaseline(), runs, (System.nanoTime() - start) / 1e9,
                config.output());
        Ablation.write(config, kernels.name(), result);
        return result;
    }

    private CaseStudyResult.Run train(double lambda, FaceDataset train, Tensor trainC, FaceDataset eval, Tensor evalC,
                                      Tensor gridC, GanEvaluator evaluator, FaceFeatures phi, Kernels kernels,
                                      CaseStudyListener listener) throws IOException {
        long start = System.nanoTime();
        Path dir = config.output().resolve("lambda-" + Ablation.format(lambda));
        Files.createDirectories(dir);
        int d = phi.dimension();
        Sequential g = Dcgan.generator(config.imageSize(), config.latent(), d, config.width(), config.seed(), config.upsampling());
        Sequential dis = Dcgan.discriminator(config.imageSize(), config.width(), config.seed());
        GanTrainer trainer = GanTrainer.builder(g, dis)
                .latent(config.latent())
                .penalty(new PriorGuidedPenalty(Schedule.constant(lambda), phi))
                .generatorOptimizer(config.optimizer())
                .discriminatorOptimizer(config.optimizer())
                .generatorRegularizers(regularizers(config.generatorRegularizers()))
                .discriminatorRegularizers(regularizers(config.discriminatorRegularizers()))
                .seed(config.seed())
                .kernels(kernels)
                .build();
        double emaDecay = config.emaDecay();
        GeneratorAverage ema = emaDecay == 0 ? null : new GeneratorAverage(trainer.generator(),
                Dcgan.generator(config.imageSize(), config.latent(), d, config.width(), config.seed(), config.upsampling()), emaDecay);
        Tensor gridZ = GanTrainer.latents(config.seed(), "gan.samples", 0, GRID * GRID, config.latent());
        Tensor evalZ = GanTrainer.latents(config.seed(), "gan.eval", 0, eval.size(), config.latent());
        int batch = config.batchSize();
        int perEpoch = train.size() / batch;
        Batches batches = new Batches(train.size(), batch, config.seed(), true);
        int[] order = null;
        GanScores last = null;
        Means means = new Means();
        try (Writer metrics = Files.newBufferedWriter(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            for (int it = 0; it < config.iterations(); it++) {
                int epoch = it / perEpoch;
                int b = it % perEpoch;
                if (b == 0) order = batches.order(epoch);
                int[] idx = Arrays.copyOfRange(order, b * batch, (b + 1) * batch);
                GanStep s = trainer.step(rows(train.images(), idx), rows(trainC, idx), epoch);
                if (ema != null) ema.update();
                means.add(s);
                listener.onIteration(lambda, s);
                long done = s.step();
                boolean evaluate = done % config.sampleEvery() == 0 || done == config.iterations();
                if (!evaluate && done % config.logEvery() != 0) continue;
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("iteration", done);
                means.putInto(line);
                if (evaluate) {
                    Tensor grid = ema == null ? trainer.generate(gridZ, gridC)
                            : ema.generate(GanTrainer.concatColumns(gridZ, gridC), kernels);
                    ImageGrid.writePng(grid, GRID, upscale(), dir.resolve("samples-" + done + ".png"));
                    last = evaluator.score(generate(trainer, ema, kernels, evalZ, evalC), evalC, eval.labels());
                    line.put("eval_feature_error", last.featureError());
                    line.put("attribute_accuracy", last.attributeAccuracy());
                    line.put("frechet", last.frechet());
                    line.put("kid", last.kid());
                    listener.onEvaluation(lambda, done, last);
                }
                line.put("seconds", (System.nanoTime() - start) / 1e9);
                metrics.write(JsonText.write(line));
                metrics.write('\n');
                metrics.flush();
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("lambda", Double.toString(lambda));
        meta.put("iterations", Long.toString(trainer.step()));
        meta.put("image_size", Integer.toString(config.imageSize()));
        meta.put("width", Integer.toString(config.width()));
        meta.put("upsampling", config.upsampling().name().toLowerCase(Locale.ROOT));
        meta.put("latent", Integer.toString(config.latent()));
        meta.put("ema_decay", Double.toString(config.emaDecay()));
        meta.put("condition_dim", Integer.toString(d));
        meta.put("seed", Long.toString(config.seed()));
        meta.put("data", config.data());
        GanCheckpoint.save(dir.resolve("gan.safetensors"), trainer.generator(), trainer.discriminator(), meta);
        return new CaseStudyResult.Run(lambda, trainer.step(), last, (System.nanoTime() - start) / 1e9, dir);
    }

    /** Generates in chunks, so that EVAL buffers stay small. */
    private static Tensor generate(GanTrainer trainer, GeneratorAverage ema, Kernels kernels, Tensor z, Tensor c) {
        int n = z.dim(0);
        Tensor first = null;
        float[] out = null;
        int chunk = 256;
        for (int from = 0; from < n; from += chunk) {
            int[] idx = range(from, Math.min(n, from + chunk));
            Tensor part = ema == null ? trainer.generate(rows(z, idx), rows(c, idx))
                    : ema.generate(GanTrainer.concatColumns(rows(z, idx), rows(c, idx)), kernels);
            if (first == null) {
                first = part;
                out = new float[n * part.rowSize()];
            }
            System.arraycopy(part.data(), 0, out, from * part.rowSize(), part.size());
        }
        int[] shape = first.shape();
        shape[0] = n;
        return Tensor.wrap(out, shape);
    }

    private FaceDataset load(CaseStudyListener listener) throws IOException {
        int wanted = config.trainImages() + config.evalImages();
        FaceDataset all;
        if (config.data().equals("synthetic")) {
            listener.onPhase("rendering " + wanted + " synthetic faces of " + config.imageSize() + "x" + config.imageSize());
            all = SyntheticFaces.generate(wanted, config.imageSize(), config.seed());
        } else {
            Path root = Path.of(config.data().substring("celeba:".length()));
            listener.onPhase("loading up to " + wanted + " CelebA faces from " + root);
            all = CelebaLoader.load(root, config.imageSize(), wanted);
        }
        if (all.size() < config.evalImages() + config.batchSize()) {
            throw new IllegalArgumentException("the data has " + all.size() + " faces; the study needs at least evalImages + batch = "
                    + (config.evalImages() + config.batchSize()));
        }
        return all;
    }

    /** Row r of the grid is conditioned on c of held-out face GRID·r (first column of real.png). */
    private static Tensor gridConditions(Tensor evalC) {
        int[] idx = new int[GRID * GRID];
        for (int i = 0; i < idx.length; i++) idx[i] = (i / GRID) * GRID;
        return rows(evalC, idx);
    }

    private int upscale() {
        return Math.max(1, 64 / config.imageSize());
    }

    private static List<Regularizer> regularizers(List<String> specs) {
        Regularizers installed = Regularizers.installed();
        return specs.stream().map(installed::parse).toList();
    }

    static int[] range(int n) {
        return range(0, n);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    /** Gathers rows (examples) of a tensor. */
    static Tensor rows(Tensor t, int[] idx) {
        int per = t.rowSize();
        float[] out = new float[idx.length * per];
        for (int i = 0; i < idx.length; i++) System.arraycopy(t.data(), idx[i] * per, out, i * per, per);
        int[] shape = t.shape();
        shape[0] = idx.length;
        return Tensor.wrap(out, shape);
    }

    /** Running means of the step metrics between two metric lines. */
    private static final class Means {
        private final double[] sums = new double[6];
        private int count;

        void add(GanStep s) {
            double[] v = {s.discriminatorLoss(), s.generatorLoss(), s.penalty(), s.featureError(), s.realScore(), s.fakeScore()};
            for (int i = 0; i < v.length; i++) sums[i] += v[i];
            count++;
        }

        void putInto(Map<String, Object> line) {
            String[] keys = {"d_loss", "g_loss", "penalty", "feature_error", "d_real", "d_fake"};
            for (int i = 0; i < keys.length; i++) line.put(keys[i], sums[i] / count);
            Arrays.fill(sums, 0);
            count = 0;
        }
    }

    /**
     * The configuration of the study; build it with {@link #builder()}.
     *
     * @param imageSize image side: 16, 32 or 64
     * @param iterations training iterations per run, ≥ 1
     * @param batchSize real (and fake) images per iteration, ≥ 2
     * @param width channel width of G and D (see {@link Dcgan}), a multiple of 4
     * @param latent length of z, ≥ 1
     * @param lambdas the penalty strengths, one run each, distinct, finite, ≥ 0
     * @param seed seed of data, initialisation, latents and batch order (the same for every run)
     * @param threads compute threads of the kernels, ≥ 1
     * @param output the output directory
     * @param data {@code synthetic} or {@code celeba:<directory>}
     * @param trainImages training faces, ≥ batchSize
     * @param evalImages held-out faces for evaluation, ≥ 64 (the evaluator trains on half of them)
     * @param sampleEvery iterations between sample grids and evaluations, ≥ 1 (also at the end)
     * @param logEvery iterations between metric lines, ≥ 1
     * @param optimizer the optimizer spec of both networks
     * @param generatorRegularizers regularizer specs on G's parameters
     * @param discriminatorRegularizers regularizer specs on D's parameters
     * @param classifierEpochs epochs of the evaluation classifier, ≥ 1
     * @param upsampling how G doubles the side of its feature maps
     * @param emaDecay β of the {@link GeneratorAverage} whose weights draw the sample grids and are
     *     evaluated, in [0, 1); 0 samples and evaluates the live generator (training is the same either way)
     */
    public record Config(int imageSize, int iterations, int batchSize, int width, int latent, List<Double> lambdas,
                         long seed, int threads, Path output, String data, int trainImages, int evalImages,
                         int sampleEvery, int logEvery, String optimizer, List<String> generatorRegularizers,
                         List<String> discriminatorRegularizers, int classifierEpochs, Dcgan.Upsampling upsampling,
                         double emaDecay) {
        /** Default image side. */
        public static final int DEFAULT_SIZE = 32;
        /**
         * Default iterations per run: two runs (λ = 0 and 1) with evaluations fit the 5-minute budget on
         * 2 cores with the SIMD kernels (about 0.035 s per iteration at width 64, batch 32; the default
         * study took 2 min 51 s on a nearly idle 2-core machine, 4 min 11 s on a busy one).
         */
        public static final int DEFAULT_ITERATIONS = 2500;
        /** Default batch size. */
        public static final int DEFAULT_BATCH = 32;
        /** Default width: half of the DCGAN's 128 channels. */
        public static final int DEFAULT_WIDTH = 64;
        /** Default penalty strengths: the unregularised run and λ = 1. */
        public static final List<Double> DEFAULT_LAMBDAS = List.of(0.0, 1.0);
        /**
         * Default regularizer of D: spectral norm ≤ 1 per layer. Without it the generator of the
         * short default run learns high-frequency patterns that fool D (D's scores sit at 0.5 while
         * the samples are noise, Fréchet 41 against 10 with it at 2,000 iterations).
         */
        public static final String DEFAULT_DISCRIMINATOR_REGULARIZER = "spectral-norm(max=1.0)";
        /** Default regularizers of D: {@value #DEFAULT_DISCRIMINATOR_REGULARIZER}. */
        public static final List<String> DEFAULT_DISCRIMINATOR_REGULARIZERS = List.of(DEFAULT_DISCRIMINATOR_REGULARIZER);

        /**
         * Default upsampling of G: DCGAN's ConvTranspose 4/2/1. {@link Dcgan.Upsampling#NEAREST} removes
         * the checkerboard texture of the samples but takes about 1.5 to 1.9 times as long per iteration,
         * which pushes the default study past its 5-minute budget (see the README's Face case study).
         */
        public static final Dcgan.Upsampling DEFAULT_UPSAMPLING = Dcgan.Upsampling.TRANSPOSE;

        /**
         * Default β of the generator's weight average used for samples and evaluation. At the default
         * 2,500 iterations it smooths the speckle of the grids and lowers λ = 1's Fréchet distance and
         * KID (5.2 / 0.11 against 6.4 / 0.15 for the live generator), at no measurable cost in time.
         */
        public static final double DEFAULT_EMA_DECAY = 0.999;

        /** Checks every component. */
        public Config {
            if (imageSize != 16 && imageSize != 32 && imageSize != 64) {
                throw new IllegalArgumentException("size must be 16, 32 or 64, got " + imageSize);
            }
            require(iterations >= 1, "iterations must be >= 1, got " + iterations);
            require(batchSize >= 2, "batch must be >= 2 (the generator's BatchNorm needs it), got " + batchSize);
            require(width >= 4 && width % 4 == 0, "width must be a multiple of 4 and >= 4, got " + width);
            require(latent >= 1, "latent must be >= 1, got " + latent);
            lambdas = List.copyOf(lambdas);
            require(!lambdas.isEmpty(), "lambdas must not be empty");
            for (double l : lambdas) require(Double.isFinite(l) && l >= 0, "every lambda must be finite and >= 0, got " + l);
            require(lambdas.stream().map(Ablation::format).distinct().count() == lambdas.size(),
                    "lambdas must be distinct, got " + lambdas);
            require(threads >= 1, "threads must be >= 1, got " + threads);
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(data, "data");
            require(data.equals("synthetic") || (data.startsWith("celeba:") && data.length() > 7),
                    "data must be 'synthetic' or 'celeba:<directory>', got '" + data + "'");
            require(trainImages >= batchSize, "trainImages must be >= batch (" + batchSize + "), got " + trainImages);
            require(evalImages >= GRID * GRID, "evalImages must be >= " + GRID * GRID + ", got " + evalImages);
            require(sampleEvery >= 1, "sampleEvery must be >= 1, got " + sampleEvery);
            require(logEvery >= 1, "logEvery must be >= 1, got " + logEvery);
            Objects.requireNonNull(optimizer, "optimizer");
            generatorRegularizers = List.copyOf(generatorRegularizers);
            discriminatorRegularizers = List.copyOf(discriminatorRegularizers);
            require(classifierEpochs >= 1, "classifierEpochs must be >= 1, got " + classifierEpochs);
            Objects.requireNonNull(upsampling, "upsampling");
            require(emaDecay >= 0 && emaDecay < 1, "emaDecay must be in [0, 1), got " + emaDecay);
        }

        private static void require(boolean ok, String message) {
            if (!ok) throw new IllegalArgumentException(message);
        }

        /** @return a builder with the defaults of the case study */
        public static Builder builder() {
            return new Builder();
        }
    }

    /** Builds a {@link Config}; every setter has the default of the case study. */
    public static final class Builder {
        private int imageSize = Config.DEFAULT_SIZE;
        private int iterations = Config.DEFAULT_ITERATIONS;
        private int batchSize = Config.DEFAULT_BATCH;
        private int width = Config.DEFAULT_WIDTH;
        private int latent = 64;
        private List<Double> lambdas = Config.DEFAULT_LAMBDAS;
        private long seed = 1;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Path output = Path.of("gan-out");
        private String data = "synthetic";
        private int trainImages = 8192;
        private int evalImages = 1024;
        private int sampleEvery = 500;
        private int logEvery = 25;
        private String optimizer = GanTrainer.DEFAULT_OPTIMIZER;
        private List<String> generatorRegularizers = List.of();
        private List<String> discriminatorRegularizers = Config.DEFAULT_DISCRIMINATOR_REGULARIZERS;
        private int classifierEpochs = GanEvaluator.DEFAULT_EPOCHS;
        private Dcgan.Upsampling upsampling = Config.DEFAULT_UPSAMPLING;
        private double emaDecay = Config.DEFAULT_EMA_DECAY;

        private Builder() {
        }

        /** @param v image side, 16, 32 (default) or 64 @return this */
        public Builder imageSize(int v) { imageSize = v; return this; }

        /** @param v iterations per run (default {@value Config#DEFAULT_ITERATIONS}) @return this */
        public Builder iterations(int v) { iterations = v; return this; }

        /** @param v batch size (default {@value Config#DEFAULT_BATCH}) @return this */
        public Builder batchSize(int v) { batchSize = v; return this; }

        /** @param v channel width (default {@value Config#DEFAULT_WIDTH}) @return this */
        public Builder width(int v) { width = v; return this; }

        /** @param v length of z (default 64) @return this */
        public Builder latent(int v) { latent = v; return this; }

        /** @param v penalty strengths, one run each (default 0 and 1) @return this */
        public Builder lambdas(List<Double> v) { lambdas = v; return this; }

        /** @param v the seed (default 1) @return this */
        public Builder seed(long v) { seed = v; return this; }

        /** @param v compute threads (default: available processors) @return this */
        public Builder threads(int v) { threads = v; return this; }

        /** @param v output directory (default {@code gan-out}) @return this */
        public Builder output(Path v) { output = v; return this; }

        /** @param v {@code synthetic} (default) or {@code celeba:<directory>} @return this */
        public Builder data(String v) { data = v; return this; }

        /** @param v training faces (default 8192) @return this */
        public Builder trainImages(int v) { trainImages = v; return this; }

        /** @param v held-out evaluation faces (default 1024) @return this */
        public Builder evalImages(int v) { evalImages = v; return this; }

        /** @param v iterations between sample grids and evaluations (default 500) @return this */
        public Builder sampleEvery(int v) { sampleEvery = v; return this; }

        /** @param v iterations between metric lines (default 25) @return this */
        public Builder logEvery(int v) { logEvery = v; return this; }

        /** @param v optimizer spec of G and D (default {@value GanTrainer#DEFAULT_OPTIMIZER}) @return this */
        public Builder optimizer(String v) { optimizer = v; return this; }

        /** @param v regularizer specs for G's parameters (default none) @return this */
        public Builder generatorRegularizers(List<String> v) { generatorRegularizers = v; return this; }

        /** @param v regularizer specs for D's parameters (default {@value Config#DEFAULT_DISCRIMINATOR_REGULARIZER}) @return this */
        public Builder discriminatorRegularizers(List<String> v) { discriminatorRegularizers = v; return this; }

        /** @param v epochs of the evaluation classifier (default {@value GanEvaluator#DEFAULT_EPOCHS}) @return this */
        public Builder classifierEpochs(int v) { classifierEpochs = v; return this; }

        /** @param v how G doubles its feature maps (default {@link Config#DEFAULT_UPSAMPLING}) @return this */
        public Builder upsampling(Dcgan.Upsampling v) { upsampling = v; return this; }

        /** @param v β of the sampling weight average, 0 for none (default {@value Config#DEFAULT_EMA_DECAY}) @return this */
        public Builder emaDecay(double v) { emaDecay = v; return this; }

        /** @return the checked configuration @throws IllegalArgumentException naming a value out of range */
        public Config build() {
            return new Config(imageSize, iterations, batchSize, width, latent, lambdas, seed, threads, output, data,
                    trainImages, evalImages, sampleEvery, logEvery, optimizer, generatorRegularizers,
                    discriminatorRegularizers, classifierEpochs, upsampling, emaDecay);
        }
    }
}
