package dev.regula.gan.train;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Batches;
import dev.regula.core.io.JsonText;
import dev.regula.core.io.MemoryBudget;
import dev.regula.core.layer.Sequential;
import dev.regula.core.train.TrainingCheckpoint;
import dev.regula.gan.celeba.CelebaLoader;
import dev.regula.gan.eval.GanEvaluator;
import dev.regula.gan.eval.GanScores;
import dev.regula.gan.faces.FaceDataset;
import dev.regula.gan.faces.SyntheticFaces;
import dev.regula.gan.features.AttributeProbe;
import dev.regula.gan.image.ImageGrid;
import dev.regula.gan.prior.FacePrior;
import dev.regula.gan.prior.PriorGuidedPenalty;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The face-generation case study: a conditional DCGAN per run, where the generator receives a
 * <em>limited</em> prior c (a few binary face attributes, {@link Config#attributes()}) and may pay the
 * prior-guided penalty λ·Σ_k w_k·MSE(φ_k(G(z, c)), c_k) with φ a fixed linear probe; runs vary λ,
 * the prior's form (fixed or learnable weights) and the seed, and nothing else.
 *
 * <p>Data: the synthetic (or CelebA) faces are split into four disjoint sets: training faces, and
 * three evaluation sets: {@link Config#classifierImages()} faces for the classifier, and {@link Config#evalImages()}
 * each for the reference and held-out sets (
 * see {@link GanEvaluator}). The probe φ is fitted on the training faces. Generated faces are
 * evaluated on the labels of held-out faces only, measured as the baseline is: one image per
 * held-out face from its condition for the distribution scores, and 128 of those conditions × 8
 * latents for within-condition diversity.
 *
 * <p>Files written under {@link Config#output()}:
 * <ul>
 *   <li>{@code real.png}: 8×8 real held-out faces, row r showing faces with the attributes of row r
 *       of every sample grid;</li>
 *   <li>{@code <run>/samples-<iteration>.png} with {@code <run>} = {@code lambda-<λ>[-learnable]/seed-<s>}: 8×8
 *       generated faces, row r from condition r, column j from latent z_j (the same z and c in every grid),
 *       drawn by the {@link GeneratorAverage} of G's weights unless {@link Config#emaDecay()} is 0;</li>
 *   <li>{@code <run>/metrics.jsonl}: one JSON object per {@code logEvery} iterations with means of
 *       {@code d_loss}, {@code g_loss}, {@code penalty}, {@code feature_error}, {@code d_real},
 *       {@code d_fake}, {@code r1}, {@code pair_ratio} (with the {@link DiversityTerm}) and
 *       {@code seconds}; evaluation lines add the {@link GanScores};</li>
 *   <li>{@code <run>/gan.safetensors}: the final G and D ({@link GanCheckpoint});</li>
 *   <li>{@code ablation.md}, {@code ablation.json}: per run and per setting (mean ± sd over seeds)
 *       against the real-vs-real baseline.</li>
 * </ul>
 * The library prints nothing; progress goes to a {@link CaseStudyListener}.
 */
public final class FaceCaseStudy {
    private static final int GRID = 8;
    /** Batches of inputs that give the averaged generator its BatchNorm statistics before an evaluation. */
    private static final int STATISTICS_BATCHES = 32;
    /** Latents per condition of the diversity set. */
    static final int PER_CONDITION = 8;
    /** Conditions of the diversity set. */
    static final int DIVERSITY_CONDITIONS = 128;

    /** The state of a run to resume from, written at every evaluation ({@link TrainingCheckpoint}). */
    public static final String RESUME_STATE = "resume.safetensors";
    /** The generator average of a run to resume from, written with {@link #RESUME_STATE}. */
    public static final String RESUME_AVERAGE = "resume-ema.safetensors";
    /**
     * The average of the evaluation being saved: written before the state, renamed to
     * {@link #RESUME_AVERAGE} after it, so whenever a run is killed one of the two files pairs with
     * the state file on disk.
     */
    static final String NEXT_AVERAGE = "resume-ema-next.safetensors";

    private final Config config;
    private final boolean resume;

    /** @param config the configuration */
    public FaceCaseStudy(Config config) {
        this(config, false);
    }

    /**
     * @param config the configuration
     * @param resume whether each run continues from its {@value #RESUME_STATE}, if it has one
     *     (saved at its last evaluation): the run then ends bit-identical to an uninterrupted one,
     *     and its metrics keep the lines up to that point
     */
    public FaceCaseStudy(Config config, boolean resume) {
        this.config = Objects.requireNonNull(config, "config");
        this.resume = resume;
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
        checkRecipe(); // a typo or a combination the trainer refuses fails before minutes of work
        Files.createDirectories(config.output());
        // the study's own files are replaced whole (written beside, then moved): a folder or link in their place is refused
        for (String name : List.of("real.png", "ablation.md", "ablation.json", "curves.png")) requireReplaceable(config.output().resolve(name));
        if (resume) checkResumableRuns();
        warnOfOtherRuns(listener);
        FaceDataset all = load(listener);
        int e = config.evalImages();
        int n = all.size();
        FaceDataset train = all.subset(0, n - 2 * e - config.classifierImages());
        FaceDataset classifierSet = all.subset(n - 2 * e - config.classifierImages(), n - 2 * e);
        FaceDataset referenceSet = all.subset(n - 2 * e, n - e);
        FaceDataset heldOut = all.subset(n - e, n);
        List<String> attributes = config.attributes();
        Tensor trainC = FacePrior.conditions(train.labels(), attributes);
        // before the probe and the minutes of the evaluator's training: a group no condition can fill fails now
        ConditionGroups groups = conditionGroups(trainC);
        listener.onPhase("fitting the prior's probe on " + train.size() + " training faces");
        AttributeProbe probe = FacePrior.probe(train, attributes);
        listener.onPhase("training the evaluation classifier on " + classifierSet.size() + " other real faces");
        GanEvaluator evaluator = new GanEvaluator(classifierSet, referenceSet, heldOut, attributes, probe, config.seed(),
                config.classifierEpochs());
        Conditions evalConditions = evaluationConditions(evaluator);
        int[] gridRows = gridRows(evaluator.select(heldOut.labels()));
        ImageGrid.writePng(realGrid(heldOut, evaluator, gridRows), GRID, upscale(), config.output().resolve("real.png"));
        Tensor gridC = gridConditions(evaluator.select(heldOut.labels()), gridRows);
        List<RunKey> keys = runKeys();
        int parallel = parallelRuns(keys.size());
        Kernels kernels = KernelsSelection.create(config.threads() / parallel);
        RunBody body = (key, l) -> train(key, train, trainC, groups, probe, evaluator, evalConditions, gridC,
                parallel == 1 ? kernels : KernelsSelection.create(config.threads() / parallel), l);
        List<CaseStudyResult.Run> runs = parallel == 1 ? runInOrder(keys, body, listener) : runInWaves(keys, parallel, body, listener);
        CaseStudyResult result = new CaseStudyResult(evaluator.realBaseline(), runs, (System.nanoTime() - start) / 1e9,
                config.output());
        Ablation.write(config, parallel == 1 ? kernels.name() : kernels.name() + " x " + parallel + " runs at once", result,
                train.size());
        return result;
    }

    /**
     * Builds the networks and the trainer of the study's runs without training them, so that what
     * only they check is refused before a face is rendered or a file written: a spec that does not
     * parse, the prior-guided penalty among the generator's regularizers (the study sets it), a
     * gradient penalty given to G, R1 given both as {@code r1} and among D's regularizers, an
     * output regularizer given to D.
     *
     * @return one warning for each regularizer that would do nothing: its selector picks no
     *     parameter, or its layers find no place in the network
     * @throws IllegalArgumentException or {@link dev.regula.api.spec.SpecException} naming what is wrong
     * @throws dev.regula.core.data.DataNotFoundException if a CelebA folder given as data is missing
     * @throws IOException if such a folder cannot be listed
     */
    public List<String> checkRecipe() throws IOException {
        if (config.data().startsWith("celeba:")) { // a missing folder is found before the output folder is made
            dev.regula.gan.celeba.CelebaLoader.requirePresent(Path.of(config.data().substring("celeba:".length())));
        }
        List<Regularizer> gRegs = regularizers(config.generatorRegularizers());
        for (Regularizer r : gRegs) {
            if (r.name().equals("prior-guided")) {
                throw new IllegalArgumentException("--g-reg " + r.spec() + ": the study's prior penalty is set by its lambdas and"
                        + " priors (--lambda, --prior), which label every run; leave prior-guided out of the generator's regularizers");
            }
        }
        List<Regularizer> dRegs = regularizers(config.discriminatorRegularizers());
        dev.regula.api.optim.Optimizers.create(config.optimizer());
        int d = config.attributes().size();
        long seed = config.seed();
        Sequential g = generator(d, seed);
        ProjectionDiscriminator dis = discriminator(d, seed);
        requireMemory(g, dis);
        GanTrainer trainer = GanTrainer.builder(g, dis)
                .latent(config.latent())
                .generatorOptimizer(config.optimizer())
                .discriminatorOptimizer(config.optimizer())
                .generatorRegularizers(gRegs)
                .discriminatorRegularizers(dRegs)
                .r1(config.r1Gamma(), config.r1Every())
                .diversity(config.diversity() == 0 ? null : new DiversityTerm(config.diversity(), DiversityTerm.DEFAULT_CAP))
                .seed(seed)
                .kernels(new dev.regula.core.kernels.ScalarKernels())
                .build();
        List<String> warnings = new ArrayList<>();
        for (String spec : g.placedNowhere(trainer.generatorPipeline().activationRegularizers()).stream().map(Regularizer::spec).toList()) {
            warnings.add("--g-reg " + spec + " finds no place in the generator, so it does nothing (its layers are "
                    + String.join(", ", g.layerNames()) + ")");
        }
        for (String spec : dis.trunk().placedNowhere(trainer.discriminatorPipeline().activationRegularizers()).stream()
                .map(Regularizer::spec).toList()) {
            warnings.add("--d-reg " + spec + " finds no place in the discriminator, so it does nothing (its layers are "
                    + String.join(", ", dis.trunk().layerNames()) + ")");
        }
        for (String spec : trainer.generatorPipeline().unmatchedRegularizers()) {
            warnings.add("--g-reg " + spec + " selects no parameter of the generator, so it does nothing; check its on= selector");
        }
        for (String spec : trainer.discriminatorPipeline().unmatchedRegularizers()) {
            warnings.add("--d-reg " + spec + " selects no parameter of the discriminator, so it does nothing; check its on= selector");
        }
        return warnings;
    }

    /** @return the study's generator for conditions of {@code d} attributes, initialised from {@code seed} */
    private Sequential generator(int d, long seed) {
        return Dcgan.generator(config.imageSize(), config.latent(), d, config.width(), seed, config.upsampling());
    }

    /** @return the study's discriminator (projection or unconditional) for {@code d} attributes, from {@code seed} */
    private ProjectionDiscriminator discriminator(int d, long seed) {
        return config.conditionalDiscriminator()
                ? Dcgan.conditionalDiscriminator(config.imageSize(), config.width(), d, config.minibatchGroup(), seed)
                : ProjectionDiscriminator.unconditional(Dcgan.discriminator(config.imageSize(), config.width(), config.minibatchGroup(),
                        seed));
    }

    /**
     * Refuses sizes whose faces or activations the heap cannot hold, before anything is rendered:
     * the rendered faces (training, classifier and both evaluation sets, float32 RGB) and, for one
     * iteration, every layer's output of G and of D on real and on generated faces with their
     * gradients, for each run that trains at once. A lower bound: a refusal is certain, a pass is not.
     */
    private void requireMemory(Sequential g, ProjectionDiscriminator dis) {
        long pixels = 3L * config.imageSize() * config.imageSize();
        long faces = (long) config.trainImages() + config.classifierImages() + 2L * config.evalImages();
        long perExample = activations(g) + 2 * activations(dis.trunk());
        long batch = config.batchSize();
        long bytes = Float.BYTES * (faces * pixels + 2 * batch * perExample * parallelRuns(runKeys().size()));
        if (!dev.regula.core.io.MemoryBudget.fits(bytes)) {
            throw new IllegalArgumentException("--batch " + batch + " at --size " + config.imageSize() + " and --width " + config.width()
                    + " with " + faces + " faces (--train-images, --classifier-images, --eval-images) needs at least "
                    + dev.regula.core.io.MemoryBudget.shortfall(bytes) + "; or give a smaller --batch, --width or image counts");
        }
    }

    /**
     * @return the values every layer of a network outputs for one example, together (the study's
     *     networks are bounded by the configuration's image size and width, so this cannot overflow)
     */
    private static long activations(Sequential network) {
        int[] shape = network.inputShape();
        long total = 0;
        for (dev.regula.api.model.Layer layer : network.layers()) {
            shape = layer.outputShape(shape.clone());
            long values = 1;
            for (int dim : shape) values *= dim;
            total += values;
        }
        return total;
    }

    /**
     * How many runs train at once: as many as there are threads (each with threads/parallel of
     * them), at most the number of runs. Independent runs on one thread each use the cores better
     * than one run split over them (a GAN step on batches of 32 has too little work per product to
     * keep two threads busy), and a run's results do not depend on its thread count.
     *
     * @param runs the number of runs
     * @return the runs per wave, ≥ 1
     */
    int parallelRuns(int runs) {
        return Math.max(1, Math.min(config.threads(), runs));
    }

    @FunctionalInterface
    private interface RunBody {
        CaseStudyResult.Run train(RunKey key, CaseStudyListener listener) throws IOException;
    }

    private List<CaseStudyResult.Run> runInOrder(List<RunKey> keys, RunBody body, CaseStudyListener listener) throws IOException {
        List<CaseStudyResult.Run> runs = new ArrayList<>();
        for (int r = 0; r < keys.size(); r++) {
            RunKey key = keys.get(r);
            listener.onRunStart(key, r, keys.size(), config.iterations());
            CaseStudyResult.Run run = body.train(key, listener);
            runs.add(run);
            listener.onRunEnd(run);
        }
        return runs;
    }

    /**
     * Trains the runs in waves of {@code parallel}, each run of a wave on its own thread. The
     * listener hears every wave's {@code onRunStart} calls before the wave starts and its
     * {@code onRunEnd} calls, in run order, after it ends, all on this thread; the events between
     * come from the runs' threads, one at a time. A failed run stops the others of its wave at
     * their next iteration, and its exception is thrown once the wave has stopped.
     */
    private List<CaseStudyResult.Run> runInWaves(List<RunKey> keys, int parallel, RunBody body, CaseStudyListener listener)
            throws IOException {
        List<CaseStudyResult.Run> runs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "face-study-run");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int w = 0; w < keys.size(); w += parallel) {
                List<RunKey> wave = keys.subList(w, Math.min(keys.size(), w + parallel));
                for (int i = 0; i < wave.size(); i++) listener.onRunStart(wave.get(i), w + i, keys.size(), config.iterations());
                AtomicReference<Throwable> failure = new AtomicReference<>();
                CaseStudyListener guarded = new WaveListener(listener, failure);
                List<Future<CaseStudyResult.Run>> futures = new ArrayList<>();
                for (RunKey key : wave) {
                    futures.add(pool.submit(() -> {
                        try {
                            return body.train(key, guarded);
                        } catch (IOException | RuntimeException | Error e) {
                            failure.compareAndSet(null, e);
                            throw e;
                        }
                    }));
                }
                List<CaseStudyResult.Run> done = new ArrayList<>();
                for (Future<CaseStudyResult.Run> f : futures) {
                    try {
                        done.add(f.get());
                    } catch (ExecutionException e) {
                        // the first failure is reported below, after every run of the wave has stopped
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        failure.compareAndSet(null, e);
                        throw new IOException("interrupted while the runs trained", e);
                    }
                }
                Throwable t = failure.get();
                if (t instanceof IOException io) throw io;
                if (t instanceof RuntimeException re) throw re;
                if (t instanceof Error er) throw er;
                for (CaseStudyResult.Run run : done) {
                    runs.add(run);
                    listener.onRunEnd(run);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return runs;
    }

    /**
     * What the runs of a wave call: passes every event on, one at a time whichever thread it comes
     * from, and stops a run at its next iteration once another run of its wave has failed.
     */
    private record WaveListener(CaseStudyListener target, AtomicReference<Throwable> failure) implements CaseStudyListener {
        @Override
        public synchronized void onPhase(String description) {
            target.onPhase(description);
        }

        @Override
        public synchronized void onIteration(RunKey key, GanStep step) {
            if (failure.get() != null) throw new CancellationException("another run of the wave failed");
            target.onIteration(key, step);
        }

        @Override
        public synchronized void onEvaluation(RunKey key, long iteration, GanScores scores) {
            target.onEvaluation(key, iteration, scores);
        }
    }

    /** Every (seed, λ, prior form) of the study; λ = 0 runs once per seed (the form does not matter there). */
    List<RunKey> runKeys() {
        List<RunKey> keys = new ArrayList<>();
        for (int s = 0; s < config.seeds(); s++) {
            for (double lambda : config.lambdas()) {
                if (lambda == 0) {
                    keys.add(new RunKey(0, false, config.seed() + s));
                    continue;
                }
                for (boolean learnable : config.priors()) keys.add(new RunKey(lambda, learnable, config.seed() + s));
            }
        }
        return keys;
    }

    /**
     * A run that starts afresh replaces what an earlier run left in its folder (the folder warning
     * says so): its resume state first, so the folder never pairs an earlier state with the new
     * run's metrics (a kill before the first evaluation would otherwise resume the earlier run with
     * emptied metrics), and its sample grids and final checkpoint, which the new run may not reach.
     */
    private static void removeEarlierRun(Path dir) throws IOException {
        List<Path> earlier = new ArrayList<>();
        for (String name : List.of(RESUME_STATE, RESUME_AVERAGE, NEXT_AVERAGE, "gan.safetensors")) earlier.add(dir.resolve(name));
        try (var files = Files.newDirectoryStream(dir, f -> EARLIER_GRID.matcher(f.getFileName().toString()).matches())) {
            for (Path f : files) earlier.add(f);
        }
        // only the run's own files, and only files: a folder or link of the user's under such a name is refused, never deleted
        for (Path f : earlier) {
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("cannot replace the earlier run's " + f + ": it is not a regular file (a folder or link of"
                        + " someone else's); move it away or choose another --out");
            }
        }
        for (Path f : earlier) Files.deleteIfExists(f);
    }

    /**
     * @param file an output the study replaces whole
     * @throws IOException if something other than a regular file is in its place (a folder, or a link whose
     *     target would silently stop being the file)
     */
    static void requireReplaceable(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot write output: " + file + " is not a regular file (a folder or link); move it away or choose"
                    + " another --out");
        }
    }

    /** The sample grids a run writes, {@code samples-<iteration>.png}, and nothing else a user may have named like them. */
    private static final java.util.regex.Pattern EARLIER_GRID = java.util.regex.Pattern.compile("samples-[0-9]+\\.png");

    private CaseStudyResult.Run train(RunKey key, FaceDataset train, Tensor trainC, ConditionGroups groups, AttributeProbe probe,
                                      GanEvaluator evaluator, Conditions evalConditions, Tensor gridC, Kernels kernels,
                                      CaseStudyListener listener) throws IOException {
        long start = System.nanoTime();
        Path dir = config.output().resolve(key.directory());
        createInside(config.output(), key.directory());
        int d = probe.dimension();
        long seed = key.seed();
        Sequential g = generator(d, seed);
        ProjectionDiscriminator dis = discriminator(d, seed);
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.constant(key.lambda()), probe, key.learnable(), config.priorLr(),
                FacePrior.tolerance(config.tolerance(), probe));
        GanTrainer trainer = GanTrainer.builder(g, dis)
                .latent(config.latent())
                .penalty(penalty)
                .generatorOptimizer(config.optimizer())
                .discriminatorOptimizer(config.optimizer())
                .generatorRegularizers(regularizers(config.generatorRegularizers()))
                .discriminatorRegularizers(regularizers(config.discriminatorRegularizers()))
                .r1(config.r1Gamma(), config.r1Every())
                .diversity(config.diversity() == 0 ? null : new DiversityTerm(config.diversity(), DiversityTerm.DEFAULT_CAP))
                .seed(seed)
                .kernels(kernels)
                .build();
        double emaDecay = config.emaDecay();
        GeneratorAverage ema = emaDecay == 0 ? null : new GeneratorAverage(trainer.generator(),
                generator(d, seed), emaDecay);
        Map<String, String> settings = runSettings(key);
        long resumedAt = 0;
        Path statePath = dir.resolve(RESUME_STATE);
        if (resume && Files.exists(statePath, LinkOption.NOFOLLOW_LINKS)) {
            TrainingCheckpoint.Position at = trainer.restoreState(statePath, TrainingCheckpoint.read(statePath),
                    resumeSettings(settings), w -> listener.onPhase("warning: " + w));
            requireReachable(statePath, at.step());
            if (ema != null) ema.restore(List.of(dir.resolve(RESUME_AVERAGE), dir.resolve(NEXT_AVERAGE)), at.step());
            resumedAt = at.step();
            // the run's clock continues from the time its kept metrics end at
            start -= (long) (keepMetricsUpTo(dir.resolve("metrics.jsonl"), resumedAt) * 1e9);
            List<Long> missing = missingIterations(dir.resolve("metrics.jsonl"), resumedAt);
            if (!missing.isEmpty()) {
                listener.onPhase("warning: " + dir.resolve("metrics.jsonl") + " lacks the line(s) of iteration(s) "
                        + (missing.size() > 10 ? missing.subList(0, 10) + " and " + (missing.size() - 10) + " more" : missing)
                        + " of the " + resumedAt + " the state holds (deleted, cut or edited since); the log continues without them");
            }
            listener.onPhase("resumed " + key.directory() + " at iteration " + resumedAt);
        }
        if (resumedAt == 0) removeEarlierRun(dir);
        Tensor gridZ = gridLatents(seed);
        Tensor evalZ = GanTrainer.latents(seed, "gan.eval", 0, evalConditions.c().dim(0), config.latent());
        Tensor variantZ = GanTrainer.latents(seed, "gan.eval.variants", 0, evalConditions.variantC().dim(0), config.latent());
        int batch = config.batchSize();
        Tensor statisticsInput = statisticsInput(seed, trainC, batch);
        int perEpoch = (groups == null ? train.size() : groups.length()) / batch;
        Batches batches = new Batches(train.size(), batch, seed, true);
        int[] order = null;
        GanScores last = null;
        Means means = new Means();
        try (Writer metrics = Files.newBufferedWriter(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, resumedAt > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            for (int it = (int) resumedAt; it < config.iterations(); it++) {
                int epoch = it / perEpoch;
                int b = it % perEpoch;
                if (b == 0 || order == null) order = groups == null ? batches.order(epoch) : groups.order(batches.order(epoch));
                int[] idx = Arrays.copyOfRange(order, b * batch, (b + 1) * batch);
                GanStep s;
                try {
                    s = trainer.step(rows(train.images(), idx), rows(trainC, idx), epoch);
                } catch (dev.regula.api.NumericalFaultException fault) { // which run of the study, in its own terms
                    throw new dev.regula.api.NumericalFaultException(fault.step(), fault.where(), "run " + key.directory() + " (lambda "
                            + key.lambda() + ", " + (key.learnable() ? "learnable" : "fixed") + " prior, seed " + key.seed()
                            + ") diverged at iteration " + (it + 1) + ": " + fault.getMessage() + "; the runs finished before it are"
                            + " in their folders, the study's tables are not written");
                }
                if (ema != null) ema.update();
                means.add(s);
                listener.onIteration(key, s);
                long done = s.step();
                boolean evaluate = done % config.sampleEvery() == 0 || done == config.iterations();
                if (!evaluate && done % config.logEvery() != 0) continue;
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("iteration", done);
                means.putInto(line);
                if (evaluate) {
                    if (ema != null) ema.recalibrate(statisticsInput, batch, kernels);
                    Tensor grid = generate(trainer, ema, kernels, gridZ, gridC);
                    ImageGrid.writePng(grid, GRID, upscale(), dir.resolve("samples-" + done + ".png"));
                    last = score(trainer, ema, evaluator, evalZ, variantZ, evalConditions, kernels);
                    Ablation.putScores(line, evaluator.attributes(), last);
                    if (key.learnable()) line.put("prior_weights", java.util.Arrays.stream(penalty.weights()).boxed().toList());
                    listener.onEvaluation(key, done, last);
                }
                line.put("seconds", (System.nanoTime() - start) / 1e9);
                metrics.write(JsonText.write(line));
                metrics.write('\n');
                metrics.flush();
                if (evaluate) {
                    // the average under its next name, the state, then the average renamed: killed anywhere, one
                    // average on disk has the state's step (a state without its average is refused at resume)
                    if (ema != null) ema.save(dir.resolve(NEXT_AVERAGE), done);
                    trainer.saveState(statePath, epoch, settings);
                    if (ema != null) {
                        Files.move(dir.resolve(NEXT_AVERAGE), dir.resolve(RESUME_AVERAGE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        if (last == null) {
            // resumed after the last iteration: score the restored generator again, with the standing
            // statistics its average had when the run scored it (the same inputs, so the same scores)
            if (ema != null) ema.recalibrate(statisticsInput, batch, kernels);
            last = score(trainer, ema, evaluator, evalZ, variantZ, evalConditions, kernels);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("lambda", Double.toString(key.lambda()));
        meta.put("prior", key.learnable() ? "learnable" : "fixed");
        meta.put("attributes", String.join("+", config.attributes()));
        meta.put("iterations", Long.toString(trainer.step()));
        meta.put("image_size", Integer.toString(config.imageSize()));
        meta.put("width", Integer.toString(config.width()));
        meta.put("upsampling", config.upsampling().name().toLowerCase(Locale.ROOT));
        meta.put("latent", Integer.toString(config.latent()));
        meta.put("ema_decay", Double.toString(config.emaDecay()));
        meta.put("condition_dim", Integer.toString(d));
        meta.put("conditional_discriminator", Boolean.toString(config.conditionalDiscriminator()));
        meta.put("minibatch_stddev_group", Integer.toString(config.minibatchGroup()));
        meta.put("diversity", diversitySetting());
        meta.put("seed", Long.toString(seed));
        meta.put("data", config.data());
        GanCheckpoint.save(dir.resolve("gan.safetensors"), trainer.generator(), trainer.discriminator(), meta);
        return new CaseStudyResult.Run(key, trainer.step(), last, key.learnable() ? penalty.weights() : null,
                (System.nanoTime() - start) / 1e9, dir);
    }

    /**
     * The training faces' order in groups sharing a condition, for D's minibatch standard-deviation
     * channel, or null without one.
     *
     * @throws IllegalArgumentException if the groups do not fill one batch
     */
    private ConditionGroups conditionGroups(Tensor trainC) {
        if (config.minibatchGroup() == 0) return null;
        ConditionGroups groups = new ConditionGroups(trainC, config.minibatchGroup());
        if (groups.length() < config.batchSize()) {
            throw new IllegalArgumentException("the training faces grouped by condition in groups of " + config.minibatchGroup()
                    + " (" + groups.length() + ") do not fill one batch of " + config.batchSize()
                    + "; use more training faces, a smaller batch or smaller groups");
        }
        return groups;
    }

    /**
     * How a run's settings are checked against the state it resumes: a state file of a version that
     * did not record the data seed or the evaluator's sizes is taken with a warning; one from before the minibatch
     * standard-deviation option or the diversity term was written without them, and had neither.
     */
    private static TrainingCheckpoint.Settings resumeSettings(Map<String, String> settings) {
        return new TrainingCheckpoint.Settings(settings, Map.of("minibatch_stddev_group", "0", "scoring", SCORING_BEFORE,
                "diversity", "0.0"),
                java.util.Set.of("data_seed", "eval_images", "classifier_images"));
    }

    /**
     * How generated faces are scored, recorded in a run's state so that a resumed run never mixes
     * two scorings in its metrics: one generated face per held-out face ({@link GanEvaluator}).
     */
    static final String SCORING = "one-per-held-out-face";
    /** The scoring of states that do not record one: 128 held-out conditions × 8 latents. */
    static final String SCORING_BEFORE = "128-conditions-x-8";

    /**
     * With --resume, checks every run's saved state against this study's settings before any face
     * is rendered or any network trained, so that a refused resume costs nothing; restoring checks
     * the rest (shapes, optimizer state) when each run starts.
     */
    private void checkResumableRuns() throws IOException {
        for (RunKey key : runKeys()) {
            Path state = config.output().resolve(key.directory()).resolve(RESUME_STATE);
            if (!Files.exists(state, LinkOption.NOFOLLOW_LINKS)) continue;
            // warnings come once, when the run restores its state
            dev.regula.core.checkpoint.Checkpoint saved = TrainingCheckpoint.read(state);
            TrainingCheckpoint.checkSettings(state, saved, resumeSettings(runSettings(key)), w -> { });
            requireReachable(state, TrainingCheckpoint.position(saved).step());
        }
    }

    /** A state past the iterations asked for cannot be resumed into this study. */
    private void requireReachable(Path state, long step) {
        if (step > config.iterations()) {
            throw new IllegalArgumentException(state + " is at iteration " + step + ", past the " + config.iterations()
                    + " iterations asked for; ask for at least " + step);
        }
    }

    /**
     * Run folders in the output that this study does not list (another study's lambdas or seeds,
     * or a study run before without --resume) would sit beside tables that do not cover them:
     * named as a warning.
     */
    private void warnOfOtherRuns(CaseStudyListener listener) throws IOException {
        java.util.Set<String> ours = new java.util.HashSet<>();
        boolean earlier = false; // a run of this study's names holding a state, without --resume
        for (RunKey key : runKeys()) {
            ours.add(key.directory());
            earlier |= !resume && Files.exists(config.output().resolve(key.directory()).resolve(RESUME_STATE), LinkOption.NOFOLLOW_LINKS);
        }
        List<String> others = new ArrayList<>();
        try (var settings = Files.list(config.output())) {
            for (Path setting : settings.filter(p -> p.getFileName().toString().startsWith("lambda-")).sorted().toList()) {
                if (!Files.isDirectory(setting, LinkOption.NOFOLLOW_LINKS)) continue;
                try (var seeds = Files.list(setting)) {
                    for (Path run : seeds.sorted().toList()) {
                        String name = setting.getFileName() + "/" + run.getFileName();
                        if (!ours.contains(name)) others.add(name);
                    }
                }
            }
        }
        if (!others.isEmpty()) {
            listener.onPhase("warning: " + config.output() + " also holds runs this study does not list (" + String.join(", ", others)
                    + "); its tables and real.png are this study's only");
        }
        if (earlier) {
            listener.onPhase("warning: " + config.output() + " holds runs of an earlier study with the same settings' names; they are"
                    + " replaced (--resume continues them)");
        }
    }

    /** The diversity term as a run records it: its weight, and its cap when it is on. */
    private String diversitySetting() {
        return config.diversity() == 0 ? "0.0" : config.diversity() + "/" + DiversityTerm.DEFAULT_CAP;
    }

    /** What a run must share with the run it resumes: everything that shapes its training. */
    private Map<String, String> runSettings(RunKey key) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("lambda", Double.toString(key.lambda()));
        s.put("prior", key.learnable() ? "learnable" : "fixed");
        s.put("seed", Long.toString(key.seed()));
        // the study's seed draws the faces, the probe's and the evaluator's sets: a run of another
        // study seed trained on other faces, even when its own seed is the same
        s.put("data_seed", Long.toString(config.seed()));
        s.put("attributes", String.join("+", config.attributes()));
        s.put("condition_dim", Integer.toString(config.attributes().size())); // c holds one number per attribute
        s.put("image_size", Integer.toString(config.imageSize()));
        s.put("width", Integer.toString(config.width()));
        s.put("upsampling", config.upsampling().name().toLowerCase(Locale.ROOT));
        s.put("latent", Integer.toString(config.latent()));
        s.put("batch", Integer.toString(config.batchSize()));
        s.put("ema_decay", Double.toString(config.emaDecay()));
        s.put("conditional_discriminator", Boolean.toString(config.conditionalDiscriminator()));
        s.put("minibatch_stddev_group", Integer.toString(config.minibatchGroup()));
        s.put("diversity", diversitySetting());
        s.put("r1", config.r1Gamma() + "/" + config.r1Every());
        s.put("optimizer", config.optimizer());
        s.put("g_reg", String.join(" ", config.generatorRegularizers()));
        s.put("d_reg", String.join(" ", config.discriminatorRegularizers()));
        s.put("tolerance", config.tolerance());
        s.put("scoring", SCORING);
        s.put("prior_lr", Double.toString(config.priorLr()));
        s.put("data", config.data());
        s.put("train_images", Integer.toString(config.trainImages()));
        // the evaluator's sets: another size scores the same faces otherwise
        s.put("eval_images", Integer.toString(config.evalImages()));
        s.put("classifier_images", Integer.toString(config.classifierImages()));
        s.put("sample_every", Integer.toString(config.sampleEvery()));
        s.put("log_every", Integer.toString(config.logEvery()));
        return s;
    }

    /** The iteration a metrics line begins with, as the run writes it. */
    private static final java.util.regex.Pattern ITERATION = java.util.regex.Pattern.compile("^\\{\"iteration\":([0-9]+)[,}]");

    /** @return the iterations up to {@code step} whose line a run writes (logged or evaluated) that {@code file} lacks */
    private List<Long> missingIterations(Path file, long step) throws IOException {
        java.util.Set<Long> present = new java.util.HashSet<>();
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                java.util.regex.Matcher m = ITERATION.matcher(line);
                if (m.find()) present.add(Long.parseLong(m.group(1)));
            }
        }
        List<Long> missing = new ArrayList<>();
        for (long i = 1; i <= step; i++) {
            boolean written = i % config.logEvery() == 0 || i % config.sampleEvery() == 0 || i == config.iterations();
            if (written && !present.contains(i)) missing.add(i);
        }
        return missing;
    }

    /** Keeps the metrics lines up to {@code step}; returns the seconds of the last one kept (0 without any). */
    private static double keepMetricsUpTo(Path file, long step) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return 0;
        dev.regula.core.io.InputFiles.requireRegularFile(file, "metrics file");
        java.util.regex.Pattern seconds = java.util.regex.Pattern.compile("\"seconds\":([0-9.eE+-]+)[,}]");
        List<String> kept = new ArrayList<>();
        double elapsed = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            java.util.regex.Matcher m = ITERATION.matcher(line);
            if (m.find() && Long.parseLong(m.group(1)) <= step && line.endsWith("}")) {
                kept.add(line);
                java.util.regex.Matcher t = seconds.matcher(line);
                if (t.find()) elapsed = Double.parseDouble(t.group(1));
            }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, kept, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return elapsed;
    }

    /**
     * One run of the study.
     *
     * @param lambda the penalty strength λ
     * @param learnable whether the prior's per-attribute weights are learned
     * @param seed the run's seed (initialisation, latents, batch order)
     */
    public record RunKey(double lambda, boolean learnable, long seed) {
        /** @return the setting without the seed, e.g. {@code λ = 1, learnable} */
        public String setting() {
            return lambda == 0 ? "λ = 0 (no prior penalty)" : "λ = " + Ablation.format(lambda) + (learnable ? ", learnable" : ", fixed");
        }

        /** @return the run's directory below the output, e.g. {@code lambda-1-learnable/seed-2} */
        public String directory() {
            return "lambda-" + Ablation.format(lambda) + (learnable ? "-learnable" : "") + "/seed-" + seed;
        }
    }

    /**
     * The evaluation conditions: every held-out face's (one image each), and the diversity set's,
     * each of the first 128 held-out faces' repeated for 8 latents.
     */
    private record Conditions(Tensor c, Tensor variantC, int[] groups) {
    }

    private static Conditions evaluationConditions(GanEvaluator evaluator) {
        Tensor c = evaluator.heldOutConditions();
        int faces = Math.min(c.dim(0), DIVERSITY_CONDITIONS);
        int k = c.dim(1);
        float[] out = new float[faces * PER_CONDITION * k];
        int[] groups = new int[faces * PER_CONDITION];
        for (int i = 0; i < faces; i++) {
            for (int j = 0; j < PER_CONDITION; j++) {
                int row = i * PER_CONDITION + j;
                System.arraycopy(c.data(), i * k, out, row * k, k);
                groups[row] = i;
            }
        }
        return new Conditions(c, Tensor.wrap(out, faces * PER_CONDITION, k), groups);
    }

    /** Eight held-out faces with as many distinct conditions as there are (the grid's rows). */
    private static int[] gridRows(Tensor c) {
        int n = c.dim(0);
        int k = c.dim(1);
        List<Integer> rows = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < n && rows.size() < GRID; i++) {
            String key = Arrays.toString(Arrays.copyOfRange(c.data(), i * k, (i + 1) * k));
            if (!seen.contains(key)) {
                seen.add(key);
                rows.add(i);
            }
        }
        for (int i = 0; rows.size() < GRID; i++) rows.add(i % n);
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Row r: the first 8 held-out faces whose prior attributes equal those of grid row r. */
    private static Tensor realGrid(FaceDataset heldOut, GanEvaluator evaluator, int[] gridRows) {
        Tensor c = evaluator.select(heldOut.labels());
        int k = c.dim(1);
        int[] idx = new int[GRID * GRID];
        for (int r = 0; r < GRID; r++) {
            float[] want = Arrays.copyOfRange(c.data(), gridRows[r] * k, (gridRows[r] + 1) * k);
            int col = 0;
            for (int i = 0; i < c.dim(0) && col < GRID; i++) {
                if (Arrays.equals(want, Arrays.copyOfRange(c.data(), i * k, (i + 1) * k))) idx[r * GRID + col++] = i;
            }
            while (col < GRID) idx[r * GRID + col] = idx[r * GRID + col++ - 1];
        }
        return rows(heldOut.images(), idx);
    }

    private static Tensor gridConditions(Tensor c, int[] gridRows) {
        int[] idx = new int[GRID * GRID];
        for (int i = 0; i < idx.length; i++) idx[i] = gridRows[i / GRID];
        return rows(c, idx);
    }

    /** Column j of every grid row uses latent z_j. */
    private Tensor gridLatents(long seed) {
        Tensor z = GanTrainer.latents(seed, "gan.samples", 0, GRID, config.latent());
        int[] idx = new int[GRID * GRID];
        for (int i = 0; i < idx.length; i++) idx[i] = i % GRID;
        return rows(z, idx);
    }

    /**
     * The inputs whose batch statistics the averaged generator's BatchNorms take before each
     * evaluation: {@value #STATISTICS_BATCHES} batches of fresh latents with training conditions.
     */
    private Tensor statisticsInput(long seed, Tensor trainC, int batch) {
        int n = STATISTICS_BATCHES * batch;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i % trainC.dim(0);
        return GanTrainer.concatColumns(GanTrainer.latents(seed, "gan.statistics", 0, n, config.latent()), rows(trainC, idx));
    }

    /** Scores the generator (its average, if any, with the statistics it was last recalibrated to) on the evaluation conditions. */
    private static GanScores score(GanTrainer trainer, GeneratorAverage ema, GanEvaluator evaluator, Tensor evalZ, Tensor variantZ,
                                   Conditions conditions, Kernels kernels) {
        return evaluator.score(generate(trainer, ema, kernels, evalZ, conditions.c()), conditions.c(),
                generate(trainer, ema, kernels, variantZ, conditions.variantC()), conditions.groups());
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
        int wanted = config.trainImages() + config.classifierImages() + 2 * config.evalImages();
        long bytes = 4L * 3 * config.imageSize() * config.imageSize() * wanted;
        if (!MemoryBudget.fits(2 * bytes)) {
            throw new IllegalArgumentException(wanted + " faces of " + config.imageSize() + "x" + config.imageSize()
                    + " (training + classifier + 2 x evaluation images) need " + MemoryBudget.shortfall(2.0 * bytes)
                    + "; use fewer images or a smaller size");
        }
        FaceDataset all;
        if (config.data().equals("synthetic")) {
            listener.onPhase("rendering " + wanted + " synthetic faces of " + config.imageSize() + "x" + config.imageSize());
            all = SyntheticFaces.generate(wanted, config.imageSize(), config.seed());
        } else {
            Path root = Path.of(config.data().substring("celeba:".length()));
            listener.onPhase("loading up to " + wanted + " CelebA faces from " + root);
            all = CelebaLoader.load(root, config.imageSize(), wanted);
        }
        int needed = config.classifierImages() + 2 * config.evalImages() + config.batchSize();
        if (all.size() < needed) {
            throw new IllegalArgumentException("the data has " + all.size() + " faces; the study needs at least classifierImages"
                    + " + 2 x evalImages + batch = " + needed);
        }
        if (all.size() < wanted) { // the evaluator's sets are taken whole: the training set is what gets short
            listener.onPhase("warning: the data has " + all.size() + " faces, fewer than the " + wanted + " asked for; the generator"
                    + " trains on " + (all.size() - config.classifierImages() - 2 * config.evalImages()) + " instead of --train-images "
                    + config.trainImages());
        }
        return all;
    }

    /**
     * Creates {@code root/relative} one folder at a time, refusing any component that is a symbolic
     * link (or not a folder): a link planted in the output folder must not redirect the study's
     * writes outside it. The files themselves are written by atomic rename (which replaces a link
     * instead of following it) or opened without following links.
     */
    static void createInside(Path root, String relative) throws IOException {
        Path p = root;
        for (Path part : Path.of(relative)) {
            p = p.resolve(part);
            if (Files.isSymbolicLink(p)) {
                throw new IOException(p + " is a symbolic link; the study writes only into real folders inside "
                        + root + " (remove the link)");
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(p + " exists and is not a folder; the study needs a folder there");
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(p);
        }
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
        private static final String[] KEYS = {"d_loss", "g_loss", "penalty", "feature_error", "d_real", "d_fake", "r1", "pair_ratio"};
        private final double[] sums = new double[KEYS.length];
        private int count;

        void add(GanStep s) {
            double[] v = {s.discriminatorLoss(), s.generatorLoss(), s.penalty(), s.featureError(), s.realScore(),
                s.fakeScore(), s.r1(), s.pairRatio()};
            for (int i = 0; i < v.length; i++) sums[i] += v[i];
            count++;
        }

        void putInto(Map<String, Object> line) {
            for (int i = 0; i < KEYS.length; i++) {
                double m = sums[i] / count;
                if (!Double.isNaN(m)) line.put(KEYS[i], m);
            }
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
     * @param latent length of z, in [1, {@value #MAX_LATENT}]
     * @param lambdas the penalty strengths, one run each, distinct, finite, ≥ 0
     * @param seed seed of data, initialisation, latents and batch order (the same for every run)
     * @param threads compute threads, ≥ 1: with several runs, min(threads, runs) of them train at
     *     once, each with threads / that many kernel threads (a run's results do not depend on it)
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
     * @param attributes the prior's attributes, distinct names of {@link dev.regula.gan.faces.FaceAttributes#BINARY_NAMES}
     * @param priors the prior forms to run for each λ &gt; 0: false = fixed weights, true = learnable; distinct, not empty
     * @param seeds runs per setting, seeds {@code seed}, {@code seed + 1}, …; in [1, 100]
     * @param r1Gamma γ of the lazy R1 penalty on D, finite and ≥ 0 (0 = off)
     * @param r1Every steps between R1 evaluations, ≥ 1
     * @param conditionalDiscriminator whether D reads c through a projection head (else D(x) ignores c)
     * @param priorLr Adam rate of a learnable prior's log-precisions, in (0, 1]
     * @param classifierImages real faces that train the evaluation classifier, ≥ 64, disjoint from all others
     * @param tolerance the prior's zero-penalty band: {@code real} (the probe's residual on real faces), a number ≥ 0,
     *     or one number ≥ 0 per attribute joined by '+' (see {@link FacePrior#tolerance(String, List, double[])})
     * @param minibatchGroup G of D's {@link dev.regula.core.layer.MinibatchStddev minibatch standard-deviation}
     *     channel, 0 for none or ≥ 2 and dividing batchSize
     * @param diversity weight w of G's {@link DiversityTerm} (cap {@value DiversityTerm#DEFAULT_CAP}), finite
     *     and ≥ 0; 0 for none
     */
    public record Config(int imageSize, int iterations, int batchSize, int width, int latent, List<Double> lambdas,
                         long seed, int threads, Path output, String data, int trainImages, int evalImages,
                         int sampleEvery, int logEvery, String optimizer, List<String> generatorRegularizers,
                         List<String> discriminatorRegularizers, int classifierEpochs, Dcgan.Upsampling upsampling,
                         double emaDecay, List<String> attributes, List<Boolean> priors, int seeds, double r1Gamma,
                         int r1Every, boolean conditionalDiscriminator, double priorLr, int classifierImages, String tolerance,
                         int minibatchGroup, double diversity) {
        /** The attributes of the default prior: the four binary face attributes. */
        public static final List<String> DEFAULT_ATTRIBUTES = dev.regula.gan.faces.FaceAttributes.BINARY_NAMES;
        /**
         * Default γ of the lazy R1 penalty on D (the stabiliser of the default study, instead of
         * spectral norm): γ = 2 rather than the 10 of Mescheder et al.'s large images lets this small
         * D tell flat backgrounds and sharp edges from blotches (at 8,000 iterations, seed 1, it
         * lowered the Fréchet distance from 4.3 to 1.9 and gave flat, varied backgrounds).
         */
        public static final double DEFAULT_R1_GAMMA = 2.0;
        /** Default interval of the lazy R1 penalty. */
        public static final int DEFAULT_R1_EVERY = 16;
        /** Default image side. */
        public static final int DEFAULT_SIZE = 32;
        /**
         * Default iterations per run: with the other defaults the two runs of the study, trained at
         * once, fit its 5-minute budget on two cores; faces keep getting cleaner with training
         * (docs/face-case-study.md), so the budget goes to iterations.
         */
        public static final int DEFAULT_ITERATIONS = 8000;
        /** Default batch size. */
        public static final int DEFAULT_BATCH = 32;
        /**
         * Default number of training faces: about 8 passes in a run. With 8,192 (31 passes) the
         * discriminator learnt the faces and the generators kept blotchy backgrounds, the more so
         * the stronger the prior (docs/face-case-study.md); rendering them takes seconds.
         */
        public static final int DEFAULT_TRAIN_IMAGES = 32_768;
        /**
         * Default width: three quarters of the DCGAN's 128 channels. At 64 the faces stay soft and
         * the backgrounds blotchy however long the runs train; 96 gives flatter backgrounds and
         * sharper faces, and fits the two runs in the budget since the convolutions unfold their
         * patches straight into the products' panels (docs/face-case-study.md).
         */
        public static final int DEFAULT_WIDTH = 96;
        /**
         * Default penalty strengths: the unregularised run and λ = 0.1, with {@link #DEFAULT_PRIORS}
         * the strongest prior of the study (docs/face-case-study.md) whose Fréchet distance, KID,
         * recall and diversity all stay within a standard deviation of λ = 0's while the attributes
         * asked for are shown more often; the fixed prior at 0.1 and either form from 0.3 on cost
         * recall.
         */
        public static final List<Double> DEFAULT_LAMBDAS = List.of(0.0, 0.1);
        /**
         * Default prior form: the learnable one (true), which learns one precision per attribute
         * with G. In the ablation it kept λ = 0's recall at λ = 0.1, where the fixed form lost some
         * (docs/face-case-study.md).
         */
        public static final List<Boolean> DEFAULT_PRIORS = List.of(true);
        /**
         * Penalty strengths of the full ablation ({@code regula gan --ablation}, with the prior forms
         * of {@link #ABLATION_PRIORS} and {@value #ABLATION_SEEDS} seeds): the unregularised run, the default strength and the
         * range over which the prior goes from helping to costing.
         */
        public static final List<Double> ABLATION_LAMBDAS = List.of(0.0, 0.03, 0.1, 0.3, 1.0, 3.0);
        /** Prior forms of the full ablation: the fixed one (false) and the learnable one (true). */
        public static final List<Boolean> ABLATION_PRIORS = List.of(false, true);
        /** Seeds per setting of the full ablation. */
        public static final int ABLATION_SEEDS = 3;
        /** Default regularizers of D: none (R1 is the stabiliser; {@code spectral-norm(max=1.0)} is the alternative). */
        public static final List<String> DEFAULT_DISCRIMINATOR_REGULARIZERS = List.of();
        /** Default upsampling of G: nearest-neighbour ×2 and Conv 3/1/1, free of the checkerboard texture of ConvTranspose. */
        public static final Dcgan.Upsampling DEFAULT_UPSAMPLING = Dcgan.Upsampling.NEAREST;
        /**
         * Default optimizer of G and D: Adam at 5e-4 (β1 0.5), 2.5× DCGAN's 2e-4, for the study's
         * short budget (over three seeds at 2,500 iterations it raised recall at λ = 1 from 0.44 to
         * 0.56; see docs/face-case-study.md).
         */
        public static final String DEFAULT_OPTIMIZER = "adam(lr=5e-4, beta1=0.5)";
        /** Default length of the latent z. */
        public static final int DEFAULT_LATENT = 64;
        /** Default group of D's minibatch standard-deviation channel: none. */
        public static final int DEFAULT_MINIBATCH_GROUP = 0;
        /**
         * Default weight of the diversity-sensitive term on G: 0.3, where over three seeds of λ = 0.1
         * it raised recall from 0.78 to 0.84 and gave rows of faces that differ in more than their
         * backgrounds, with the Fréchet distance within one standard deviation (docs/face-case-study.md).
         */
        public static final double DEFAULT_DIVERSITY = 0.3;
        /** Default β of the generator's weight average that draws the samples and is evaluated (a horizon of about 100 updates). */
        public static final double DEFAULT_EMA_DECAY = 0.99;

        /** Checks every component. */
        public Config {
            if (imageSize != 16 && imageSize != 32 && imageSize != 64) {
                throw new IllegalArgumentException("size must be 16, 32 or 64, got " + imageSize);
            }
            require(iterations >= 1, "iterations (--iterations) must be >= 1, got " + iterations);
            require(batchSize >= 2, "the batch size (--batch) must be >= 2 (the generator's BatchNorm needs it), got " + batchSize);
            require(width >= 4 && width % 4 == 0, "width (--width) must be a multiple of 4 and >= 4, got " + width);
            require(latent >= 1, "latent (--latent) must be >= 1, got " + latent);
            lambdas = List.copyOf(lambdas);
            require(!lambdas.isEmpty(), "lambdas must not be empty");
            for (double l : lambdas) require(Double.isFinite(l) && l >= 0, "every lambda (--lambda) must be finite and >= 0, got " + l);
            require(lambdas.stream().map(Ablation::format).distinct().count() == lambdas.size(),
                    "lambdas must be distinct, got " + lambdas);
            require(threads >= 1, "threads (--threads) must be >= 1, got " + threads);
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(data, "data");
            require(data.equals("synthetic") || (data.startsWith("celeba:") && data.length() > 7),
                    "data must be 'synthetic' or 'celeba:<directory>', got '" + data + "'");
            require(trainImages >= batchSize, "trainImages (--train-images) must be >= the batch size (--batch, " + batchSize + "), got " + trainImages);
            require(evalImages >= GRID * GRID, "evalImages (--eval-images) must be >= " + GRID * GRID + ", got " + evalImages);
            require(sampleEvery >= 1, "sampleEvery (--sample-every) must be >= 1, got " + sampleEvery);
            require(logEvery >= 1, "logEvery must be >= 1, got " + logEvery);
            Objects.requireNonNull(optimizer, "optimizer");
            generatorRegularizers = List.copyOf(generatorRegularizers);
            discriminatorRegularizers = List.copyOf(discriminatorRegularizers);
            require(classifierEpochs >= 1, "classifierEpochs must be >= 1, got " + classifierEpochs);
            Objects.requireNonNull(upsampling, "upsampling");
            require(emaDecay >= 0 && emaDecay < 1, "emaDecay (--ema) must be in [0, 1), got " + emaDecay);
            attributes = List.copyOf(attributes);
            require(!attributes.isEmpty(), "the prior must name at least one attribute");
            FacePrior.parseAttributes(String.join("+", attributes));
            priors = List.copyOf(priors);
            require(!priors.isEmpty() && priors.stream().distinct().count() == priors.size(),
                    "priors must be 'fixed', 'learnable' or both, each once, got " + priors);
            // the learnable prior weighs its attributes against each other (their precisions keep a
            // mean of 0): with one attribute it is the fixed prior, run twice under two names
            require(attributes.size() > 1 || !priors.contains(true) || lambdas.stream().allMatch(l -> l == 0),
                    "a learnable prior (--prior learnable or both) weighs its attributes against each other, so it needs at"
                            + " least two (--attributes); with one, use --prior fixed");
            require(seeds >= 1 && seeds <= MAX_SEEDS, "seeds (--seeds) must be in [1, " + MAX_SEEDS + "], got " + seeds);
            require(Double.isFinite(r1Gamma) && r1Gamma >= 0, "r1 gamma (--r1) must be finite and >= 0, got " + r1Gamma);
            require(r1Every >= 1, "r1 interval must be >= 1, got " + r1Every);
            require(priorLr > 0 && priorLr <= 1, "prior learning rate must be in (0, 1], got " + priorLr);
            require(classifierImages >= GRID * GRID, "classifierImages (--classifier-images) must be >= " + GRID * GRID + ", got " + classifierImages);
            FacePrior.tolerance(tolerance, attributes, new double[attributes.size()]); // the same parser the study runs
            long pixels = (long) imageSize * imageSize * 3;
            long faces = (long) trainImages + classifierImages + 2L * evalImages;
            require(faces <= MAX_FACES, "--train-images + --classifier-images + 2 x --eval-images must be at most " + MAX_FACES
                    + " faces, got " + faces);
            require(width <= MAX_WIDTH, "width (--width) must be at most " + MAX_WIDTH + ", got " + width);
            require(latent <= MAX_LATENT, "latent (--latent) must be at most " + MAX_LATENT + ", got " + latent);
            require(minibatchGroup == 0 || (minibatchGroup >= 2 && minibatchGroup <= batchSize && batchSize % minibatchGroup == 0),
                    "the minibatch standard-deviation group must be 0 (none) or a divisor of the batch (" + batchSize
                            + ") of at least 2, got " + minibatchGroup);
            require(Double.isFinite(diversity) && diversity >= 0, "the diversity weight must be finite and >= 0 (0 for none), got "
                    + diversity);
            // the term makes generated pairs (2i, 2i + 1) share a condition; an odd group would split
            // a pair and mix two conditions in one of D's generated groups, never in a real one
            require(diversity == 0 || minibatchGroup % 2 == 0, "the minibatch standard-deviation group must be even with the"
                    + " diversity term (its pairs of generated faces share a condition), got " + minibatchGroup
                    + "; use an even group or --diversity 0");
            require(pixels > 0, "image size overflow");
        }

        /** The most seeds one study runs per setting. */
        public static final int MAX_SEEDS = 100;
        /** The most faces (training plus the three evaluation sets) a study renders or loads. */
        public static final int MAX_FACES = 200_000;
        /** The widest networks a study builds. */
        public static final int MAX_WIDTH = 1024;
        /**
         * The longest latent z a study builds: G's first layer has (latent + |c|) × 16·channels
         * weights, and every evaluation draws latent numbers per generated image.
         */
        public static final int MAX_LATENT = 4096;

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
        private int latent = Config.DEFAULT_LATENT;
        private List<Double> lambdas = Config.DEFAULT_LAMBDAS;
        private long seed = 1;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Path output = Path.of("gan-out");
        private String data = "synthetic";
        private int trainImages = Config.DEFAULT_TRAIN_IMAGES;
        private int evalImages = 1024;
        private int sampleEvery = 500;
        private int logEvery = 25;
        private String optimizer = Config.DEFAULT_OPTIMIZER;
        private List<String> generatorRegularizers = List.of();
        private List<String> discriminatorRegularizers = Config.DEFAULT_DISCRIMINATOR_REGULARIZERS;
        private int classifierEpochs = GanEvaluator.DEFAULT_EPOCHS;
        private Dcgan.Upsampling upsampling = Config.DEFAULT_UPSAMPLING;
        private double emaDecay = Config.DEFAULT_EMA_DECAY;
        private List<String> attributes = Config.DEFAULT_ATTRIBUTES;
        private List<Boolean> priors = Config.DEFAULT_PRIORS;
        private int seeds = 1;
        private double r1Gamma = Config.DEFAULT_R1_GAMMA;
        private int r1Every = Config.DEFAULT_R1_EVERY;
        private boolean conditionalDiscriminator = true;
        private double priorLr = 0.01;
        private int classifierImages = 4096;
        private String tolerance = "real";
        private int minibatchGroup = Config.DEFAULT_MINIBATCH_GROUP;
        private double diversity = Config.DEFAULT_DIVERSITY;

        private Builder() {
        }

        /** @param v weight of G's diversity-sensitive term, 0 for none (default {@value Config#DEFAULT_DIVERSITY}) @return this */
        public Builder diversity(double v) { diversity = v; return this; }

        /** @param v G of D's minibatch standard-deviation channel, 0 for none (default {@value Config#DEFAULT_MINIBATCH_GROUP}) @return this */
        public Builder minibatchGroup(int v) { minibatchGroup = v; return this; }

        /** @param v the prior's zero-penalty band, {@code real} (default) or a number ≥ 0 @return this */
        public Builder tolerance(String v) { tolerance = v; return this; }

        /** @param v real faces that train the evaluation classifier (default 4096) @return this */
        public Builder classifierImages(int v) { classifierImages = v; return this; }

        /** @param v the prior's attributes (default all four) @return this */
        public Builder attributes(List<String> v) { attributes = v; return this; }

        /** @param v prior forms per λ > 0: false = fixed, true = learnable (default {@link Config#DEFAULT_PRIORS}) @return this */
        public Builder priors(List<Boolean> v) { priors = v; return this; }

        /** @param v runs per setting (default 1) @return this */
        public Builder seeds(int v) { seeds = v; return this; }

        /** @param gamma γ of R1 on D, 0 = off (default {@value Config#DEFAULT_R1_GAMMA}) @param every interval (default {@value Config#DEFAULT_R1_EVERY}) @return this */
        public Builder r1(double gamma, int every) { r1Gamma = gamma; r1Every = every; return this; }

        /** @param v whether D is conditional (projection head; default true) @return this */
        public Builder conditionalDiscriminator(boolean v) { conditionalDiscriminator = v; return this; }

        /** @param v Adam rate of a learnable prior (default 0.01) @return this */
        public Builder priorLr(double v) { priorLr = v; return this; }

        /** @param v image side, 16, 32 (default) or 64 @return this */
        public Builder imageSize(int v) { imageSize = v; return this; }

        /** @param v iterations per run (default {@value Config#DEFAULT_ITERATIONS}) @return this */
        public Builder iterations(int v) { iterations = v; return this; }

        /** @param v batch size (default {@value Config#DEFAULT_BATCH}) @return this */
        public Builder batchSize(int v) { batchSize = v; return this; }

        /** @param v channel width (default {@value Config#DEFAULT_WIDTH}) @return this */
        public Builder width(int v) { width = v; return this; }

        /** @param v length of z (default {@value Config#DEFAULT_LATENT}) @return this */
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

        /** @param v training faces (default {@value Config#DEFAULT_TRAIN_IMAGES}) @return this */
        public Builder trainImages(int v) { trainImages = v; return this; }

        /** @param v held-out evaluation faces (default 1024) @return this */
        public Builder evalImages(int v) { evalImages = v; return this; }

        /** @param v iterations between sample grids and evaluations (default 500) @return this */
        public Builder sampleEvery(int v) { sampleEvery = v; return this; }

        /** @param v iterations between metric lines (default 25) @return this */
        public Builder logEvery(int v) { logEvery = v; return this; }

        /** @param v optimizer spec of G and D (default {@value Config#DEFAULT_OPTIMIZER}) @return this */
        public Builder optimizer(String v) { optimizer = v; return this; }

        /** @param v regularizer specs for G's parameters (default none) @return this */
        public Builder generatorRegularizers(List<String> v) { generatorRegularizers = v; return this; }

        /** @param v regularizer specs for D's parameters (default none) @return this */
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
                    discriminatorRegularizers, classifierEpochs, upsampling, emaDecay, attributes, priors, seeds, r1Gamma,
                    r1Every, conditionalDiscriminator, priorLr, classifierImages, tolerance, minibatchGroup, diversity);
        }
    }
}
