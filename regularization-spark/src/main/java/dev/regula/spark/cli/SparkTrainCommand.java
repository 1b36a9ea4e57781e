package dev.regula.spark.cli;

import dev.regula.api.CorruptDataException;
import dev.regula.api.RegulaException;
import dev.regula.api.spec.SpecException;
import dev.regula.core.data.DataNotFoundException;
import dev.regula.core.data.Dataset;
import dev.regula.core.data.FashionMnist;
import dev.regula.core.data.Standardizer;
import dev.regula.core.io.EarlierRun;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import dev.regula.spark.SparkCheckpoints;
import dev.regula.spark.SparkEpoch;
import dev.regula.spark.SparkMasters;
import dev.regula.spark.SparkTrainer;
import dev.regula.spark.SparkTrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code regula train --spark MASTER}: trains on Fashion-MNIST with Spark, printing a line per
 * epoch (with the time per synchronisation), appending {@code metrics.csv} and writing
 * {@code checkpoint.safetensors} after every epoch; {@code --resume} continues from it.
 * {@code --compare-single} then trains the same settings on this machine alone, for timing.
 *
 * <p>Exit codes as {@code regula}: 0 done, 2 bad usage (options, specs, master), 3 bad or missing
 * data, 4 NaN or Inf, 5 the output cannot be written (not a folder, in use by another run).
 */
@Command(name = "regula train --spark", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = SparkTrainCommand.Version.class,
        description = "Data-parallel training on Apache Spark, e.g. regula train --spark local[2] --reg 'l2(lambda=1e-4)'")
