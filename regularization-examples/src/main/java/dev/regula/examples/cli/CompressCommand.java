package dev.regula.examples.cli;

import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.LearnableRegularizer;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.data.Dataset;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import dev.regula.examples.compress.CodebookProjection;
import dev.regula.examples.compress.CompressedFile;
import dev.regula.examples.compress.MixtureQuantizer;
import dev.regula.examples.compress.RatioTarget;
import dev.regula.examples.compress.SparseCode;
import dev.regula.examples.compress.WeightHistogram;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code regula compress}: soft weight-sharing compression (Ullrich, Meeds &amp; Welling 2017) end to
 * end. Pretrains the model ({@code --epochs} with {@code --optimizer}) or loads it
 * ({@code --pretrained}), retrains it with a Gaussian-mixture prior over its weights (component 0
 * fixed at 0 with π_0 = 0.9 by default), sets every weight to the mean of its most responsible
 * component (component 0: pruned), keeps only the components in use, then fine-tunes each weight
 * tensor's codebook and the biases with the codes fixed ({@code --finetune-epochs},
 * {@link CodebookProjection}). Reports the accuracy at each stage and the compression ratio twice:
 * from the bits (32 per parameter of the dense model over, per weight tensor, its entries of a
 * ⌈log2 K⌉-bit code and a relative index of the best width, with filler entries for long gaps, and
 * its codebook of K 32-bit values; biases dense at 32 bits) and from the bytes of the file written
 * ({@link CompressedFile}: the entries bit-packed as U8), which it reads back into a fresh model
 * and evaluates. Writes {@code compressed.safetensors}, {@code quantized.safetensors} (the dense
 * quantised model as a Regula checkpoint), {@code retrained.safetensors} (the network after
 * retraining with the prior, before quantisation), {@code pretrained.safetensors} when it
 * pretrained, and {@code histogram.png}.
 */
@Command(name = "compress", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class, sortOptions = false,
        description = "Compress a model by soft weight sharing (Ullrich et al. 2017): retrain with a mixture prior, quantise, prune")
public final class CompressCommand implements Callable<Integer> {
    static final String PRIOR = "soft-weight-sharing";
    /**
     * λ·N of the default prior (λ = 2e-6 for Fashion-MNIST's 60,000 examples): the paper's 0.003/N
     * left the weights of the reference MLP unclustered in 20 epochs, 1e-6 clustered them too
     * loosely to quantise, 3e-6 cost accuracy in retraining (docs/soft-regularizers.md).
     */
    static final double DEFAULT_LAMBDA_TIMES_N = 0.12;
    /**
     * λ·N of the default prior with {@code --target-ratio} (λ = 1.5e-6 for 60,000 examples): the
     * radius then decides what is pruned, so the prior only has to cluster, and a gentler one
     * keeps more accuracy; 0.06/N clustered too loosely (docs/soft-regularizers.md).
     */
    static final double DEFAULT_TARGET_LAMBDA_TIMES_N = 0.09;
    /** π_0 of the default prior: 0.99 pruned to 2.6 % of the weights, more than the 40× target needs, and lost accuracy. */
    static final double DEFAULT_PI0 = 0.9;
    /** Learning rate of the default fine-tuning, Adam annealed to 0 by a cosine over the fine-tuning epochs. */
    static final double DEFAULT_FINETUNE_LR = 1e-3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TrainingOptions options = new TrainingOptions();

    @Option(names = "--pretrained", paramLabel = "FILE",
            description = "start from this checkpoint of --model (e.g. regula train's checkpoint.safetensors) instead of pretraining")
    Path pretrained;

    @Option(names = "--retrain-epochs", defaultValue = "20", description = "epochs of retraining with the prior (default: ${DEFAULT-VALUE})")
    int retrainEpochs;

    @Option(names = "--retrain-optimizer", paramLabel = "SPEC", defaultValue = "adam(lr=5e-4)",
            description = "optimizer of the retraining (default: ${DEFAULT-VALUE})")
    String retrainOptimizer;

