package dev.regula.examples.cli;

import dev.regula.gan.eval.GanScores;
import dev.regula.gan.train.CaseStudyListener;
import dev.regula.gan.train.CaseStudyResult;
import dev.regula.gan.train.Dcgan;
import dev.regula.gan.train.FaceCaseStudy;
import dev.regula.gan.train.GanStep;
import dev.regula.examples.plot.LineChart;
import dev.regula.examples.plot.Series;
import dev.regula.progress.ProgressMode;
import dev.regula.progress.ProgressReporter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code regula gan}: the face-generation case study. Trains the conditional DCGAN once per
 * penalty strength λ (same seed, data and initial weights), shows a progress bar per run, and
 * writes sample grids, metrics, checkpoints, the ablation table ({@code ablation.md}, also printed)
 * and {@code curves.png} (losses, feature error and Fréchet distance per λ) into the output folder.
 */
@Command(name = "gan", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, sortOptions = false,
        description = {"The soft-regularized face GAN case study: a generator told a few attributes of a face (the limited"
                + " prior c) pays lambda x how far a fixed probe reads them off its faces; one run per lambda, prior form and seed,"
                + " sample grids and an ablation table.",
            "The defaults take under 5 minutes on 2 cores with the SIMD kernels. Examples:",
            "  regula gan --lambda 0,0.3,1 --prior both --seeds 3 --out regula-out/gan",
            "  regula gan --ablation      (lambda 0, 0.03, 0.1, 0.3, 1, 3 x fixed, learnable x 3 seeds)"})