public final class SparkTrainCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int USAGE = 2;
    static final int DATA = 3;
    static final int NUMERICAL = 4;
    static final int OUTPUT = 5;
    /** A run the JVM's exit on SIGINT cut short (the status a shell gives it: 128 + 2). */
    static final int INTERRUPTED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The version {@code -V} prints: the module's, as {@code regula -V} does. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SparkTrainCommand.class.getPackage().getImplementationVersion();
            return new String[] {"regula " + (v != null ? v : "(development build)") + " (train --spark)", "Java " + Runtime.version()};
        }
    }

    @Option(names = {"--spark", "--master"}, required = true, paramLabel = "MASTER",
            description = "Spark master: local[N], local[*], spark://host:7077, yarn, k8s://...")
    String master;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Fashion-MNIST IDX folder, readable by the driver (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--limit", paramLabel = "N", description = "use only the first N training examples")
    Long limit;

    @Option(names = "--model", paramLabel = "SPEC", defaultValue = "mlp(hidden=256x256)", description = "model spec (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--optimizer", paramLabel = "SPEC", defaultValue = "sgd(lr=0.05, momentum=0.9)",
            description = "optimizer spec (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = {"-r", "--reg"}, paramLabel = "SPEC", description = "a regularizer spec, repeatable")
    List<String> regularizers = new ArrayList<>();

    @Option(names = "--epochs", defaultValue = "10", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "global mini-batch, all workers together (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--sync-every", paramLabel = "K", defaultValue = "1",
            description = "local steps per synchronisation: 1 averages gradients (= one machine), more is local SGD (default: ${DEFAULT-VALUE})")
    int syncEvery;

    @Option(names = "--workers", paramLabel = "W", description = "data partitions (default: Spark's default parallelism)")
    Integer workers;

    @Option(names = "--seed", defaultValue = "42", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "regula-out/spark", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--resume", description = "continue from DIR/checkpoint.safetensors of an earlier run with the same settings")
    boolean resume;

    @Option(names = "--ui", description = "start Spark's web UI (off by default)")
    boolean ui;

    @Option(names = "--compare-single", description = "afterwards, train the same settings on this machine alone and print its time per epoch")
    boolean compareSingle;

    /** Creates the command. */
    public SparkTrainCommand() {
    }

    /**
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * @param args the arguments
     * @return the exit code
     */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new SparkTrainCommand());
        cl.setExpandAtFiles(false); // as regula's own command line: an argument starting with @ is taken as it is
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            PrintWriter err = line.getErr();
            int code = e instanceof Interrupted ? INTERRUPTED
                    : e instanceof OutputException ? OUTPUT
                    : e instanceof dev.regula.api.NumericalFaultException || causedByNumericalFault(e) ? NUMERICAL
                    : e instanceof CorruptDataException || e instanceof DataNotFoundException || e instanceof NoSuchFileException
                            || e instanceof IOException || e instanceof UncheckedIOException ? DATA
                    : e instanceof IllegalArgumentException || e instanceof SpecException || e instanceof RegulaException ? USAGE : 1;
            err.println("regula train --spark: " + e.getMessage());
            err.flush();
            return code;
        });
        return cl.execute(args);
    }

    /** A failure to write the run's output (exit 5). */
    static final class OutputException extends RuntimeException {
        OutputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A NaN found inside a Spark task reaches the driver wrapped in Spark's own exceptions. */
    private static boolean causedByNumericalFault(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.regula.api.NumericalFaultException) return true;
            if (t.getMessage() != null && t.getMessage().contains("NumericalFaultException")) return true;
        }
        return false;
    }

    /** The output folder: created now, before data or Spark, and owned by this run alone (a lock file). */
    private java.nio.channels.FileLock claimOutput() {
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new OutputException("--out " + out + " is not a folder; give a folder for the run's files", null);
            }
            Files.createDirectories(out);
            java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(out.resolve(".regula.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            java.nio.channels.FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException heldHere) {
                lock = null; // held by another run in this JVM
            }
            if (lock == null) {
                java.nio.ByteBuffer held = java.nio.ByteBuffer.allocate(512);
                int n = ch.read(held, 0);
                String holder = n <= 0 ? "" : new String(held.array(), 0, n, StandardCharsets.UTF_8).strip();
                ch.close();
                throw new OutputException("--out " + out + " is in use by another run" + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + "; wait for it or give another --out", null);
            }
            // the holder, as regula train writes it, so that a run refused on this folder can name it
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", regula train --spark, started "
                    + java.time.Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return lock;
        } catch (IOException e) {
            throw new OutputException("cannot write into --out " + out + ": " + dev.regula.core.io.IoReasons.of(e), e);
        }
    }

    /** Drops the lines of metrics.csv after the resumed epoch (a run killed between its line and its checkpoint). */
    private static void keepEpochsUpTo(Path csv, int epoch) throws IOException {
        if (!Files.exists(csv)) return;
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            int comma = line.indexOf(',');
            String first = comma < 0 ? line : line.substring(0, comma);
            if (!first.matches("\\d{1,9}") || Integer.parseInt(first) <= epoch) kept.add(line);
        }
        if (kept.size() != lines.size()) Files.write(csv, kept, StandardCharsets.UTF_8);
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        SparkTrainingConfig.Builder b = SparkTrainingConfig.builder().model(model).optimizer(optimizer).epochs(epochs).batchSize(batch)
                .syncEvery(syncEvery).seed(seed);
        regularizers.forEach(b::regularizer);
        if (workers != null) b.workers(workers);
        b.build(); // checks K, epochs and batch before Spark starts
        if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be >= 1 (examples to use), got " + limit);
        Path checkpoint = out.resolve("checkpoint.safetensors");
        if (resume && !Files.isDirectory(out)) { // refused before the folder is claimed (created)
            throw new IllegalArgumentException("--resume: there is no " + checkpoint + " to continue from");
        }
        SparkMasters.checkReachable(master); // before minutes of loading data
        java.nio.channels.FileLock lock = claimOutput(); // and so is the output folder
        try {
            return train(b, checkpoint, stdout);
        } finally {
            lock.release();
            lock.channel().close();
        }
    }

    /** The run's files: what a fresh run replaces as a whole (set aside until its first checkpoint). */
    static final List<String> RUN_FILES = List.of("checkpoint.safetensors", "metrics.csv",
            // and a local regula train's other files: a Spark run over one replaces it whole, not beside its logs
            "metrics.jsonl", "gradients.csv", "penalties.csv", "curves.png", "tensorboard");

    private int train(SparkTrainingConfig.Builder b, Path checkpoint, PrintWriter stdout) throws IOException {
        String recovered; // a command killed with an earlier run aside; a failure here is the output folder's (exit 5, as for train)
        try {
            recovered = EarlierRun.recover(out, checkpoint, RUN_FILES).warning(out);
        } catch (IOException e) {
            throw new OutputException(e.getMessage(), e);
        }
        if (recovered != null) System.err.println("regula train --spark: warning: " + recovered);
        for (String name : RUN_FILES) { // the run writes files: a folder or link in a file's place is refused, never deleted
            Path f = out.resolve(name);
            if (Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new OutputException("cannot write output: " + f + " is not a regular file; remove it or choose another --out", null);
            }
        }
        if (resume && !Files.isRegularFile(checkpoint)) {
            throw new IllegalArgumentException("--resume: there is no " + checkpoint + " to continue from");
        }
        FashionMnist fm = limit == null ? FashionMnist.load(data) : FashionMnist.load(data, limit);
        Standardizer s = Standardizer.fit(fm.train());
        Dataset train = s.apply(fm.train());
        Dataset test = s.apply(fm.test());
        Map<String, String> dataSettings = java.util.Map.of("train_examples", Integer.toString(train.size()), "data",
                data.toAbsolutePath().normalize().toString());
        // a global batch of one example reaching a BatchNorm: refused before an earlier run moves or Spark starts
        dev.regula.core.train.LastBatchOfOne.check(dev.regula.api.model.Models.installed().parse(model)
                .build(train.exampleShape(), train.numClasses(), seed), batch, "the training set", train.size());
        EarlierRun earlier = null;
        // a fresh run replaces an earlier one (any of its files), which waits aside until this run ends
        if (!resume && RUN_FILES.stream().anyMatch(n -> Files.exists(out.resolve(n)))) {
            stdout.printf("regula train --spark: warning: %s holds an earlier run; it is replaced by this one (--resume continues it)%n",
                    out);
            try {
                earlier = EarlierRun.setAside(out, RUN_FILES, "checkpoint.safetensors");
            } catch (IOException e) {
                throw new OutputException(e.getMessage(), e);
            }
        }
        JavaSparkContext sc = null;
        Throwable failure = null;
        // set when the JVM starts to exit (SIGINT, SIGTERM): Spark's own hook then stops the context under the run
        java.util.concurrent.atomic.AtomicBoolean exiting = new java.util.concurrent.atomic.AtomicBoolean();
        Thread exitWatch = new Thread(() -> exiting.set(true), "regula-exit-watch");
        Runtime.getRuntime().addShutdownHook(exitWatch);
        try {
            sc = SparkMasters.start(master, "regula train", ui);
            sc.setLogLevel("WARN");
            if (workers == null) b.workers(sc.defaultParallelism());
            SparkTrainingConfig config = b.build();
            Files.createDirectories(out);
            try (SparkTrainer trainer = SparkTrainer.forData(sc, config, train)) {
                if (resume) {
                    SparkCheckpoints.resume(checkpoint, trainer, dataSettings);
                    if (epochs < trainer.epoch()) { // before the metrics file is touched, as a local resume refuses it
                        throw new IllegalArgumentException("--epochs " + epochs + " is fewer than the " + trainer.epoch() + " epochs the run in "
                                + out + " has trained; give --epochs " + trainer.epoch() + " to evaluate it as it is, or more to continue it");
                    }
                    keepEpochsUpTo(out.resolve("metrics.csv"), trainer.epoch());
                }
                stdout.printf(Locale.ROOT, "regula train --spark %s: %s, %d train / %d test examples, %d workers, global batch %d, %s, regularizers %s, optimizer %s%s%n",
                        master, model, train.size(), test.size(), config.workers(), batch,
                        syncEvery == 1 ? "gradient averaging (K = 1)" : "local SGD (K = " + syncEvery + ")", regularizers, optimizer,
                        resume ? ", resumed at epoch " + trainer.epoch() : "");
                stdout.flush();
                Path csv = out.resolve("metrics.csv");
                if (!resume || !Files.exists(csv)) {
                    Files.writeString(csv, "epoch,step,train_loss,train_accuracy,test_loss,test_accuracy,synchronisations,seconds,sync_ms,compute_ms\n",
                            StandardCharsets.UTF_8);
                }
                trainer.fit(train, test, m -> {
                    stdout.printf(Locale.ROOT, "epoch %2d  loss %.4f  train acc %.4f  test loss %.4f  test acc %.4f  %.1fs  %d syncs  %.1f ms/sync (slowest task %.1f ms)%n",
                            m.epoch(), m.trainLoss(), m.trainAccuracy(), m.validationLoss(), m.validationAccuracy(), m.seconds(),
                            m.synchronisations(), m.meanSyncMillis(), m.meanComputeMillis());
                    stdout.flush();
                    try {
                        Files.writeString(csv, csvLine(m), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                        SparkCheckpoints.save(checkpoint, trainer, dataSettings);
                    } catch (IOException e) {
                        throw new OutputException("cannot write into " + out + ": " + dev.regula.core.io.IoReasons.of(e), e);
                    }
                });
                Trainer.Evaluation t = trainer.evaluate(test);
                stdout.printf(Locale.ROOT, "final: test accuracy %.4f, test loss %.4f after %d epochs (%d steps); wrote %s, %s%n",
                        t.accuracy(), t.loss(), trainer.epoch(), trainer.step(), csv, checkpoint);
                stdout.flush();
            }
            if (compareSingle) compareSingle(config, train, test, stdout);
        } catch (RuntimeException e) {
            failure = whyStopped(e, sc, exiting.get(), master, out);
            throw (RuntimeException) failure;
        } catch (IOException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(exitWatch);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook has run
            }
            // a failure to stop Spark or to settle the earlier run rides on the run's own failure, which is what the
            // command reports; without one, the first of them is the failure
            try {
                if (sc != null) sc.stop();
            } catch (RuntimeException f) {
                if (failure == null) failure = f;
                else failure.addSuppressed(f);
            }
            // dropped if this run saved a checkpoint (it can be resumed), else put back in place of what this run wrote
            if (earlier != null) {
                try {
                    earlier.finish();
                } catch (IOException | RuntimeException f) {
                    if (failure == null) failure = f;
                    else failure.addSuppressed(f);
                }
            }
            if (failure instanceof IOException io) throw io;
            if (failure instanceof RuntimeException r) throw r;
            if (failure instanceof Error err) throw err;
        }
        return OK;
    }

    /**
     * What a failure means when Spark stopped the context under the run (its message is then only
     * "SparkContext has been shutdown"): the JVM exiting on a signal, or a standalone master that
     * accepted the connection but never took the application (Spark gives up after about a
     * minute: "All masters are unresponsive"), which is bad usage (a URL that names something
     * other than a Spark master of this version). Any other failure is returned as it is.
     */
    static RuntimeException whyStopped(RuntimeException e, JavaSparkContext sc, boolean exiting, String master, Path out) {
        if (sc == null || !sc.sc().isStopped()) return e;
        if (exiting) {
            return new Interrupted("interrupted; " + (Files.exists(out.resolve("checkpoint.safetensors"))
                    ? "the last epoch's checkpoint in " + out + " stays: --resume continues it" : "no epoch was saved"), e);
        }
        if (master.startsWith("spark://")) {
            return new IllegalArgumentException("the Spark master " + master + " accepted the connection but did not take the"
                    + " application (Spark gave up: all masters unresponsive); is it a Spark standalone master of version "
                    + sc.version() + ", at the URL its log prints? For a run on this machine use local[2]", e);
        }
        return e;
    }

    /** The run ended because the JVM is exiting (a signal); the JVM's own exit status stands. */
    static final class Interrupted extends RuntimeException {
        Interrupted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void compareSingle(SparkTrainingConfig c, Dataset train, Dataset test, PrintWriter stdout) {
        TrainingConfig.Builder b = TrainingConfig.builder().optimizer(c.optimizer()).loss(new SoftmaxCrossEntropy(0)).epochs(c.epochs())
                .batchSize(c.batchSize()).seed(c.seed()).threads(1);
        regularizers.forEach(b::regularizer);
        Trainer t = new Trainer(c.model().build(train.exampleShape(), train.numClasses(), c.seed()), b.build());
        for (EpochMetrics m : t.fit(train, test)) {
            stdout.printf(Locale.ROOT, "single machine (1 thread) epoch %2d  loss %.4f  test acc %.4f  %.1fs  %.2f ms/step%n",
                    m.epoch(), m.trainLoss(), m.validationAccuracy(), m.seconds(),
                    1e3 * m.seconds() / Math.ceil(train.size() / (double) c.batchSize()));
        }
        stdout.flush();
    }

    private static String csvLine(SparkEpoch m) {
        return String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%d,%.3f,%.3f,%.3f%n", m.epoch(), m.step(), m.trainLoss(),
                m.trainAccuracy(), m.validationLoss(), m.validationAccuracy(), m.synchronisations(), m.seconds(), m.meanSyncMillis(),
                m.meanComputeMillis());
    }
}
