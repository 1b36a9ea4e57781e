package dev.regula.examples.cli;

import static dev.regula.examples.cli.RegulaCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.core.checkpoint.Safetensors;
import dev.regula.core.io.EarlierRun;
import dev.regula.examples.TinyData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against a hostile or careless user, one test per class of defect: folder
 * ownership, resume decided before any file changes, sizes bounded up front, special files,
 * exit codes, and silent no-ops made loud.
 */
class HostileUseTest {
    @TempDir
    Path dir;

    private Path csv(int n) throws IOException {
        Path f = dir.resolve("blobs.csv");
        if (!Files.exists(f)) Files.writeString(f, TinyData.blobsCsv(n, 1));
        return f;
    }

    private String[] train(Path out, String... more) throws IOException {
        List<String> a = new ArrayList<>(List.of("train", "--csv", csv(80).toString(), "--model", "mlp(hidden=4)", "--threads", "1",
                "--progress", "none", "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** A child JVM that holds the folder's lock file, as a concurrent run would. */
    @Test
    void aSecondRunOnAFolderIsRefusedAtOnceNamingTheHolderAndTheLockDiesWithIt() throws Exception {
        Path out = Files.createDirectories(dir.resolve("owned"));
        Path holder = dir.resolve("Hold.java");
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class Hold {
                    public static void main(String[] a) throws Exception {
                        FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        ch.lock();
                        ch.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", holder\\n").getBytes()));
                        System.out.println("locked");
                        Thread.sleep(60_000);
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, holder.toString(), out.resolve(OutputFolder.LOCK).toString()).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", lines.readLine());
            RegulaCommandTest.Run r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(train(out, "--epochs", "1")));
            assertEquals(ExitCode.IO, r.code(), r.err());
            assertTrue(r.err().contains("in use by another run (pid " + child.pid()), r.err());
            assertFalse(Files.exists(out.resolve("metrics.jsonl")), "the refused run wrote nothing");
        } finally {
            child.destroyForcibly().waitFor();
        }
        RegulaCommandTest.Run after = run(train(out, "--epochs", "1"));
        assertEquals(0, after.code(), after.err());
        // and inside one JVM (compare and train, or two in-process commands) the same rule holds
        try (OutputFolder held = OutputFolder.claim(out, true, "test")) {
            RegulaCommandTest.Run r = run(train(out, "--epochs", "1"));
            assertEquals(ExitCode.IO, r.code(), r.err());
            assertTrue(r.err().contains("pid " + ProcessHandle.current().pid() + ", test"), r.err());
        }
    }

    @Test
    void aRefusedResumeChangesNoFileAndCreatesNoFolder() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, run(train(out, "--epochs", "2")).code());
        // a line of a later epoch, as a run killed after its metrics and before its checkpoint leaves
        Files.writeString(out.resolve("metrics.jsonl"), "{\"epoch\":3,\"step\":30}\n", java.nio.file.StandardOpenOption.APPEND);
        Map<Path, byte[]> before = snapshot(out);
        Path file = out.resolve(TrainCommand.CHECKPOINT);
        Safetensors.Contents good = Safetensors.read(file);

        RegulaCommandTest.Run smoothing = run(train(out, "--epochs", "3", "--resume", "--label-smoothing", "0.1"));
        assertEquals(ExitCode.USAGE, smoothing.code(), smoothing.err());
        assertTrue(smoothing.err().contains("label_smoothing"), smoothing.err());

        Files.writeString(dir.resolve("other.csv"), TinyData.blobsCsv(80, 2)); // another file of the same length
        String[] otherData = train(out, "--epochs", "3", "--resume");
        otherData[2] = dir.resolve("other.csv").toString();
        RegulaCommandTest.Run data = run(otherData);
        assertEquals(ExitCode.USAGE, data.code(), data.err());
        assertTrue(data.err().contains("train_data"), data.err());

        Map<String, String> meta = new LinkedHashMap<>(good.metadata());
        meta.put("epoch", "-3");
        Safetensors.write(file, good.tensors(), meta);
        RegulaCommandTest.Run corrupt = run(train(out, "--epochs", "3", "--resume"));
        assertEquals(ExitCode.DATA, corrupt.code(), corrupt.err());
        assertTrue(corrupt.err().contains(file.toString()) && corrupt.err().contains("epoch='-3'"), corrupt.err());

        // sgd with momentum saves only velocities as extra state: drop them all, then rename them
        Map<String, dev.regula.api.tensor.Tensor> noVelocity = new LinkedHashMap<>(good.tensors());
        assertTrue(noVelocity.keySet().removeIf(k -> k.contains("#velocity")), "sgd with momentum saves velocities: " + noVelocity.keySet());
        Map<String, String> noExtra = new LinkedHashMap<>(good.metadata());
        noExtra.put(dev.regula.core.checkpoint.Checkpoint.EXTRA_STATE_KEY, "[]");
        Safetensors.write(file, noVelocity, noExtra);
        RegulaCommandTest.Run momentum = run(train(out, "--epochs", "3", "--resume"));
        assertEquals(ExitCode.DATA, momentum.code(), momentum.err());
        assertTrue(momentum.err().contains("missing [") && momentum.err().contains("velocity"), momentum.err());
        Map<String, dev.regula.api.tensor.Tensor> renamed = new LinkedHashMap<>();
        good.tensors().forEach((k, v) -> renamed.put(k.replace("#velocity", "#speed"), v));
        Map<String, String> renamedMeta = new LinkedHashMap<>(good.metadata());
        renamedMeta.computeIfPresent(dev.regula.core.checkpoint.Checkpoint.EXTRA_STATE_KEY, (k, v) -> v.replace("#velocity", "#speed"));
        Safetensors.write(file, renamed, renamedMeta);
        RegulaCommandTest.Run renamedRun = run(train(out, "--epochs", "3", "--resume"));
        assertEquals(ExitCode.DATA, renamedRun.code(), renamedRun.err());
        assertTrue(renamedRun.err().contains("unexpected [") && renamedRun.err().contains("#speed"), renamedRun.err());

        Safetensors.write(file, good.tensors(), good.metadata());
        before.put(file, Files.readAllBytes(file));
        Map<Path, byte[]> after = snapshot(out);
        assertEquals(before.keySet(), after.keySet());
        for (Path p : before.keySet()) assertArrayEquals(before.get(p), after.get(p), p + " changed by a refused resume");

        Path missing = dir.resolve("never-ran");
        assertEquals(ExitCode.USAGE, run(train(missing, "--epochs", "3", "--resume")).code());
        assertFalse(Files.exists(missing), "a refused resume created its folder");

        RegulaCommandTest.Run ok = run(train(out, "--epochs", "3", "--resume"));
        assertEquals(0, ok.code(), ok.err());
        assertEquals(3, Files.readAllLines(out.resolve("metrics.jsonl")).size(), "the stray epoch-3 line was trimmed only now");
    }

    /** The weight averages of ema/swa go through the same check-first resume: bad ones change no file. */
    @Test
    void aResumeChecksTheWeightAveragesBeforeChangingAnyFile() throws IOException {
        Path out = dir.resolve("averaged");
        String[] reg = {"--reg", "ema(decay=0.9)", "--optimizer", "adam(lr=0.01)"};
        assertEquals(0, run(train(out, concat(reg, "--epochs", "1"))).code());
        Map<Path, byte[]> before = snapshot(out);
        Path file = out.resolve(TrainCommand.CHECKPOINT);
        Safetensors.Contents good = Safetensors.read(file);
        long count1 = Long.parseLong(good.metadata().get("average/0/count"));
        assertTrue(count1 > 0, "ema averaged every step of epoch 1: " + count1);

        Map<String, String> badCount = new LinkedHashMap<>(good.metadata());
        badCount.put("average/0/count", "ten");
        Safetensors.write(file, good.tensors(), badCount);
        RegulaCommandTest.Run count = run(train(out, concat(reg, "--epochs", "2", "--resume")));
        assertEquals(ExitCode.DATA, count.code(), count.err());
        assertTrue(count.err().contains("average/0/count='ten'"), count.err());

        // the averages dropped, the count kept: the average would silently be of nothing
        Map<String, dev.regula.api.tensor.Tensor> noAverages = new LinkedHashMap<>(good.tensors());
        assertTrue(noAverages.keySet().removeIf(k -> k.startsWith("average/")), noAverages.keySet().toString());
        Map<String, String> meta = new LinkedHashMap<>(good.metadata());
        meta.computeIfPresent(dev.regula.core.checkpoint.Checkpoint.EXTRA_STATE_KEY,
                (k, v) -> v.replaceAll("\"average/[^\"]*\",?", "").replace(",]", "]"));
        Safetensors.write(file, noAverages, meta);
        RegulaCommandTest.Run missing = run(train(out, concat(reg, "--epochs", "2", "--resume")));
        assertEquals(ExitCode.DATA, missing.code(), missing.err());
        assertTrue(missing.err().contains("ema(decay=0.9") && missing.err().contains("update count " + count1), missing.err());

        Safetensors.write(file, good.tensors(), good.metadata());
        before.put(file, Files.readAllBytes(file));
        Map<Path, byte[]> after = snapshot(out);
        assertEquals(before.keySet(), after.keySet());
        for (Path p : before.keySet()) assertArrayEquals(before.get(p), after.get(p), p + " changed by a refused resume");

        RegulaCommandTest.Run ok = run(train(out, concat(reg, "--epochs", "2", "--resume")));
        assertEquals(0, ok.code(), ok.err());
        assertEquals(String.valueOf(2 * count1), Safetensors.read(file).metadata().get("average/0/count"), "the average went on from the saved one");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static Map<Path, byte[]> snapshot(Path folder) throws IOException {
        Map<Path, byte[]> m = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.sorted().toList()) if (!p.getFileName().toString().equals(OutputFolder.LOCK)) m.put(p, Files.readAllBytes(p));
        }
        return m;
    }

    @Test
    void symbolicLinksAndFifosInTheOutputFolderAreNeverWrittenThrough() throws Exception {
        Path out = Files.createDirectories(dir.resolve("links"));
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Files.createSymbolicLink(out.resolve("metrics.jsonl"), victim);
        RegulaCommandTest.Run r = run(train(out, "--epochs", "1"));
        assertEquals(ExitCode.IO, r.code(), r.err());
        assertTrue(r.err().contains("symbolic link"), r.err());
        assertEquals("precious", Files.readString(victim));
        Files.delete(out.resolve("metrics.jsonl"));
        if (new ProcessBuilder("mkfifo", out.resolve("metrics.csv").toString()).start().waitFor() == 0) {
            RegulaCommandTest.Run fifo = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(train(out, "--epochs", "1")));
            assertEquals(ExitCode.IO, fifo.code(), fifo.err());
            Path inFifo = dir.resolve("in.fifo");
            new ProcessBuilder("mkfifo", inFifo.toString()).start().waitFor();
            String[] args = train(dir.resolve("x"), "--epochs", "1");
            args[2] = inFifo.toString();
            RegulaCommandTest.Run input = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(args));
            assertEquals(ExitCode.DATA, input.code(), input.err());
        }
        RegulaCommandTest.Run file = run(train(victim, "--epochs", "1"));
        assertEquals(ExitCode.USAGE, file.code(), file.err());
        assertTrue(file.err().contains("not a folder"), file.err());
    }

    @Test
    void sizesAreBoundedUpFrontWithExit2Or3() throws IOException {
        Path out = dir.resolve("sizes");
        for (String[] bad : List.of(new String[] {"--threads", "2147483647"}, new String[] {"--threads", "3000"},
                new String[] {"--label-smoothing", "7"})) {
            RegulaCommandTest.Run r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(train(out, bad)));
            assertEquals(ExitCode.USAGE, r.code(), String.join(" ", bad) + ": " + r.err());
        }
        String[] huge = train(out, "--epochs", "1");
        huge[4] = "mlp(hidden=40000x40000)";
        RegulaCommandTest.Run model = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(huge));
        assertEquals(ExitCode.USAGE, model.code(), model.err());
        assertTrue(model.err().contains("-Xmx"), model.err());
    }

    @Test
    void userInputNeverExits1AndDataErrorsNameTheFile() throws IOException {
        Path labels = Files.writeString(dir.resolve("labels.csv"), "a,label\n1,0\n2,0.99999999\n3,1\n4,0\n");
        String[] args = train(dir.resolve("o1"), "--epochs", "1");
        args[2] = labels.toString();
        RegulaCommandTest.Run fuzzy = run(args);
        assertEquals(ExitCode.DATA, fuzzy.code(), fuzzy.err());
        assertTrue(fuzzy.err().contains(labels + ":3"), fuzzy.err());

        args[2] = Files.writeString(dir.resolve("one.csv"), "a,label\n1,0\n").toString();
        assertEquals(ExitCode.DATA, run(args).code());
        args[2] = dir.resolve("absent.csv").toString();
        RegulaCommandTest.Run absent = run(args);
        assertEquals(ExitCode.DATA, absent.code(), absent.err());
        assertTrue(absent.err().contains("does not exist"), absent.err());
    }

    @Test
    void silentNoOpsAreReported() throws IOException {
        RegulaCommandTest.Run nothing = run(train(dir.resolve("sel"), "--epochs", "1", "--reg", "l2(lambda=1e-3, on=name:nothing)"));
        assertEquals(0, nothing.code(), nothing.err());
        assertTrue(nothing.err().contains("warning: l2(lambda=1e-3, on=name:nothing) selects no parameter"), nothing.err());
        for (String placedNowhere : new String[] {"dropout(p=0.5, after=nomatch)", "gaussian-noise(after=zzz)", "drop-path(p=0.5)"}) {
            RegulaCommandTest.Run r = run(train(dir.resolve("nowhere" + Math.abs(placedNowhere.hashCode())), "--epochs", "1", "--reg",
                    placedNowhere));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("finds no place in the model, so it does nothing"), placedNowhere + ": " + r.err());
        }
        // the layers named are those the glob was matched against, not the ones another regularizer inserted
        RegulaCommandTest.Run beside = run(train(dir.resolve("beside"), "--epochs", "1", "--reg", "dropout(p=0.2)", "--reg",
                "gaussian-noise(after=zzz)"));
        assertEquals(0, beside.code(), beside.err());
        assertTrue(beside.err().contains("(the layers are dense1,"), beside.err());
        assertFalse(beside.err().contains("dropout1"), beside.err());
        RegulaCommandTest.Run placed = run(train(dir.resolve("placed"), "--epochs", "1", "--reg", "dropout(p=0.2)"));
        assertFalse(placed.err().contains("finds no place"), placed.err());
        assertFalse(placed.err().contains("holds an earlier run"), placed.err());
        RegulaCommandTest.Run again = run(train(dir.resolve("placed"), "--epochs", "1"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("holds an earlier run; it is replaced by this one"), again.err());

        RegulaCommandTest.Run skipped = run(train(dir.resolve("skip"), "--epochs", "2", "--optimizer", "sgd(lr=1e38)", "--nan", "skip-step",
                "--batch", "8"));
        assertEquals(ExitCode.NUMERICAL, skipped.code(), skipped.err());
        assertTrue(skipped.err().contains("were skipped for NaN/Inf"), skipped.err());

        RegulaCommandTest.Run stopped = run(train(dir.resolve("stop"), "--epochs", "2", "--optimizer", "sgd(lr=1e38)", "--batch", "8"));
        assertEquals(ExitCode.NUMERICAL, stopped.code(), stopped.err());
        assertTrue(stopped.err().contains("(epoch 1)"), "epochs count from 1, as in the epoch lines: " + stopped.err());
    }

    /**
     * An empty path means the current folder, where --out "" wrote a whole run: every path option
     * of every command refuses it as a usage error naming the option, before anything is written.
     */
    @Test
    void anEmptyPathIsAUsageErrorForEveryPathOption() throws IOException {
        String[][] cases = {
            {"train", "--csv", csv(80).toString(), "--out", ""},
            {"train", "--csv", "", "--out", dir.resolve("a").toString()},
            {"train", "--data", " ", "--out", dir.resolve("b").toString()},
            {"train", "--csv", csv(80).toString(), "--test-csv", "", "--out", dir.resolve("c").toString()},
            {"compare", "--csv", csv(80).toString(), "--out", ""},
            {"compress", "--csv", csv(80).toString(), "--pretrained", "", "--out", dir.resolve("d").toString()},
            {"gan", "--out", ""},
        };
        for (String[] c : cases) {
            RegulaCommandTest.Run r = RegulaCommandTest.run(c);
            assertEquals(ExitCode.USAGE, r.code(), String.join(" ", c) + ": " + r.out() + r.err());
            assertTrue(r.err().contains("an empty path"), String.join(" ", c) + ": " + r.err());
        }
        try (var files = Files.list(Path.of(""))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().equals(".regula.lock")), "nothing written to the current folder");
        }
    }

    /** Options that another option would silently override are refused, naming both. */
    @Test
    void twoSourcesOfDataOrAnOptionThatDoesNotApplyAreUsageErrors() throws IOException {
        String data = csv(80).toString();
        String[][] cases = {
            {"--test-csv", data},
            {"--csv", data, "--dataset", "diabetes"},
            {"--csv", data, "--data", dir.toString()},
            {"--csv", data, "--data", TrainingOptions.FASHION_MNIST},
            {"--csv", data, "--loss", "mse", "--label-smoothing", "0.1"},
        };
        String[] expected = {"--test-csv " + data + " needs --csv", "--csv and --dataset diabetes are two sources of data",
            "--csv and --data (a Fashion-MNIST folder) are two sources of data",
            "--csv and --data (a Fashion-MNIST folder) are two sources of data", "--label-smoothing smooths class labels"};
        for (int i = 0; i < cases.length; i++) {
            List<String> a = new ArrayList<>(List.of("train", "--out", dir.resolve("s" + i).toString()));
            a.addAll(List.of(cases[i]));
            RegulaCommandTest.Run r = RegulaCommandTest.run(a.toArray(String[]::new));
            assertEquals(ExitCode.USAGE, r.code(), a + ": " + r.out() + r.err());
            assertTrue(r.err().contains(expected[i]), a + ": " + r.err());
        }
        RegulaCommandTest.Run r = RegulaCommandTest.run("compare", "--csv", data, "-s", "none", "-s", "", "--out", dir.resolve("e").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("empty; give regularizer specs, or none"), r.err());
    }

    /**
     * A regression (--loss mse) has no accuracy: compare's table shows the losses and their gap,
     * its learning curves are the test loss, and train's curves.png is the loss chart alone, its
     * axis named after the loss; report.csv and report.json carry the train loss and whether a
     * setting diverged; penalties.csv has its header even without penalties.
     */
    @Test
    void aRegressionIsReportedByItsLossesNotByAccuraciesOfNaN() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        java.util.Random rnd = new java.util.Random(2);
        for (int i = 0; i < 60; i++) {
            double a = rnd.nextGaussian(), b = rnd.nextGaussian();
            csv.append(a).append(',').append(b).append(',').append(2 * a - b + 0.1 * rnd.nextGaussian()).append('\n');
        }
        Path data = dir.resolve("reg.csv");
        Files.writeString(data, csv);
        Path out = dir.resolve("cmp");
        RegulaCommandTest.Run r = RegulaCommandTest.run("compare", "--csv", data.toString(), "--loss", "mse", "--model", "linear()",
                "--epochs", "2", "--threads", "1", "--progress", "none", "-s", "none", "-s", "l2(lambda=1e-2)", "--gradients",
                "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String md = Files.readString(out.resolve(Report.MD));
        assertTrue(md.contains("| setting | train loss | test loss | gap |"), md);
        assertTrue(md.contains("| first grad RMS | last grad RMS | first/last | skipped |"), md);
        assertFalse(md.contains("| NaN"), md);
        assertTrue(Files.readAllLines(out.resolve(Report.CSV)).get(0).contains(",seconds,train_loss,diverged"));
        assertTrue(Files.readString(out.resolve(Report.JSON)).contains("\"diverged\":false"));
        assertTrue(r.out().contains("train loss") && !r.out().contains("NaN"), r.out());
        r = RegulaCommandTest.run("compare", "--csv", data.toString(), "--loss", "mse", "--model", "linear()", "--epochs", "1",
                "--threads", "1", "--progress", "none", "-s", "none", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        // a rerun replaces the earlier run whole: no setting folder of it is left beside the new report
        try (var entries = Files.list(out)) {
            assertEquals(List.of("01-none"), entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{2}-.*")).toList(),
                    "a rerun with fewer settings");
        }
        // a folder of the user's that only looks like a setting's (no metrics log in it) is never touched
        Path theirs = Files.createDirectories(out.resolve("2024-thesis-data"));
        Files.writeString(theirs.resolve("notes.txt"), "mine");
        r = RegulaCommandTest.run("compare", "--csv", data.toString(), "--loss", "mse", "--model", "linear()", "--epochs", "1",
                "--threads", "1", "--progress", "none", "-s", "none", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("mine", Files.readString(theirs.resolve("notes.txt")));
        // a train run kept in a setting-like folder is never replaced; one in the way of this run's setting is refused
        Path trained = out.resolve("07-base");
        assertEquals(0, RegulaCommandTest.run("train", "--csv", data.toString(), "--loss", "mse", "--model", "linear()", "--epochs", "1",
                "--threads", "1", "--progress", "none", "--out", trained.toString()).code());
        r = RegulaCommandTest.run("compare", "--csv", data.toString(), "--loss", "mse", "--model", "linear()", "--epochs", "1",
                "--threads", "1", "--progress", "none", "-s", "none", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.exists(trained.resolve(TrainCommand.CHECKPOINT)), "the train run beside the settings stays");
        Path inTheWay = Files.createDirectories(out.resolve("02-l2-lambda-1e-2"));
        Files.writeString(inTheWay.resolve("notes.txt"), "mine too");
        r = RegulaCommandTest.run("compare", "--csv", data.toString(), "--loss", "mse", "--model", "linear()", "--epochs", "1",
                "--threads", "1", "--progress", "none", "-s", "none", "-s", "l2(lambda=1e-2)", "--out", out.toString());
        assertEquals(ExitCode.IO, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("holds files that are not a compare setting's"), r.err());
        assertEquals("mine too", Files.readString(inTheWay.resolve("notes.txt")));
        // a compare killed while an earlier run was aside (its own part half written): the next compare puts the earlier run back
        String report = Files.readString(out.resolve(Report.MD));
        Path aside = Files.createDirectories(out.resolve(EarlierRun.ASIDE));
        for (String n : List.of(Report.MD, "01-none")) Files.move(out.resolve(n), aside.resolve(n));
        Files.createDirectories(out.resolve("01-none"));
        r = RegulaCommandTest.run("compare", "--csv", data.toString(), "--loss", "mse", "--model", "linear()", "--folds", "5000",
                "-s", "none", "--out", out.toString());
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("they are back in place"), r.err());
        assertEquals(report, Files.readString(out.resolve(Report.MD)));
        assertFalse(Files.exists(out.resolve(EarlierRun.ASIDE)));
        Path run = dir.resolve("one");
        r = RegulaCommandTest.run("train", "--csv", data.toString(), "--loss", "mse", "--model", "linear()", "--epochs", "2", "--threads",
                "1", "--progress", "none", "--out", run.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(640, javax.imageio.ImageIO.read(run.resolve(TrainCommand.CURVES).toFile()).getWidth(), "the loss chart alone");
        assertEquals(List.of("epoch,regularizer,parameter,penalty"), Files.readAllLines(run.resolve(MetricsLog.PENALTIES)));
    }

    /** A regularizer that cannot work on the model's or the data's shapes is a usage error (exit 2), naming the regularizer. */
    @Test
    void aRegularizerThatDoesNotFitTheModelIsAUsageError() throws IOException {
        for (String reg : new String[] {"drop-block()", "spatial-dropout()", "cutmix(image=3x3)"}) {
            RegulaCommandTest.Run r = run(train(dir.resolve("fit" + Math.abs(reg.hashCode())), "--epochs", "1", "--reg", reg));
            assertEquals(ExitCode.USAGE, r.code(), reg + ": " + r.out() + r.err());
            assertTrue(r.err().contains(reg.substring(0, reg.indexOf('('))), reg + ": " + r.err());
        }
    }

    /**
     * A batch whose activations could not be one tensor, or would not fit the heap, is refused
     * when the model is built, naming --batch, --model and the layer, before any is allocated.
     */
    @Test
    void aBatchTooLargeForTheModelsActivationsIsAUsageErrorNamingTheLayer() throws IOException {
        RegulaCommandTest.Run r = RegulaCommandTest.run("train", "--csv", csv(80).toString(), "--model", "mlp(hidden=4096)", "--batch",
                "1048576", "--threads", "1", "--progress", "none", "--out", dir.resolve("big").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--batch 1048576 with --model mlp(hidden=4096): layer 'dense1' would output 4294967296 values"),
                r.err());
    }

    /**
     * A label decides the model's outputs: a stray large one is refused naming its row, not built
     * into millions of classes; a class only in the split-off test rows is refused as one in
     * --test-csv is.
     */
    @Test
    void labelsThatWouldSizeTheModelOrOnlyTestRowsHaveAreRefused() throws IOException {
        List<String> rows = new ArrayList<>(List.of(TinyData.blobsCsv(80, 1).split("\n")));
        List<String> stray = new ArrayList<>(rows);
        String line = stray.get(40);
        stray.set(40, line.substring(0, line.lastIndexOf(',') + 1) + "3000000");
        Path strayCsv = Files.writeString(dir.resolve("stray.csv"), String.join("\n", stray) + "\n");
        RegulaCommandTest.Run r = RegulaCommandTest.run("train", "--csv", strayCsv.toString(), "--model", "mlp(hidden=4)", "--threads",
                "1", "--progress", "none", "--epochs", "1", "--out", dir.resolve("stray").toString());
        assertEquals(ExitCode.DATA, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("data row 40 has the label 3000000, which would make 3000001 classes for 80 rows"), r.err());
        List<String> late = new ArrayList<>(rows);
        line = late.get(75); // in the last 20%: the test rows of the split
        late.set(75, line.substring(0, line.lastIndexOf(',') + 1) + "7");
        Path lateCsv = Files.writeString(dir.resolve("late.csv"), String.join("\n", late) + "\n");
        r = RegulaCommandTest.run("train", "--csv", lateCsv.toString(), "--model", "mlp(hidden=4)", "--threads", "1", "--progress",
                "none", "--epochs", "1", "--out", dir.resolve("late").toString());
        assertEquals(ExitCode.DATA, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("(its last 20%, the test set): the test labels go up to class 7"), r.err());
    }

    /**
     * A fresh run into a folder holding an earlier run that fails before its first checkpoint (a
     * regularizer refused at the first step) leaves the earlier run whole: its metrics beside its
     * own checkpoint, as a --resume would find them.
     */
    @Test
    void aFreshRunThatFailsAtOnceLeavesTheEarlierRunWhole() throws IOException {
        Path out = dir.resolve("kept");
        RegulaCommandTest.Run first = run(train(out, "--epochs", "2"));
        assertEquals(0, first.code(), first.err());
        List<String> names = List.of(TrainCommand.CHECKPOINT, MetricsLog.JSON, MetricsLog.CSV, MetricsLog.GRADIENTS, TrainCommand.CURVES);
        List<byte[]> before = new ArrayList<>();
        for (String n : names) before.add(Files.readAllBytes(out.resolve(n)));
        RegulaCommandTest.Run failed = run(train(out, "--epochs", "1", "--tensorboard", "--reg", "drop-block(p=0.1)"));
        assertEquals(ExitCode.USAGE, failed.code(), failed.err());
        for (int i = 0; i < names.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(before.get(i), Files.readAllBytes(out.resolve(names.get(i))), names.get(i));
        }
        assertFalse(Files.exists(out.resolve(EarlierRun.ASIDE)));
        // nothing of the failed run stays, not even a file the earlier run did not have
        assertFalse(Files.exists(out.resolve(TrainCommand.TENSORBOARD)), "the failed run's TensorBoard folder");
        // killed while the earlier run was aside, before a checkpoint of its own: the next command puts it back
        Files.createDirectories(out.resolve(EarlierRun.ASIDE));
        for (String n : names) Files.move(out.resolve(n), out.resolve(EarlierRun.ASIDE).resolve(n));
        RegulaCommandTest.Run resumed = run(train(out, "--epochs", "3", "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("they are back in place"), resumed.err());
        assertTrue(resumed.out().contains("resumed at epoch 2"), resumed.out());
        RegulaCommandTest.Run replaced = run(train(out, "--epochs", "1", "--tensorboard"));
        assertEquals(0, replaced.code(), replaced.err());
        assertEquals(2, Files.readAllLines(out.resolve(MetricsLog.CSV)).size(), "the new run's header and one epoch");
        assertFalse(Files.exists(out.resolve(EarlierRun.ASIDE)));
        // a fresh run replaces the earlier run's TensorBoard events too: one run's events in the log, not two mixed
        RegulaCommandTest.Run again = run(train(out, "--epochs", "1", "--tensorboard"));
        assertEquals(0, again.code(), again.err());
        try (var events = Files.list(out.resolve(TrainCommand.TENSORBOARD))) {
            assertEquals(1, events.count());
        }
        // files of a run that saved no checkpoint (refused at its first step) are an earlier run too: replaced, not mixed in
        Path diverged = dir.resolve("diverged");
        RegulaCommandTest.Run nan = run(train(diverged, "--epochs", "1", "--tensorboard", "--reg", "drop-block(p=0.1)"));
        assertEquals(ExitCode.USAGE, nan.code(), nan.err());
        assertTrue(Files.isDirectory(diverged.resolve(TrainCommand.TENSORBOARD)), "the refused run's events stay: nothing was replaced");
        RegulaCommandTest.Run rerun = run(train(diverged, "--epochs", "1", "--tensorboard"));
        assertEquals(0, rerun.code(), rerun.err());
        try (var events = Files.list(diverged.resolve(TrainCommand.TENSORBOARD))) {
            assertEquals(1, events.count(), "one run's events");
        }
    }

    /** A setting that cannot run is refused before the first setting trains: the folder's earlier results stay as they were. */
    @Test
    void compareRefusesASettingThatCannotRunBeforeAnyTraining() throws IOException {
        Path out = dir.resolve("cmp");
        List<String> base = List.of("compare", "--csv", csv(80).toString(), "--model", "mlp(hidden=4)", "--epochs", "2", "--threads", "1",
                "--progress", "none", "--out", out.toString(), "-s", "none");
        RegulaCommandTest.Run good = RegulaCommandTest.run(base.toArray(String[]::new));
        assertEquals(0, good.code(), good.err());
        Path metrics = out.resolve("01-none").resolve(MetricsLog.CSV);
        byte[] before = Files.readAllBytes(metrics);
        List<String> bad = new ArrayList<>(base);
        bad.addAll(List.of("-s", "drop-block(p=0.1)"));
        RegulaCommandTest.Run r = RegulaCommandTest.run(bad.toArray(String[]::new));
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("drop-block"), r.err());
        assertFalse(r.out().contains("[1/2]"), "no setting trained: " + r.out());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, Files.readAllBytes(metrics));
    }

    /** A --test-csv with other columns than --csv is refused naming both files. */
    @Test
    void aTestCsvWithOtherColumnsNamesBothFiles() throws IOException {
        Path narrow = Files.writeString(dir.resolve("narrow.csv"), "a,b,c,label\n1,2,3,0\n4,5,6,1\n");
        RegulaCommandTest.Run r = RegulaCommandTest.run("train", "--csv", csv(80).toString(), "--test-csv", narrow.toString(), "--model",
                "mlp(hidden=4)", "--threads", "1", "--progress", "none", "--epochs", "1", "--out", dir.resolve("narrow").toString());
        assertEquals(ExitCode.DATA, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--test-csv " + narrow + " has 3 feature columns but --csv " + csv(80) + " has 4"), r.err());
        // as many columns under other names, or in another order, is refused too: the model would read other features
        List<String> lines = Files.readAllLines(csv(80));
        String[] names = lines.getFirst().split(",");
        String swapped = names[1] + "," + names[0] + "," + String.join(",", java.util.Arrays.copyOfRange(names, 2, names.length));
        Path other = Files.writeString(dir.resolve("swapped.csv"), swapped + "\n" + String.join("\n", lines.subList(1, 11)) + "\n");
        r = RegulaCommandTest.run("train", "--csv", csv(80).toString(), "--test-csv", other.toString(), "--model", "mlp(hidden=4)",
                "--threads", "1", "--progress", "none", "--epochs", "1", "--out", dir.resolve("swapped").toString());
        assertEquals(ExitCode.DATA, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("both files need the same columns in the same order"), r.err());
    }

    /**
     * A model whose test loss ends NaN is a numerical fault (exit 4) even when no training step
     * reported one; a resume asking for fewer epochs than the run has trained is refused, changing
     * nothing.
     */
    @Test
    void aNonFiniteTestLossIsExitFourAndAResumeForFewerEpochsIsRefused() throws IOException {
        StringBuilder b = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 50; i++) b.append(i % 3 == 0 ? "-1e38," : "3e38,").append(i).append(',').append(i % 2).append('\n');
        Path huge = Files.writeString(dir.resolve("huge.csv"), b);
        RegulaCommandTest.Run r = run(new String[] {"train", "--csv", huge.toString(), "--normalize", "none", "--model", "mlp(hidden=8)",
                "--epochs", "1", "--threads", "1", "--progress", "none", "--out", dir.resolve("huge").toString()});
        assertEquals(ExitCode.NUMERICAL, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("the test loss is NaN"), r.err());

        // features whose monomials leave float32: the option is named, as data (exit 3), not a NaN later
        Path large = Files.writeString(dir.resolve("large.csv"), "a,b,label\n1e12,1,0\n2e12,2,1\n3e12,3,0\n4e12,4,1\n5e12,5,0\n");
        r = run(new String[] {"train", "--csv", large.toString(), "--poly", "4", "--model", "mlp(hidden=4)", "--epochs", "1",
                "--threads", "1", "--progress", "none", "--out", dir.resolve("large").toString()});
        assertEquals(ExitCode.DATA, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--poly 4: a product of --csv " + large + "'s features overflows float32"), r.err());

        // two regularizers that exclude each other: a usage error with Regula's message, not a stack trace (exit 1)
        r = run(train(dir.resolve("twoema"), "--epochs", "1", "--reg", "ema(decay=0.9)", "--reg", "ema(decay=0.5)"));
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("two weight averagers of kind 'ema'") && !r.err().contains("\tat "), r.err());
        // compare with --eval-weights: the report says which figures are of averaged weights and which of live ones
        Path evalOut = dir.resolve("cmpema");
        r = run(new String[] {"compare", "--csv", csv(80).toString(), "--model", "mlp(hidden=4)", "--epochs", "1", "--threads", "1",
                "--progress", "none", "--eval-weights", "ema", "--out", evalOut.toString(), "-s", "e: ema(decay=0.9)", "-s", "none"});
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(evalOut.resolve(Report.MD)).contains("are of its averaged weights (--eval-weights ema)"),
                Files.readString(evalOut.resolve(Report.MD)));
        // an average that never started: the figures are the live weights', and the run says so
        r = run(train(dir.resolve("noswa"), "--epochs", "1", "--reg", "swa(start_epoch=5)", "--eval-weights", "swa"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("averaged no weights in this run's 1 epoch(s)"), r.err());

        // compare and its cross-validation: such a setting is a diverged row (exit 4), the others still reported
        for (String folds : new String[] {null, "2"}) {
            List<String> a = new ArrayList<>(List.of("compare", "--csv", huge.toString(), "--normalize", "none", "--model", "mlp(hidden=8)",
                    "--epochs", "1", "--threads", "1", "--progress", "none", "--out", dir.resolve("hugecmp" + folds).toString(), "-s", "none"));
            if (folds != null) a.addAll(List.of("--folds", folds));
            r = run(a.toArray(String[]::new));
            assertEquals(ExitCode.NUMERICAL, r.code(), r.out() + r.err());
            assertTrue((r.out() + r.err()).contains("diverged (numerical fault): the ") && r.err().contains("diverged"), r.out() + r.err());
        }

        Path out = dir.resolve("fewer");
        assertEquals(0, run(train(out, "--epochs", "2")).code());
        byte[] csvBefore = Files.readAllBytes(out.resolve(MetricsLog.CSV));
        r = run(train(out, "--epochs", "1", "--resume"));
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--epochs 1 is fewer than the 2 epochs the run"), r.err());
        org.junit.jupiter.api.Assertions.assertArrayEquals(csvBefore, Files.readAllBytes(out.resolve(MetricsLog.CSV)));
        assertEquals(0, run(train(out, "--epochs", "2", "--resume")).code(), "the same count evaluates the run as it is");
    }

    /** A resume on other kernels than the run trained with goes on, and says its results will differ in the last bits. */
    @Test
    void aResumeOnOtherKernelsSaysItsResultsWillDiffer() throws IOException {
        assertEquals("vector(512-bit)", TrainCommand.kernelsFamily("vector(512-bit, 2 threads)"));
        assertEquals("vector(256-bit)", TrainCommand.kernelsFamily("vector(256-bit, 1 thread)"));
        assertEquals("scalar", TrainCommand.kernelsFamily("scalar"));
        Path out = dir.resolve("kernels");
        String property = dev.regula.api.kernels.KernelsSelection.PROPERTY;
        System.setProperty(property, "scalar");
        try {
            assertEquals(0, run(train(out, "--epochs", "1")).code());
        } finally {
            System.clearProperty(property);
        }
        String now = TrainCommand.kernelsFamily(dev.regula.api.kernels.KernelsSelection.create(1).name());
        RegulaCommandTest.Run r = run(train(out, "--epochs", "2", "--resume"));
        assertEquals(0, r.code(), r.err());
        assertEquals(!now.equals("scalar"), r.err().contains("trained with kernels scalar and continues with " + now), r.err());
    }

    /** A resume whose metrics log lost epochs (deleted or cut) says which, instead of continuing with a silent gap. */
    @Test
    void aResumeSaysWhichEpochsItsLogLacks() throws IOException {
        Path out = dir.resolve("gap");
        assertEquals(0, run(train(out, "--epochs", "2")).code());
        List<String> lines = Files.readAllLines(out.resolve(MetricsLog.JSON));
        Files.write(out.resolve(MetricsLog.JSON), lines.subList(1, 2)); // epoch 1 deleted
        RegulaCommandTest.Run r = run(train(out, "--epochs", "3", "--resume"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("lacks epoch(s) [1] of the 2 the checkpoint holds"), r.err());
        // a metrics.csv edited since is corrupt input, refused before the training, not an output error after it
        Files.writeString(out.resolve(MetricsLog.CSV), "garbage\n", java.nio.file.StandardOpenOption.APPEND);
        byte[] checkpoint = Files.readAllBytes(out.resolve(TrainCommand.CHECKPOINT));
        byte[] csvBytes = Files.readAllBytes(out.resolve(MetricsLog.CSV));
        byte[] jsonBytes = Files.readAllBytes(out.resolve(MetricsLog.JSON));
        RegulaCommandTest.Run edited = run(train(out, "--epochs", "4", "--resume"));
        assertEquals(ExitCode.DATA, edited.code(), edited.err());
        assertTrue(edited.err().contains("metrics.csv line") && edited.err().contains("mend or remove that line"), edited.err());
        org.junit.jupiter.api.Assertions.assertArrayEquals(csvBytes, Files.readAllBytes(out.resolve(MetricsLog.CSV)), "refused before any file changed");
        org.junit.jupiter.api.Assertions.assertArrayEquals(jsonBytes, Files.readAllBytes(out.resolve(MetricsLog.JSON)));
        org.junit.jupiter.api.Assertions.assertArrayEquals(checkpoint, Files.readAllBytes(out.resolve(TrainCommand.CHECKPOINT)),
                "nothing trained");
        // a metrics.csv deleted or emptied since: the resume writes a new one, says which epochs it lacks, and can go on
        for (boolean emptied : new boolean[] {false, true}) {
            if (emptied) Files.writeString(out.resolve(MetricsLog.CSV), "");
            else Files.delete(out.resolve(MetricsLog.CSV));
            int to = emptied ? 5 : 4;
            r = run(train(out, "--epochs", Integer.toString(to), "--resume"));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains(MetricsLog.CSV + " lacks epoch(s) [1, 2" ) && r.err().contains("of the " + (to - 1)), r.err());
            List<String> csvLines = Files.readAllLines(out.resolve(MetricsLog.CSV));
            assertEquals(2, csvLines.size(), "a header and the resumed epoch: " + csvLines);
            assertTrue(csvLines.get(0).startsWith("epoch,") && csvLines.get(1).startsWith(to + ","), csvLines.toString());
        }
    }

    /**
     * A batch of one example that would reach a dense BatchNorm in any fit of a compare, a setting's
     * own model or a cross-validation fold or its final fit, is refused before the first setting
     * trains, with a batch size that works for every fit.
     */
    @Test
    void aLastBatchOfOneInAnyFitOfACompareIsRefusedBeforeTheFirstSettingTrains() throws IOException {
        String bn = "bn: model=mlp(hidden=4, batchnorm=true)";
        // 64 training examples: batch 21 leaves one in the final fit, not in the folds of 32
        RegulaCommandTest.Run r = RegulaCommandTest.run("compare", "--csv", csv(80).toString(), "--model", "mlp(hidden=4)", "--epochs",
                "1", "--batch", "21", "--threads", "1", "--progress", "none", "--folds", "2", "--out", dir.resolve("cvbn").toString(),
                "-s", "none", "-s", bn);
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertFalse(r.out().contains("[1/2]"), "refused before any fold trained: " + r.out());
        assertTrue(r.err().contains("setting bn: cross-validation's 2 folds and, if the setting is chosen, its refit on all 64 examples train on 32 and 64"
                + " examples; 64 is one more than a multiple of the batch size 21"), r.err());
        assertTrue(r.err().contains("BatchNorm layer 'bn1'") && r.err().contains("in every one, such as 20"), r.err());
        r = RegulaCommandTest.run("compare", "--csv", csv(80).toString(), "--model", "mlp(hidden=4)", "--epochs", "1", "--batch", "21",
                "--threads", "1", "--progress", "none", "--out", dir.resolve("cmpbn").toString(), "-s", "none", "-s", bn);
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertFalse(r.out().contains("[1/2]"), "refused before the first setting trained: " + r.out());
        assertTrue(r.err().contains("setting bn: the training set has 64 examples, one more than a multiple of the batch size 21"),
                r.err());
        assertEquals(0, RegulaCommandTest.run("compare", "--csv", csv(80).toString(), "--model", "mlp(hidden=4)", "--epochs", "1",
                "--batch", "20", "--threads", "1", "--progress", "none", "--folds", "2", "--out", dir.resolve("cvok").toString(),
                "-s", bn).code(), "the suggested batch size trains every fit");
    }

    /**
     * Cross-validation: a diverging setting is reported and the others still run (exit 4 at the end,
     * as compare without folds); --gradients, which it does not report, is refused; one class,
     * whichever it is, is refused.
     */
    @Test
    void crossValidationReportsADivergingSettingAndRunsTheOthers() throws IOException {
        Path out = dir.resolve("cv");
        RegulaCommandTest.Run r = RegulaCommandTest.run("compare", "--csv", csv(80).toString(), "--model", "mlp(hidden=4)", "--epochs",
                "3", "--batch", "8", "--threads", "1", "--progress", "none", "--folds", "2", "--out", out.toString(), "-s", "none", "-s",
                "l2(lambda=1e6)", "-s", "l2(lambda=1e-4)");
        assertEquals(ExitCode.NUMERICAL, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("[2/3] l2(lambda=1e6)") && r.out().contains("diverged (numerical fault)"), r.out());
        assertTrue(r.out().contains("[3/3] l2(lambda=1e-4)"), "the third setting still ran: " + r.out());
        assertTrue(Files.exists(out.resolve("cv.md")), "the table is written");
        assertTrue(r.err().contains("1 of 3 settings diverged"), r.err());
        RegulaCommandTest.Run g = RegulaCommandTest.run("compare", "--csv", csv(80).toString(), "--folds", "2", "--gradients", "--out",
                dir.resolve("cvg").toString());
        assertEquals(ExitCode.USAGE, g.code(), g.err());
        assertTrue(g.err().contains("--folds and --gradients exclude each other"), g.err());
        Path ones = Files.writeString(dir.resolve("ones.csv"), "a,label\n1,1\n2,1\n3,1\n4,1\n5,1\n");
        RegulaCommandTest.Run one = run(new String[] {"train", "--csv", ones.toString(), "--threads", "1", "--progress", "none", "--out",
                dir.resolve("ones").toString()});
        assertEquals(ExitCode.DATA, one.code(), one.err());
        assertTrue(one.err().contains("every training label is class 1"), one.err());
    }

    /** A cross-validation after a plain compare in the same folder (or the other way) leaves no result of the other mode. */
    @Test
    void compareAndCrossValidationDoNotLeaveEachOthersResults() throws IOException {
        Path out = dir.resolve("modes");
        List<String> base = List.of("compare", "--csv", csv(80).toString(), "--model", "mlp(hidden=4)", "--epochs", "1", "--threads", "1",
                "--progress", "none", "--out", out.toString(), "-s", "none", "-s", "l2(lambda=1e-4)");
        assertEquals(0, RegulaCommandTest.run(base.toArray(String[]::new)).code());
        assertTrue(Files.exists(out.resolve(Report.MD)));
        List<String> cv = new ArrayList<>(base);
        cv.addAll(List.of("--folds", "2"));
        assertEquals(0, RegulaCommandTest.run(cv.toArray(String[]::new)).code());
        assertTrue(Files.exists(out.resolve(CrossValidation.MD)));
        assertFalse(Files.exists(out.resolve(Report.MD)), "the plain compare's report is gone");
        assertEquals(0, RegulaCommandTest.run(base.toArray(String[]::new)).code());
        assertFalse(Files.exists(out.resolve(CrossValidation.MD)), "the cross-validation's table is gone");
    }
}