public final class GanCommand implements Callable<Integer> {
    /** The curves image written next to the ablation table. */
    static final String CURVES = "curves.png";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--lambda", split = ",", paramLabel = "L", defaultValue = "0,0.1", converter = Lambda.class,
            description = "penalty strengths, one run each (default: ${DEFAULT-VALUE})")
    List<Double> lambdas;

    /** A strength as a decimal number: not Java's 1d, 1f or 0x1p-3, and not one so small that it reads as 0. */
    static final class Lambda implements CommandLine.ITypeConverter<Double> {
        private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

        @Override
        public Double convert(String text) {
            String t = text.strip();
            if (!DECIMAL.matcher(t).matches()) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a decimal number (e.g. 0.1 or 3e-2)");
            }
            double v = Double.parseDouble(t);
            if (v == 0 && t.matches(".*[1-9].*[eE].*")) {
                throw new CommandLine.TypeConversionException("'" + text + "' is too small for a double and would read as 0; give 0 for"
                        + " no prior penalty");
            }
            return v;
        }
    }

    @Option(names = "--prior", paramLabel = "FORM", defaultValue = "learnable",
            description = "form of the prior penalty for each lambda > 0: fixed, learnable (per-attribute precisions learned"
                    + " with G) or both (default: ${DEFAULT-VALUE})")
    String prior;

    @Option(names = "--attributes", paramLabel = "A+B", defaultValue = "smiling+glasses+dark_hair+pale_skin",
            description = "the attributes the limited prior c carries, joined by '+': smiling, glasses, dark_hair, pale_skin"
                    + " (default: ${DEFAULT-VALUE})")
    String attributes;

    @Option(names = "--tolerance", paramLabel = "T", defaultValue = "real",
            description = "zero-penalty band of the prior around c: real (the probe's residual on real faces, per attribute),"
                    + " a number >= 0, or one number per attribute joined by '+'; 0 demands phi(G) = c exactly (default: ${DEFAULT-VALUE})")
    String tolerance;

    @Option(names = "--seeds", defaultValue = "1", description = "runs per setting, seeds --seed, --seed + 1, ... (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--ablation", description = "the full ablation: lambda 0, 0.03, 0.1, 0.3, 1, 3 x fixed and learnable prior x 3 seeds"
            + " (sets --lambda, --prior and --seeds, which it refuses beside it; 33 runs)")
    boolean ablation;

    @Option(names = "--r1", defaultValue = "" + FaceCaseStudy.Config.DEFAULT_R1_GAMMA,
            description = "gamma of the lazy R1 penalty on D, 0 for none (default: ${DEFAULT-VALUE})")
    double r1;

    @Option(names = "--minibatch-stddev", paramLabel = "G", defaultValue = "" + FaceCaseStudy.Config.DEFAULT_MINIBATCH_GROUP,
            description = "D sees the standard deviation of each group of G images (Karras et al. 2018) before its last"
                    + " convolution; G divides --batch; 0 for none (default: ${DEFAULT-VALUE})")
    int minibatchGroup;

    @Option(names = "--diversity", paramLabel = "W", defaultValue = "" + FaceCaseStudy.Config.DEFAULT_DIVERSITY,
            description = "weight of the diversity-sensitive term on G (Yang et al. 2019): pairs of faces made from one"
                    + " condition are rewarded for differing, up to a cap; 0 for none (default: ${DEFAULT-VALUE})")
    double diversity;

    @Option(names = "--latent", defaultValue = "" + FaceCaseStudy.Config.DEFAULT_LATENT,
            description = "length of the latent z, 1 to " + FaceCaseStudy.Config.MAX_LATENT + " (default: ${DEFAULT-VALUE})")
    int latent;

    @Option(names = "--unconditional-d", description = "D(x) ignores the condition (default: a projection discriminator D(x, c))")
    boolean unconditionalD;

    @Option(names = "--iterations", defaultValue = "" + FaceCaseStudy.Config.DEFAULT_ITERATIONS,
            description = "iterations per run (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--batch", defaultValue = "" + FaceCaseStudy.Config.DEFAULT_BATCH, description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--width", defaultValue = "" + FaceCaseStudy.Config.DEFAULT_WIDTH,
            description = "channel width of G and D, a multiple of 4; 128 is the full DCGAN (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--upsample", paramLabel = "MODE", defaultValue = "nearest",
            description = "how G doubles its feature maps: nearest (nearest-neighbour x2 + conv 3x3: no checkerboard texture)"
                    + " or transpose (DCGAN's conv-transpose 4/2/1, faster) (default: ${DEFAULT-VALUE})")
    String upsample;

    @Option(names = "--ema", defaultValue = "" + FaceCaseStudy.Config.DEFAULT_EMA_DECAY,
            description = "decay of the moving average of G's weights that draws the samples and is evaluated;"
                    + " 0 uses the live G (training is the same either way) (default: ${DEFAULT-VALUE})")
    double ema;

    @Option(names = "--size", defaultValue = "" + FaceCaseStudy.Config.DEFAULT_SIZE, description = "image side: 16, 32 or 64 (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--data", defaultValue = "synthetic", paramLabel = "DATA",
            description = "synthetic (rendered faces, no download) or celeba:<dir> (img_align_celeba/ and list_attr_celeba.txt) (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--train-images", defaultValue = "" + FaceCaseStudy.Config.DEFAULT_TRAIN_IMAGES, description = "training faces (default: ${DEFAULT-VALUE})")
    int trainImages;

    @Option(names = "--eval-images", defaultValue = "1024", description = "held-out faces for evaluation, >= 64 (default: ${DEFAULT-VALUE})")
    int evalImages;

    @Option(names = "--classifier-images", defaultValue = "4096",
            description = "real faces that train the evaluation classifier, apart from all others (default: ${DEFAULT-VALUE})")
    int classifierImages;

    @Option(names = "--sample-every", defaultValue = "500", description = "iterations between sample grids and evaluations (default: ${DEFAULT-VALUE})")
    int sampleEvery;

    @Option(names = "--g-reg", paramLabel = "SPEC", description = "regularizer of G's parameters, repeatable (default: none)")
    List<String> generatorRegularizers = new ArrayList<>();

    @Option(names = "--d-reg", paramLabel = "SPEC", defaultValue = "none",
            description = "regularizer of D's parameters, repeatable, e.g. spectral-norm(max=1.0); 'none' for none (default: ${DEFAULT-VALUE})")
    List<String> discriminatorRegularizers;

    @Option(names = "--optimizer", defaultValue = FaceCaseStudy.Config.DEFAULT_OPTIMIZER, description = "optimizer of G and D (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--seed", defaultValue = "1", description = "seed of data, weights, latents and batches (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "compute threads; with several runs, as many runs train at once,"
            + " each on threads/runs of them (default: all processors)")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "regula-out/gan", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--resume", description = "continue the study in --out: each run resumes from the state it saved at its last"
            + " evaluation (resume.safetensors: both networks, both optimizers, the prior's state, the step) and ends bit-identical"
            + " to an uninterrupted run; runs that never saved start afresh; other settings are refused")
    boolean resume;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE",
            description = "progress display: auto (a bar on a terminal, a plain line every 10 s otherwise), bar, lines or none (default: ${DEFAULT-VALUE})")
    String progress;

    /** Creates the command. */
    public GanCommand() {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        ProgressMode mode = TrainingOptions.parseProgress(progress);
        int computeThreads = SizeLimits.threads(threads);
        Dcgan.Upsampling upsampling = switch (upsample.toLowerCase(Locale.ROOT)) {
            case "nearest" -> Dcgan.Upsampling.NEAREST;
            case "transpose" -> Dcgan.Upsampling.TRANSPOSE;
            default -> throw new IllegalArgumentException("--upsample must be nearest or transpose, got '" + upsample + "'");
        };
        List<String> dRegs = discriminatorRegularizers.stream().filter(s -> !s.equalsIgnoreCase("none")).toList();
        List<String> gRegs = generatorRegularizers.stream().filter(s -> !s.equalsIgnoreCase("none")).toList();
        List<Boolean> priors = switch (prior.toLowerCase(Locale.ROOT)) {
            case "fixed" -> List.of(false);
            case "learnable" -> List.of(true);
            case "both" -> List.of(false, true);
            default -> throw new IllegalArgumentException("--prior must be fixed, learnable or both, got '" + prior + "'");
        };
        if (ablation) {
            for (String set : List.of("--lambda", "--prior", "--seeds")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(set)) {
                    throw new IllegalArgumentException("--ablation sets " + set + " itself (the study's settings); leave " + set
                            + " out, or drop --ablation to choose your own");
                }
            }
            lambdas = FaceCaseStudy.Config.ABLATION_LAMBDAS;
            priors = FaceCaseStudy.Config.ABLATION_PRIORS;
            seeds = FaceCaseStudy.Config.ABLATION_SEEDS;
        }
        FaceCaseStudy.Config config = FaceCaseStudy.Config.builder()
                .attributes(dev.regula.gan.prior.FacePrior.parseAttributes(attributes)).priors(priors).seeds(seeds)
                .r1(r1, FaceCaseStudy.Config.DEFAULT_R1_EVERY).conditionalDiscriminator(!unconditionalD)
                .minibatchGroup(minibatchGroup).latent(latent).diversity(diversity)
                .lambdas(lambdas).iterations(iterations).batchSize(batch).width(width).upsampling(upsampling).emaDecay(ema).imageSize(size).data(data)
                .trainImages(trainImages).evalImages(evalImages).classifierImages(classifierImages).tolerance(tolerance).sampleEvery(sampleEvery)
                .generatorRegularizers(gRegs).discriminatorRegularizers(dRegs).optimizer(optimizer)
                .seed(seed).threads(computeThreads).output(out)
                .build();
        stdout.printf(Locale.ROOT, "regula gan: %s faces %dx%d, prior c = {%s}, lambda %s (%s), %d seed(s), %d iterations x batch %d,"
                        + " width %d, latent %d, %s D%s %s, R1 %s, diversity %s -> %s%n",
                data, size, size, String.join(", ", config.attributes()), lambdas,
                String.join(", ", priors.stream().map(learnable -> learnable ? "learnable" : "fixed").toList()), seeds, iterations, batch, width,
                latent, unconditionalD ? "unconditional" : "projection",
                minibatchGroup > 0 ? " (minibatch stddev, groups of " + minibatchGroup + ")" : "",
                dRegs.isEmpty() ? "unregularized" : String.join(" + ", dRegs), r1, diversity, out);
        stdout.flush();
        FaceCaseStudy study = new FaceCaseStudy(config, resume);
        // refused before the output folder is made or claimed; what would do nothing is said once, here
        PrintWriter stderr = spec.commandLine().getErr();
        for (String warning : study.checkRecipe()) stderr.println("regula: warning: " + warning);
        stderr.flush();
        Progress listener = new Progress(mode, stdout, System.err);
        CaseStudyResult result;
        try (OutputFolder folder = OutputFolder.claim(out, resume, "regula gan")) {
            // the study writes curves.png where a train run keeps its own: never over another command's run
            folder.refuseRunOf("regula train run", List.of(TrainCommand.CHECKPOINT, MetricsLog.CSV), CURVES, "study");
            result = study.run(listener);
        } finally {
            listener.close();
        }
        writeCurves(result);
        stdout.println();
        stdout.print(Files.readString(out.resolve("ablation.md")));
        stdout.printf(Locale.ROOT, "%nwrote %s, %s, %s and per run: sample grids, metrics.jsonl, gan.safetensors (%.0f s)%n",
                out.resolve("ablation.md"), out.resolve("real.png"), out.resolve(CURVES), result.seconds());
        stdout.flush();
        return ExitCode.OK;
    }

    private void writeCurves(CaseStudyResult result) throws IOException {
        LineChart.Builder losses = LineChart.builder("GAN losses").xLabel("iteration").yLabel("loss");
        LineChart.Builder accuracy = LineChart.builder("attribute accuracy of generated faces").xLabel("iteration").yLabel("accuracy");
        LineChart.Builder frechet = LineChart.builder("Frechet distance to real faces").xLabel("iteration").yLabel("Frechet");
        for (CaseStudyResult.Run run : result.runs()) {
            if (run.key().seed() != seed) continue; // one curve per setting: the first seed's
            List<String> lines = Files.readAllLines(run.directory().resolve("metrics.jsonl"));
            String label = run.key().setting().replace("λ", "lambda");
            losses.series(series(label + " D", lines, "d_loss"));
            losses.series(series(label + " G", lines, "g_loss"));
            accuracy.series(series(label, lines, "attribute_accuracy"));
            frechet.series(series(label, lines, "frechet"));
        }
        LineChart.writePngRow(out.resolve(CURVES), List.of(losses.build(), accuracy.build(), frechet.build()), 640, 420);
    }

    /** The points of one key of the metric lines that have it (evaluation keys appear only on some lines). */
    static Series series(String name, List<String> jsonLines, String key) {
        Pattern p = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?[0-9.eE+-]+|null)");
        Pattern it = Pattern.compile("\"iteration\":([0-9]+)");
        List<double[]> points = new ArrayList<>();
        for (String line : jsonLines) {
            Matcher m = p.matcher(line);
            Matcher i = it.matcher(line);
            if (!m.find() || !i.find()) continue;
            points.add(new double[] {Double.parseDouble(i.group(1)), m.group(1).equals("null") ? Double.NaN : Double.parseDouble(m.group(1))});
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = points.get(k)[0];
            y[k] = points.get(k)[1];
        }
        return new Series(name, x, y);
    }

    /**
     * Shows one progress bar for the runs that train at once (one run, or a wave of concurrent
     * runs: their iterations summed) and one summary line per run after it.
     */
    private static final class Progress implements CaseStudyListener, AutoCloseable {
        private final ProgressMode mode;
        private final PrintWriter stdout;
        private final PrintStream err;
        private final Map<FaceCaseStudy.RunKey, RunState> active = new LinkedHashMap<>();
        private ProgressReporter reporter;
        private long waveStart;
        private int iterations;

        /** What the bar shows of one run of the wave. */
        private static final class RunState {
            final String name;
            long done;
            /** The iterations the run had done before this command (a resumed run), −1 before its first iteration here. */
            long resumedAt = -1;
            GanStep last;
            double frechet = Double.NaN;

            RunState(String name) {
                this.name = name;
            }
        }

        Progress(ProgressMode mode, PrintWriter stdout, PrintStream err) {
            this.mode = mode;
            this.stdout = stdout;
            this.err = err;
        }

        @Override
        public void onPhase(String description) {
            stdout.println("  " + description);
            stdout.flush();
        }

        @Override
        public void onRunStart(FaceCaseStudy.RunKey key, int run, int runs, int iterations) {
            String name = String.format(Locale.ROOT, "[%d/%d] %s, seed %d", run + 1, runs, key.setting(), key.seed());
            stdout.println(name);
            stdout.flush();
            if (active.isEmpty()) waveStart = System.nanoTime();
            this.iterations = iterations;
            active.put(key, new RunState(name));
            // a wave's runs all start before any iterates: the bar is opened at the first iteration
            close();
        }

        @Override
        public void onIteration(FaceCaseStudy.RunKey key, GanStep s) {
            RunState state = active.get(key);
            if (state == null) return;
            if (state.resumedAt < 0) state.resumedAt = s.step() - 1; // a resumed run's earlier iterations are not this wave's work
            state.done = s.step();
            state.last = s;
            if (reporter == null) {
                // one run: its full name; a wave: the runs' numbers, e.g. "[1/2] [2/2]"
                List<String> names = active.values().stream().map(r -> r.name).toList();
                String task = names.size() == 1 ? names.get(0)
                        : String.join(" ", names.stream().map(n -> n.substring(0, n.indexOf(']') + 1)).toList());
                reporter = ProgressReporter.open(mode, task, (long) iterations * active.size(), err,
                        ProgressReporter.DEFAULT_LINE_INTERVAL);
            }
            long done = 0;
            long doneHere = 0;
            for (RunState r : active.values()) {
                done += r.done;
                if (r.resumedAt >= 0) doneHere += r.done - r.resumedAt;
            }
            double rate = doneHere / ((System.nanoTime() - waveStart) / 1e9);
            reporter.update(done, () -> message(rate));
        }

        /** The figures beside the bar: each active run's last losses (and Frechet distance), and the rate. */
        private String message(double rate) {
            StringBuilder message = new StringBuilder();
            for (RunState r : active.values()) {
                if (r.last == null) continue;
                if (!message.isEmpty()) message.append(" | ");
                message.append(String.format(Locale.ROOT, "D %.3f G %.3f feature err %.3f%s", r.last.discriminatorLoss(),
                        r.last.generatorLoss(), r.last.featureError(),
                        Double.isNaN(r.frechet) ? "" : String.format(Locale.ROOT, " Frechet %.2f", r.frechet)));
            }
            return message.append(String.format(Locale.ROOT, " %.1f it/s", rate)).toString();
        }

        @Override
        public void onEvaluation(FaceCaseStudy.RunKey key, long iteration, GanScores scores) {
            RunState state = active.get(key);
            if (state != null) state.frechet = scores.frechet();
        }

        @Override
        public void onRunEnd(CaseStudyResult.Run run) {
            close();
            active.remove(run.key());
            GanScores s = run.scores();
            stdout.printf(Locale.ROOT, "      attribute accuracy %.3f  Frechet %.2f  KID %.4f  precision %.3f  recall %.3f  diversity %.3f"
                            + "  %.1fs  -> %s%n", s.meanAccuracy(), s.frechet(), s.kid(), s.precision(), s.recall(), s.diversity(),
                    run.seconds(), run.directory());
            stdout.flush();
        }

        @Override
        public void close() {
            if (reporter != null) reporter.close();
            reporter = null;
        }
    }
}