    @Option(names = "--prior", paramLabel = "SPEC",
            description = "the " + PRIOR + "(...) spec of the retraining; keys it leaves out keep the defaults: lambda=0.12/N for N"
                    + " training examples (0.09/N with --target-ratio), components=16, pi0=0.9, init_range = max |w| of the pretrained weights, gamma_shape=5000,"
                    + " gamma_rate=0.5, the paper's rates")
    String prior;

    @Option(names = "--merge-distance", defaultValue = "0", paramLabel = "D",
            description = "before quantising, merge mixture components whose means are closer than D, and into the zero component"
                    + " those within D of 0 (0: no merging; default: ${DEFAULT-VALUE})")
    double mergeDistance;

    @Option(names = "--target-ratio", paramLabel = "R",
            description = "after retraining, prune more or fewer weights so that the compression by the bits is at least R and as"
                    + " close to it as the rule allows: weights within the smallest radius of 0 that reaches R (bisection) are"
                    + " pruned, the others go to their most responsible non-zero component; the default prior is then gentler,"
                    + " lambda=0.09/N (default: none, the mixture's own rule)")
    Double targetRatio;

    @Option(names = "--finetune-epochs", defaultValue = "30",
            description = "epochs of fine-tuning after quantisation: codes fixed, each weight tensor's codebook and the biases trained"
                    + " (0: none; default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--finetune-optimizer", paramLabel = "SPEC",
            description = "optimizer of the fine-tuning (default: adam(lr=cosine(from=1e-3, to=0, epochs=E)), E = --finetune-epochs)")
    String finetuneOptimizer;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "regula-out/compress", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    /** Creates the command. */
    public CompressCommand() {
    }

    /** The network before retraining, written when this command pretrained it. */
    static final String PRETRAINED = "pretrained.safetensors";
    /** The network after retraining with the prior, before quantisation. */
    static final String RETRAINED = "retrained.safetensors";
    /** The files a compress run writes into its folder. */
    static final List<String> OUTPUTS = List.of(PRETRAINED, RETRAINED, "compressed.safetensors", "quantized.safetensors", "histogram.png");

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        options.validate();
        if (retrainEpochs < 1) throw new IllegalArgumentException("--retrain-epochs must be >= 1, got " + retrainEpochs);
        if (!(mergeDistance >= 0) || Double.isInfinite(mergeDistance)) {
            throw new IllegalArgumentException("--merge-distance must be a number >= 0, got " + mergeDistance);
        }
        if (targetRatio != null && (!(targetRatio > 1) || Double.isInfinite(targetRatio))) {
            throw new IllegalArgumentException("--target-ratio must be a finite number > 1 (the compression by the bits, e.g. 40), got "
                    + targetRatio);
        }
        if (options.validation != null) {
            throw new IllegalArgumentException("regula compress reports every stage on the test set; --validation is not used by it");
        }
        if (options.evalWeights() != dev.regula.core.train.EvalWeights.LIVE) {
            throw new IllegalArgumentException("regula compress evaluates the live weights at every stage; --eval-weights "
                    + options.evalWeights().word() + " is not used by it");
        }
        if (finetuneEpochs < 0) throw new IllegalArgumentException("--finetune-epochs must be >= 0 (0: no fine-tuning), got " + finetuneEpochs);
        if (pretrained != null) {
            for (String pretraining : List.of("--epochs", "--optimizer")) {
                if (options.given(pretraining)) {
                    throw new IllegalArgumentException(pretraining + " sets the pretraining, which --pretrained replaces; leave it out"
                            + " (the retraining has --retrain-epochs and --retrain-optimizer)");
                }
            }
        }
        if (prior != null && !dev.regula.api.spec.Spec.parse(prior).name().equals(PRIOR)) { // a typo is reported as in --reg
            throw new IllegalArgumentException("--prior must be a " + PRIOR + "(...) spec, got '" + prior + "'");
        }
        if (finetuneEpochs == 0 && finetuneOptimizer != null) {
            throw new IllegalArgumentException("--finetune-optimizer sets the fine-tuning, which --finetune-epochs 0 leaves out; give"
                    + " one of them");
        }
        // every spec is parsed before data is read or an epoch runs, so that a typo costs nothing
        options.config(List.of(priorSpec(1e-6, 1))).optimizer(retrainOptimizer).build(); // the defaults' values come later
        if (finetuneOptimizer != null) options.config(List.of()).optimizer(finetuneOptimizer).build();
        dev.regula.api.model.Models.installed().parse(options.model);
        // a missing, special or unreadable --pretrained is a data error (exit 3), found before any work; one inside the
        // output folder is checked once an aside a killed run left there is settled: it may be in it
        boolean pretrainedInOut = pretrained != null && pretrained.toAbsolutePath().normalize().startsWith(out.toAbsolutePath().normalize());
        if (pretrained != null && !pretrainedInOut) requirePretrained();
        try (OutputFolder folder = OutputFolder.claim(out, false, "regula compress")) {
            // a train or compare killed in this folder while it held an earlier run aside: settled as that command would have
            String recovered = dev.regula.core.io.EarlierRun.recover(out, out.resolve("compressed.safetensors"), OUTPUTS).warning(out);
            if (recovered != null) {
                spec.commandLine().getErr().println("regula: warning: " + recovered);
                spec.commandLine().getErr().flush();
            }
            if (pretrainedInOut) requirePretrained();
            // the run's files, each output's place checked before any work (a folder in a file's place is refused now, not
            // after retraining); the folder's own pretrained.safetensors read as --pretrained is not one of them: a run
            // from --pretrained never writes that name, so it stays as it is
            List<String> runNames = new java.util.ArrayList<>();
            boolean earlier = false;
            for (String name : OUTPUTS) {
                Path f = folder.file(name);
                boolean present = java.nio.file.Files.exists(f);
                if (present && name.equals(PRETRAINED) && pretrained != null && java.nio.file.Files.isSameFile(f, pretrained)) continue;
                runNames.add(name);
                earlier |= present;
            }
            TrainingOptions.Data data = options.load();
            if (data.regression()) throw new IllegalArgumentException("regula compress needs classes (cross-entropy), not --loss " + options.loss);
            Dataset train = data.train();
            Dataset test = data.test();
            Model net = options.model(data);
            List<Parameter> params = net.parameters();
            if (pretrained != null) {
                restorePretrained(Checkpoint.load(pretrained), net);
                checkMergeDistance(params); // before an earlier run's files go
                stdout.printf("regula compress: loaded %s (%s)%n", pretrained, options.model);
            }
            // every fit trains on the whole training set: a batch of one reaching a BatchNorm is refused before anything moves
            dev.regula.core.train.LastBatchOfOne.check(net, options.batch, "the training set", train.size());
            dev.regula.core.io.EarlierRun aside = null;
            if (earlier) {
                // everything that can refuse the run before it trains has accepted it: the earlier run's files are set
                // aside (--pretrained, if it is one of them, is read already) and dropped once this run has saved its
                // first network, which is never the file it started from; a failure before that puts them back
                aside = dev.regula.core.io.EarlierRun.setAside(out, runNames, pretrained == null ? PRETRAINED : RETRAINED);
                spec.commandLine().getErr().println("regula: warning: " + out + " holds an earlier compress run; it is replaced by this"
                        + " one once this run saves its first network, put back if this run fails before that (--out DIR keeps it)");
                spec.commandLine().getErr().flush();
            }
            if (aside == null) {
                compress(folder, data, train, test, net, params, stdout, false);
            } else {
                aside.finishAfter(() -> {
                    compress(folder, data, train, test, net, params, stdout, true);
                    return null;
                });
            }
        }
        return ExitCode.OK;
    }

    /**
     * The pipeline after the folder is claimed and the data and network are ready: pretraining
     * (without --pretrained), retraining with the prior, quantisation, fine-tuning, the files.
     */
    private void compress(OutputFolder folder, TrainingOptions.Data data, Dataset train, Dataset test, Model net, List<Parameter> params,
                          PrintWriter stdout, boolean replacing) throws IOException {
        double maxAbs = Double.NaN; // max |w| of the pretrained weights, checked against --merge-distance once they are known
        Map<String, Tensor> layerState = net.state(); // the layers' own tensors (BatchNorm's statistics), live
        if (pretrained == null) {
            stdout.printf("regula compress: pretraining %s for %d epochs with %s, kernels %s%n", options.model, options.epochs,
                    options.optimizer, options.kernels().name());
            stdout.flush();
            new Trainer(net, options.config(List.of()).callback(progress("[pretrain]")).build()).fit(train, test);
            // refused before the pretrained network would replace an earlier run waiting aside; with none, it is kept
            // for a rerun with --pretrained
            if (replacing) maxAbs = checkMergeDistance(params);
            Checkpoint.save(folder.file(PRETRAINED), params, layerState, fileMetadata());
        }
        double before = evaluate(net, test);
        List<Parameter> weights = params.stream().filter(p -> p.role() == ParameterRole.WEIGHT).toList();
        float[] pretrainedWeights = concat(weights);
        if (Double.isNaN(maxAbs)) maxAbs = checkMergeDistance(params); // refused now, not after the retraining
        double lambdaTimesN = targetRatio != null ? DEFAULT_TARGET_LAMBDA_TIMES_N : DEFAULT_LAMBDA_TIMES_N;
        String priorSpec = priorSpec(lambdaTimesN / train.size(), maxAbs);
        String tuneOptimizer = finetuneOptimizer != null ? finetuneOptimizer
                : String.format(Locale.ROOT, "adam(lr=cosine(from=%s, to=0, epochs=%d))", DEFAULT_FINETUNE_LR, finetuneEpochs);
        stdout.printf(Locale.ROOT, "pretrained: test accuracy %.4f; retraining %d epochs with %s and %s%n", before, retrainEpochs,
                retrainOptimizer, priorSpec);
        stdout.flush();
        TrainingConfig config = options.config(List.of(priorSpec)).optimizer(retrainOptimizer).epochs(retrainEpochs)
                .callback((dev.regula.core.train.TrainingCallback) new EpochLine(stdout, "retrain")).callback(progress("[retrain]")).build();
        Trainer retrain = new Trainer(net, config);
        Warnings.unmatched(retrain, spec.commandLine().getErr());
        retrain.fit(train, test);
        // kept before quantising: what the retraining cost is not lost if a later stage is refused
        Checkpoint.save(folder.file(RETRAINED), params, layerState, fileMetadata("prior", priorSpec));
        double retrained = evaluate(net, test);
        MixtureQuantizer learned = mixtureOf(retrain, priorSpec);
        MixtureQuantizer mixture;
        try {
            mixture = learned.merged(mergeDistance);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--merge-distance: " + e.getMessage() + " (the retrained network is in "
                    + out.resolve(RETRAINED) + ")", e);
        }
        if (mixture != learned) {
            stdout.printf(Locale.ROOT, "merged the %d components (means closer than %s) into %d%n", learned.means().length, mergeDistance,
                    mixture.means().length);
        }
        float[] retrainedWeights = concat(weights);
        String pruningRadius = null;
        double radius = -1; // < 0: the mixture's own rule
        if (targetRatio != null) {
            // the dense rest the file stores at 32 bits: the other parameters and the layers' state (BatchNorm's statistics)
            long others = params.stream().mapToLong(p -> p.value().data().length).sum() - retrainedWeights.length
                    + layerState.values().stream().mapToLong(Tensor::size).sum();
            RatioTarget.Choice choice = RatioTarget.choose(mixture, weights.stream().map(p -> p.value().data()).toList(), others,
                    targetRatio);
            radius = choice.radius();
            pruningRadius = String.format(Locale.ROOT, "%.6g", radius);
            stdout.printf(Locale.ROOT, "target ratio %s: weights within %.4g of 0 pruned, the others to their non-zero component:"
                    + " compression %.1fx by the bits%s%n", targetRatio, radius, choice.ratio(),
                    choice.reached() ? "" : " (short of the target even with every weight pruned)");
            stdout.flush();
        }
        // quantise and prune: every weight to its component, then only the components in use, renumbered (0 stays 0)
        float[] mixtureBook = mixture.codebook();
        Map<String, int[]> assignment = new LinkedHashMap<>();
        boolean[] usedCodes = new boolean[mixtureBook.length];
        usedCodes[0] = true;
        for (Parameter p : weights) {
            int[] a = radius < 0 ? mixture.assign(p.value().data()) : mixture.assign(p.value().data(), radius);
            for (int c : a) usedCodes[c] = true;
            assignment.put(p.name(), a);
        }
        int[] renumber = new int[mixtureBook.length];
        int k = 0;
        for (int j = 0; j < mixtureBook.length; j++) renumber[j] = usedCodes[j] ? k++ : -1;
        int used = k - 1;
        k = Math.max(k, 2); // codes of at least one bit, even when every weight was pruned
        float[] sharedBook = new float[k];
        for (int j = 0; j < mixtureBook.length; j++) if (usedCodes[j]) sharedBook[renumber[j]] = mixtureBook[j];
        for (Parameter p : weights) {
            int[] a = assignment.get(p.name());
            float[] v = p.value().data();
            for (int i = 0; i < a.length; i++) {
                a[i] = renumber[a[i]];
                v[i] = sharedBook[a[i]];
            }
        }
        double quantised = evaluate(net, test);
        double after = quantised;
        if (finetuneEpochs > 0) {
            stdout.printf(Locale.ROOT, "quantised and pruned: test accuracy %.4f; fine-tuning %d epochs with %s (codes fixed)%n",
                    quantised, finetuneEpochs, tuneOptimizer);
            stdout.flush();
            TrainingConfig tune = options.config(List.of()).optimizer(tuneOptimizer).epochs(finetuneEpochs)
                    .regularizer(new CodebookProjection(assignment, k))
                    .callback((dev.regula.core.train.TrainingCallback) new EpochLine(stdout, "fine-tune"))
                    .callback(progress("[fine-tune]")).build();
            new Trainer(net, tune).fit(train, test);
            after = evaluate(net, test);
        }
        Map<String, CompressedFile.Quantised> quantisedWeights = new LinkedHashMap<>();
        Map<String, Tensor> dense = new LinkedHashMap<>();
        long compressedBits = 0;
        long denseParams = 0;
        int nonZero = 0;
        for (Parameter p : params) {
            float[] v = p.value().data();
            denseParams += v.length;
            if (p.role() != ParameterRole.WEIGHT) {
                compressedBits += 32L * v.length;
                dense.put(p.name(), Tensor.of(v.clone(), p.value().shape()));
                continue;
            }
            int[] a = assignment.get(p.name());
            float[] book = CodebookProjection.codebook(v, a, k);
            for (int i = 0; i < v.length; i++) v[i] = book[a[i]];
            SparseCode code = SparseCode.encode(a, k);
            compressedBits += code.bits() + 32L * k;
            nonZero += code.nonZero();
            quantisedWeights.put(p.name(), new CompressedFile.Quantised(code, book, p.value().shape()));
        }
        for (Map.Entry<String, Tensor> e : layerState.entrySet()) { // BatchNorm's running statistics, dense as the biases
            denseParams += e.getValue().size();
            compressedBits += 32L * e.getValue().size();
            dense.put(e.getKey(), Tensor.of(e.getValue().data().clone(), e.getValue().shape()));
        }
        double ratio = 32.0 * denseParams / compressedBits;
        Map<String, String> meta = fileMetadata();
        meta.put("compressed_bits", Long.toString(compressedBits));
        meta.put("compression_ratio_bits", String.format(Locale.ROOT, "%.2f", ratio));
        meta.put("prior", priorSpec);
        if (pruningRadius != null) {
            meta.put("target_ratio", Double.toString(targetRatio));
            meta.put("pruning_radius", pruningRadius);
        }
        long fileBytes = CompressedFile.write(folder.file("compressed.safetensors"), quantisedWeights, dense, meta);
        double fileRatio = 4.0 * denseParams / fileBytes;
        // read the file back into a fresh copy of the model: it must be the quantised model, bit for bit
        Model check = options.model(data);
        Map<String, Tensor> readBack = CompressedFile.read(folder.file("compressed.safetensors"));
        for (Parameter p : check.parameters()) {
            Tensor t = readBack.get(p.name());
            if (t == null || !java.util.Arrays.equals(t.data(), findValue(params, p.name()))) {
                throw new IllegalStateException("compressed.safetensors does not read back to the quantised " + p.name());
            }
            System.arraycopy(t.data(), 0, p.value().data(), 0, t.data().length);
        }
        for (Map.Entry<String, Tensor> e : check.state().entrySet()) {
            Tensor t = readBack.get(e.getKey());
            if (t == null || !java.util.Arrays.equals(t.data(), layerState.get(e.getKey()).data())) {
                throw new IllegalStateException("compressed.safetensors does not read back to the model's layer state " + e.getKey());
            }
            e.getValue().copyFrom(t);
        }
        double readAccuracy = evaluate(check, test);
        Checkpoint.save(folder.file("quantized.safetensors"), params, layerState, fileMetadata("prior", priorSpec));
        WeightHistogram.write(folder.file("histogram.png"), List.of(
                new WeightHistogram.Panel("pretrained weights", pretrainedWeights, null),
                new WeightHistogram.Panel("after retraining with the prior (before quantisation)", retrainedWeights, learned)));
        int weightCount = pretrainedWeights.length;
        stdout.printf(Locale.ROOT, "test accuracy: pretrained %.4f, retrained %.4f, quantised and pruned %.4f, fine-tuned %.4f (%+.2f points)%n",
                before, retrained, quantised, after, 100 * (after - before));
        stdout.printf(Locale.ROOT, "non-zero weights %d of %d (%.2f%%), %d non-zero components used; %d bits against %d dense:"
                + " compression %.1fx%n", nonZero, weightCount, 100.0 * nonZero / weightCount, used, compressedBits, 32L * denseParams, ratio);
        stdout.printf(Locale.ROOT, "compressed.safetensors: %d bytes against %d bytes of dense float32 parameters: %.1fx;"
                + " read back: test accuracy %.4f%n", fileBytes, 4 * denseParams, fileRatio, readAccuracy);
        stdout.printf("wrote %s, %s, %s%s, %s%n", out.resolve("compressed.safetensors"), out.resolve("quantized.safetensors"),
                out.resolve(RETRAINED), pretrained == null ? ", " + out.resolve(PRETRAINED) : "", out.resolve("histogram.png"));
        stdout.flush();
        warnIfDegenerate(nonZero, after, majorityRate(test));
    }

    /**
     * Says so on standard error when the result is not a usable network: every weight pruned, or
     * a test accuracy no better than always answering the test set's most frequent class (the run
     * itself succeeded: its files are written).
     */
    private void warnIfDegenerate(int nonZero, double accuracy, double majority) {
        PrintWriter err = spec.commandLine().getErr();
        if (nonZero == 0) {
            err.println(targetRatio != null
                    ? "regula compress: warning: every weight was pruned (the compressed network's weights are all 0) to reach"
                            + " --target-ratio " + targetRatio + "; lower the --target-ratio"
                    : "regula compress: warning: every weight was pruned (the compressed network's weights are all 0); the prior"
                            + " was too strong for this network and data: lower its lambda or pi0, or give --target-ratio");
        } else if (accuracy <= majority + 0.01) {
            err.printf(Locale.ROOT, "regula compress: warning: the compressed network's test accuracy %.4f is no better than always"
                    + " answering the most frequent class (%.4f); lower the prior's lambda or the --target-ratio%n", accuracy, majority);
        }
        err.flush();
    }

    /** @return the share of the test set's most frequent class */
    private static double majorityRate(Dataset test) {
        float[] labels = test.labels().data();
        int[] counts = new int[Math.max(1, test.numClasses())];
        for (float y : labels) if (y >= 0 && y < counts.length) counts[(int) y]++;
        int most = 0;
        for (int c : counts) most = Math.max(most, c);
        return labels.length == 0 ? 0 : most / (double) labels.length;
    }

    /** Whether two model specs are the same spec, whatever their spacing. */

    /**
     * Refuses a --merge-distance that reaches every pretrained weight: every learned mean would be
     * within it, every component merge into the zero one and every weight be pruned.
     *
     * @param params the pretrained parameters
     * @return the largest |w| of the weights
     */
    private double checkMergeDistance(List<Parameter> params) {
        double maxAbs = 0;
        for (Parameter p : params) {
            if (p.role() != ParameterRole.WEIGHT) continue;
            for (float w : p.value().data()) maxAbs = Math.max(maxAbs, Math.abs(w));
        }
        if (mergeDistance > 0 && mergeDistance >= maxAbs) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--merge-distance %s reaches every pretrained weight"
                    + " (the largest |w| is %.4g), so it would reach every learned mean: every component would merge into the"
                    + " zero one and every weight be pruned; give a distance below %.4g", mergeDistance, maxAbs, maxAbs));
        }
        return maxAbs;
    }

    /**
     * Puts the --pretrained network into {@code net}: its parameters and its layers' state
     * (BatchNorm's running statistics), all checked before any is copied. A checkpoint of
     * {@code regula train} may hold its regularizers' own parameters beside the model's (named
     * after the regularizer: {@code soft-weight-sharing.means}); they are left unused.
     *
     * @throws IllegalArgumentException if the checkpoint records another model or another
     *     --normalize than this run's
     * @throws CorruptDataException if a parameter or a layer state is missing, or the checkpoint holds
     *     a parameter that is neither the model's nor a regularizer's own
     */
    private void restorePretrained(Checkpoint saved, Model net) throws IOException {
        String savedModel = saved.metadata().get("model");
        if (savedModel != null && !Setting.sameModel(savedModel, options.model)) {
            throw new IllegalArgumentException("--pretrained " + pretrained + " is a checkpoint of --model " + savedModel
                    + ", not of " + options.model + "; give --model '" + savedModel + "' or a checkpoint of " + options.model);
        }
        String savedNormalize = saved.metadata().get("normalize");
        if (savedNormalize != null && !savedNormalize.equalsIgnoreCase(options.normalize)) {
            throw new IllegalArgumentException("--pretrained " + pretrained + " was trained on inputs scaled by --normalize "
                    + savedNormalize + ", this run scales them by --normalize " + options.normalize + "; give --normalize "
                    + savedNormalize + " (its weights fit those inputs)");
        }
        Map<String, Tensor> state = net.state();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor t = saved.extraState().get(e.getKey());
            if (t == null) {
                throw new dev.regula.api.CorruptDataException("--pretrained " + pretrained + " lacks the layer state " + e.getKey()
                        + " of --model " + options.model + " (BatchNorm's running statistics; a compress of an earlier version"
                        + " wrote its networks without them): use regula train's checkpoint, or compress without --pretrained");
            }
            if (!t.sameShape(e.getValue())) {
                throw new dev.regula.api.ShapeMismatchException("--pretrained " + pretrained + ": layer state " + e.getKey() + " has shape "
                        + java.util.Arrays.toString(t.shape()) + ", the model's " + java.util.Arrays.toString(e.getValue().shape()));
            }
        }
        java.util.Set<String> regularizerNames = new java.util.HashSet<>();
        for (var p : dev.regula.api.regularizer.Regularizers.installed().providers()) regularizerNames.add(p.name());
        saved.restoreInto(net.parameters(), name -> name.indexOf('.') > 0 && regularizerNames.contains(name.substring(0, name.indexOf('.'))));
        state.forEach((name, t) -> t.copyFrom(saved.extraState().get(name)));
    }

    /** The model's layer state (BatchNorm's running statistics) and the run's settings, as the files of this command keep them. */
    private Map<String, String> fileMetadata(String... more) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", options.model);
        meta.put("normalize", options.normalize);
        for (int i = 0; i + 1 < more.length; i += 2) meta.put(more[i], more[i + 1]);
        return meta;
    }

    private void requirePretrained() throws IOException {
        dev.regula.core.io.InputFiles.requireRegularFile(pretrained, "--pretrained (a checkpoint of --model " + options.model
                + ", e.g. regula train's " + TrainCommand.CHECKPOINT + " or pretrained.safetensors of an earlier compress)");
    }

    /**
     * @param lambda λ of the default prior
     * @param initRange the default spread of the initial means, max |w| of the pretrained weights
     * @return the prior of the retraining: the default one, with every key {@code --prior} gives
     *     replacing the default's
     */
    private String priorSpec(double lambda, double initRange) {
        Map<String, dev.regula.api.spec.SpecValue> keys = new LinkedHashMap<>(dev.regula.api.spec.Spec.parse(String.format(Locale.ROOT,
                "%s(lambda=%.6g, components=16, pi0=%s, init_range=%.6g, gamma_shape=5000, gamma_rate=0.5)", PRIOR, lambda,
                DEFAULT_PI0, initRange)).arguments());
        if (prior != null) {
            Map<String, dev.regula.api.spec.SpecValue> given = dev.regula.api.spec.Spec.parse(prior).arguments();
            // the hyperprior's shape and rate go together (both > 0, or both 0 for none): one given replaces both defaults
            if (given.containsKey("gamma_shape") || given.containsKey("gamma_rate")) {
                keys.remove("gamma_shape");
                keys.remove("gamma_rate");
            }
            keys.putAll(given);
        }
        return new dev.regula.api.spec.Spec(PRIOR, keys).toString();
    }

    /** @return the progress display --progress asks for, its lines prefixed by the stage */
    private dev.regula.progress.ProgressBarCallback progress(String stage) {
        return dev.regula.progress.ProgressBarCallback.builder().mode(options.progressMode()).prefix(stage).epochLines(false).build();
    }

    private static float[] findValue(List<Parameter> params, String name) {
        for (Parameter p : params) if (p.name().equals(name)) return p.value().data();
        throw new IllegalStateException("no parameter " + name);
    }

    private double evaluate(Model net, Dataset test) {
        return new Trainer(net, options.config(List.of()).build()).evaluate(test).accuracy();
    }

    /** The learned mixture: means, log π (π_0 fixed from the spec, the rest (1 − π_0)·softmax(logits)), precisions. */
    private static MixtureQuantizer mixtureOf(Trainer trainer, String priorSpec) {
        for (LearnableRegularizer r : trainer.pipeline().learnableRegularizers()) {
            if (!r.name().equals(PRIOR)) continue;
            List<Parameter> own = r.ownParameters();
            float[] means = own.get(0).value().data().clone();
            float[] logPrec = own.get(1).value().data();
            float[] logits = own.get(2).value().data();
            double pi0 = pi0(r.spec());
            int k = means.length;
            double[] logPi = new double[k];
            double[] tau = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (float l : logits) max = Math.max(max, l);
            double z = 0;
            for (float l : logits) z += Math.exp(l - max);
            logPi[0] = Math.log(pi0);
            for (int j = 1; j < k; j++) logPi[j] = Math.log1p(-pi0) + logits[j - 1] - max - Math.log(z);
            for (int j = 0; j < k; j++) tau[j] = Math.exp(logPrec[j]);
            return new MixtureQuantizer(means, logPi, tau);
        }
        throw new IllegalStateException("the retraining has no " + PRIOR + " regularizer (" + priorSpec + ")");
    }

    private static double pi0(String canonicalSpec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("pi0=([0-9.eE+-]+)").matcher(canonicalSpec);
        if (!m.find()) throw new IllegalStateException("no pi0 in " + canonicalSpec);
        return Double.parseDouble(m.group(1));
    }

    private static float[] concat(List<Parameter> ps) {
        int n = ps.stream().mapToInt(p -> p.value().data().length).sum();
        float[] out = new float[n];
        int at = 0;
        for (Parameter p : ps) {
            float[] v = p.value().data();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    /** One line per retraining or fine-tuning epoch. */
    private record EpochLine(PrintWriter out, String stage) implements dev.regula.core.train.TrainingCallback {
        @Override
        public void onEpochEnd(Trainer trainer, dev.regula.core.train.EpochMetrics m) {
            out.printf(Locale.ROOT, "%s epoch %2d  loss %.4f  penalty %.4g  test acc %.4f  %.1fs%n", stage, m.epoch(), m.trainLoss(),
                    m.totalPenalty(), m.validationAccuracy(), m.seconds());
            out.flush();
        }
    }
}
