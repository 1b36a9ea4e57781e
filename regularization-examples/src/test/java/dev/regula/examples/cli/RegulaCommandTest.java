package dev.regula.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.CorruptDataException;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.examples.TinyData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegulaCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = RegulaCommand.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Three separable classes in 4 features, as CSV with a header. */
    Path blobsCsv(int n) throws IOException {
        Path f = dir.resolve("blobs.csv");
        Files.writeString(f, TinyData.blobsCsv(n, 1));
        return f;
    }

    @Test
    void listShowsProvidersWithKeysAndTheActiveKernels() {
        Run r = run("list");
        assertEquals(0, r.code(), r.err());
        for (String s : List.of("Regularizers:", "l2", "lambda", "Optimizers:", "sgd", "Models:", "mlp", "Kernels:", "[active]")) {
            assertTrue(r.out().contains(s), "missing " + s + " in\n" + r.out());
        }
    }

    @Test
    void trainsOnCsvAndWritesMetricsAndACheckpoint() throws IOException {
        Path out = dir.resolve("out");
        Run r = run("train", "--csv", blobsCsv(300).toString(), "--model", "mlp(hidden=16)", "--reg", "l2(lambda=1e-3)",
                "--reg", "dropout(p=0.1)", "--epochs", "5", "--batch", "16", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("epoch  5"), r.out());
        String forced = System.getProperty("regula.test.kernels");
        assertTrue(forced != null && r.out().matches("(?s).*, kernels " + forced + "[(,].*"),
                "this module's two test runs use the scalar and the vector kernels (regula.test.kernels); this one must use "
                        + forced + ":\n" + r.out());
        List<String> jsonl = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(5, jsonl.size());
        assertTrue(jsonl.get(4).contains("\"penalties\":{\"l2(lambda=1e-3, on=weights)\""), jsonl.get(4));
        assertEquals(6, Files.readAllLines(out.resolve("metrics.csv")).size());
        Checkpoint c = Checkpoint.load(out.resolve(TrainCommand.CHECKPOINT));
        assertEquals("5", c.metadata().get("epoch"));
        assertTrue(c.parameters().containsKey("dense1.weight"));
        double acc = Double.parseDouble(r.out().replaceAll("(?s).*final: test accuracy ([0-9.]+).*", "$1"));
        assertTrue(acc > 0.9, "accuracy " + acc);
    }

    @Test
    void trainWritesTheCurvesPng() throws IOException {
        Path out = dir.resolve("curves");
        Run r = run("train", "--csv", blobsCsv(90).toString(), "--model", "mlp(hidden=4)", "--epochs", "2", "--threads", "1",
                "--progress", "none", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(out.resolve(TrainCommand.CURVES).toFile());
        assertEquals(1280, png.getWidth());
        assertTrue(r.out().contains(TrainCommand.CURVES), r.out());
    }

    @Test
    void trainsTheCnnModelOnFlatImagesFromCsv() throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int p = 0; p < 16; p++) csv.append("p").append(p).append(',');
        csv.append("label\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 90; i++) {
            int label = i % 2; // a bright row or a bright column of a 4x4 image
            int at = random.nextInt(4);
            for (int p = 0; p < 16; p++) {
                boolean lit = label == 0 ? p / 4 == at : p % 4 == at;
                double v = (lit ? 1 : 0) + random.nextDouble() * 0.3;
                csv.append(String.format(java.util.Locale.ROOT, "%.2f", v)).append(',');
            }
            csv.append(label).append('\n');
        }
        Path f = Files.writeString(dir.resolve("images.csv"), csv);
        Path out = dir.resolve("cnn");
        Run r = run("train", "--model", "cnn(channels=4x8, dense=16)", "--csv", f.toString(), "--epochs", "1",
                "--reg", "dropout(p=0.1)", "--threads", "1", "--progress", "none", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("final: test accuracy"), r.out());
        Checkpoint c = Checkpoint.load(out.resolve(TrainCommand.CHECKPOINT));
        assertArrayEquals(new int[] {4, 1, 3, 3}, c.parameters().get("conv1.weight").shape());
        assertTrue(c.parameters().containsKey("dense.weight"), c.parameters().keySet().toString());
    }

    @Test
    void compareWithGradientsReportsGradientHealthAndKeepsGoingAfterADivergedSetting() throws IOException {
        Path out = dir.resolve("grad");
        String deep = "mlp(hidden=8x8x8x8x8x8, activation=sigmoid)";
        Run r = run("compare", "--csv", blobsCsv(240).toString(), "--model", "mlp(hidden=8)", "--epochs", "2", "--batch", "16",
                "--threads", "1", "--progress", "none", "--gradients", "--nan", "skip-step",
                "--setting", "deep: model=" + deep,
                "--setting", "boom: model=mlp(hidden=8x8x8x8x8x8x8x8x8x8, init=he, init_gain=50)",
                "--setting", "plain: none", "--out", out.toString());
        assertEquals(ExitCode.NUMERICAL, r.code(), "a diverged setting ends the run with exit 4, after the report: " + r.out() + r.err());
        assertTrue(r.err().contains("1 of 3 settings diverged"), r.err());
        assertTrue(r.out().contains("| boom (diverged) |"), r.out());
        assertTrue(r.out().contains("first grad RMS | last grad RMS | first/last | skipped |"), r.out());
        List<String> csv = Files.readAllLines(out.resolve(Report.CSV));
        assertEquals(Report.CSV_HEADER + Report.CSV_GRADIENTS + Report.CSV_MODEL, csv.get(0));
        assertEquals(4, csv.size());
        String[] deepRow = csv.get(1).split(",");
        String[] plainRow = csv.get(3).split(",");
        int ratio = java.util.Arrays.asList(csv.get(0).split(",")).indexOf("first_last_ratio"); // the model cell, last, may hold commas
        // six sigmoid layers: the first layer's RMS gradient is orders of magnitude below the output layer's
        assertTrue(Double.parseDouble(deepRow[ratio]) < 1e-2, csv.get(1));
        assertTrue(Double.parseDouble(plainRow[ratio]) > Double.parseDouble(deepRow[ratio]) * 10, csv.get(3));
        assertTrue(Integer.parseInt(csv.get(2).split(",")[ratio + 1]) > 0, "the exploding run skipped steps: " + csv.get(2));
        assertEquals("0", plainRow[ratio + 1]);
        assertTrue(Files.readString(out.resolve(Report.MD)).contains("boom: "), "the report says why boom stopped");
        assertTrue(Files.readString(out.resolve(Report.MD)).contains("Model `mlp(hidden=8)` (or the setting's `model=`)"),
                "the report does not claim one model for all settings");
        assertTrue(Files.exists(out.resolve(CompareCommand.LEARNING_CURVES)));
    }

    @Test
    void compareTrainsEachSettingAndWritesTheReport() throws IOException {
        Path out = dir.resolve("cmp");
        Run r = run("compare", "--csv", blobsCsv(240).toString(), "--model", "mlp(hidden=8)", "--epochs", "3", "--batch", "16",
                "--threads", "1", "--setting", "none", "--setting", "both: l2(lambda=1e-3); dropout(p=0.1)",
                "--setting", "l1-proximal(lambda=1)", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("| setting | train acc | test acc | gap |"), r.out());
        assertTrue(r.out().contains("| both |"), r.out());
        List<String> csv = Files.readAllLines(out.resolve(Report.CSV));
        assertEquals(Report.CSV_HEADER + Report.CSV_MODEL, csv.get(0));
        assertEquals(4, csv.size());
        assertTrue(csv.get(2).startsWith("both,l2(lambda=1e-3); dropout(p=0.1),"), csv.get(2));
        String[] prox = csv.get(3).split(",");
        assertTrue(Double.parseDouble(prox[6]) > 0.05, "a strong proximal L1 gives exact zeros: " + csv.get(3));
        assertEquals(0.0, Double.parseDouble(csv.get(1).split(",")[6]), "no exact zeros without regularization");
        for (String[] row : new String[][] {csv.get(1).split(","), prox}) {
            double gap = Double.parseDouble(row[4]);
            assertEquals(Double.parseDouble(row[2]) - Double.parseDouble(row[3]), gap, 1e-12, "gap = train - test");
        }
        assertEquals(3, Files.readAllLines(out.resolve("02-both/metrics.jsonl")).size());
        assertTrue(Files.readString(out.resolve(Report.JSON)).contains("\"setting\":\"both\""));
        assertTrue(Files.readString(out.resolve(Report.MD)).contains("![test accuracy per epoch](learning-curves.png)"));
        for (String png : List.of(CompareCommand.LEARNING_CURVES, CompareCommand.LOSS_CURVES)) {
            assertEquals(900, javax.imageio.ImageIO.read(out.resolve(png).toFile()).getWidth(), png);
        }
    }

    @Test
    void aBadSettingFailsBeforeAnyTraining() throws IOException {
        Path out = dir.resolve("bad");
        Run r = run("compare", "--csv", blobsCsv(30).toString(), "--setting", "none", "--setting", "l2(lamda=1)", "--out", out.toString());
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().toLowerCase(java.util.Locale.ROOT).contains("did you mean 'lambda'"), r.err());
        assertTrue(!Files.exists(out), "nothing written");
        Run dup = run("compare", "--csv", blobsCsv(30).toString(), "--setting", "none", "--setting", "none", "--out", out.toString());
        assertEquals(ExitCode.USAGE, dup.code());
        assertTrue(dup.err().contains("two settings have the label 'none'"), dup.err());
    }

    @Test
    void aResumedRunEndsBitIdenticalToAnUninterruptedOne() throws IOException {
        assertResumeIsBitIdentical("dropout(p=0.2)", "whole", "split");
    }

    @Test
    void aResumedTanhOrSigmoidNetworkEndsBitIdentical() throws IOException {
        // tanh and σ are kernels of their own; on the SIMD kernels they must not change with JIT state
        assertResumeIsBitIdentical("mlp(hidden=8, activation=tanh)", "dropout(p=0.2)", "whole-tanh", "split-tanh");
        assertResumeIsBitIdentical("mlp(hidden=8, activation=sigmoid)", "dropout(p=0.2)", "whole-sigmoid", "split-sigmoid");
    }

    @Test
    void aResumedSoftAnchorKeepsItsInitialReference() throws IOException {
        // soft-anchor(to=init) captures θ₀ at first sight; a resume must restore it, not recapture
        assertResumeIsBitIdentical("soft-anchor(lambda=0.5)", "whole-anchor", "split-anchor");
        assertResumeIsBitIdentical("soft-anchor(lambda=0.5, anchor_lr=0.05)", "whole-learnable", "split-learnable");
    }

    @Test
    void aResumedSoftWeightSharingKeepsItsOwnOptimizerState() throws IOException {
        // the mixture's own Adam moments and step count must survive the resume, not restart at 0
        assertResumeIsBitIdentical("soft-weight-sharing(lambda=1e-3, components=4)", "whole-sws", "split-sws");
    }

    @Test
    void resumeRefusesRegularizerStateThatMatchesNoLearnableRegularizer() throws IOException {
        Path csv = blobsCsv(60);
        Path out = dir.resolve("stray-state");
        String[] common = {"train", "--csv", csv.toString(), "--model", "mlp(hidden=4)", "--reg", "dropout(p=0.2)", "--threads", "1",
                "--out", out.toString()};
        assertEquals(0, run(concat(common, "--epochs", "1")).code());
        Path file = out.resolve(TrainCommand.CHECKPOINT);
        dev.regula.core.checkpoint.Safetensors.Contents c = dev.regula.core.checkpoint.Safetensors.read(file);
        Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
        meta.put("regularizer/0/updates", "3");
        dev.regula.core.checkpoint.Safetensors.write(file, c.tensors(), meta);
        Run resumed = run(concat(common, "--epochs", "2", "--resume"));
        assertEquals(2, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("has regularizer state 'regularizer/0/updates' that matches no learnable, output or stateful regularizer"),
                resumed.err());
    }

    @Test
    void aResumedRunKeepsItsWeightAveragesAndEvaluatesWithThem() throws IOException {
        Path csv = blobsCsv(120);
        String[] common = {"train", "--csv", csv.toString(), "--model", "mlp(hidden=8)", "--reg", "ema(decay=0.9)", "--reg",
                "swa(start_epoch=1)", "--optimizer", "adam(lr=0.01)", "--batch", "16", "--threads", "1", "--eval-weights", "swa"};
        Path whole = dir.resolve("whole-avg");
        Path split = dir.resolve("split-avg");
        Run first = run(concat(common, "--epochs", "4", "--out", whole.toString()));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("eval weights swa"), first.out());
        assertEquals(0, run(concat(common, "--epochs", "2", "--out", split.toString())).code());
        Run resumed = run(concat(common, "--epochs", "4", "--out", split.toString(), "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        Checkpoint a = Checkpoint.load(whole.resolve(TrainCommand.CHECKPOINT));
        Checkpoint b = Checkpoint.load(split.resolve(TrainCommand.CHECKPOINT));
        List<String> averages = a.extraState().keySet().stream().filter(k -> k.startsWith("average/")).toList();
        assertTrue(averages.contains("average/0/out.weight") && averages.contains("average/1/out.weight"), averages.toString());
        for (String k : averages) assertArrayEquals(a.extraState().get(k).data(), b.extraState().get(k).data(), k);
        assertEquals(a.metadata().get("average/1/count"), b.metadata().get("average/1/count"));
        String finalLine = first.out().lines().filter(l -> l.startsWith("final:")).findFirst().orElseThrow();
        assertTrue(resumed.out().contains(finalLine.substring(0, finalLine.indexOf(" after"))), resumed.out());
    }

    @Test
    void anArgumentStartingWithAtIsNotReadAsAnArgumentFile() throws IOException {
        // a directory named as an argument file made the parser fail with exit 1 and a stack trace
        for (String at : new String[] {"@" + dir, "@" + blobsCsv(5)}) {
            Run r = run("train", "--csv", blobsCsv(30).toString(), "--epochs", "1", "--out", dir.resolve("at").toString(), at);
            assertEquals(ExitCode.USAGE, r.code(), r.err());
            assertTrue(r.err().contains("Unmatched argument") && r.err().contains(at), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    @Test
    void evalWeightsWithoutTheirAveragerIsABadUsage() throws IOException {
        Run r = run("train", "--csv", blobsCsv(30).toString(), "--model", "mlp(hidden=4)", "--epochs", "1",
                "--out", dir.resolve("x").toString(), "--eval-weights", "ema");
        assertEquals(ExitCode.USAGE, r.code(), r.out());
        assertTrue(r.err().contains("ema(...)"), r.err());
        Run bad = run("train", "--csv", blobsCsv(30).toString(), "--eval-weights", "mean", "--out", dir.resolve("y").toString());
        assertEquals(ExitCode.USAGE, bad.code());
        assertTrue(bad.err().contains("live, ema, swa"), bad.err());
    }

    private void assertResumeIsBitIdentical(String reg, String wholeDir, String splitDir) throws IOException {
        assertResumeIsBitIdentical("mlp(hidden=8)", reg, wholeDir, splitDir);
    }

    private void assertResumeIsBitIdentical(String model, String reg, String wholeDir, String splitDir) throws IOException {
        Path csv = blobsCsv(120);
        String[] common = {"train", "--csv", csv.toString(), "--model", model, "--reg", reg, "--optimizer",
                "adam(lr=0.01)", "--batch", "16", "--threads", "1"};
        Path whole = dir.resolve(wholeDir);
        Path split = dir.resolve(splitDir);
        assertEquals(0, run(concat(common, "--epochs", "4", "--out", whole.toString())).code());
        assertEquals(0, run(concat(common, "--epochs", "2", "--out", split.toString())).code());
        Run resumed = run(concat(common, "--epochs", "4", "--out", split.toString(), "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resumed at epoch 2"), resumed.out());
        Map<String, dev.regula.api.tensor.Tensor> a = Checkpoint.load(whole.resolve(TrainCommand.CHECKPOINT)).parameters();
        Map<String, dev.regula.api.tensor.Tensor> b = Checkpoint.load(split.resolve(TrainCommand.CHECKPOINT)).parameters();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
        assertEquals(4, Files.readAllLines(split.resolve("metrics.jsonl")).size());
    }

    /**
     * Found by the kill test (regularization-fuzz CheckpointKillTest): a run killed after writing an
     * epoch's metrics line but before saving that epoch's checkpoint repeated the epoch's line when
     * resumed; a kill in the middle of a line glued two lines together.
     */
    @Test
    void resumeDropsMetricsOfEpochsTheCheckpointDoesNotHaveAndTornLines() throws IOException {
        Path csv = blobsCsv(60);
        Path out = dir.resolve("o");
        String[] common = {"train", "--csv", csv.toString(), "--model", "mlp(hidden=4)", "--threads", "1", "--out", out.toString()};
        assertEquals(0, run(concat(common, "--epochs", "2")).code());
        // what a kill between the metrics line of epoch 3 and its checkpoint leaves, plus a torn line
        Files.writeString(out.resolve("metrics.jsonl"), "{\"epoch\":3,\"step\":9}\n{\"epoch\":4,\"st",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(out.resolve("metrics.csv"), "3,9,0.05\n4,1", java.nio.file.StandardOpenOption.APPEND);
        Run resumed = run(concat(common, "--epochs", "4", "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        List<String> jsonl = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(4, jsonl.size(), String.join("\n", jsonl));
        for (int e = 1; e <= 4; e++) assertTrue(jsonl.get(e - 1).startsWith("{\"epoch\":" + e + ",\"step\":"), jsonl.get(e - 1));
        List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(5, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(0).startsWith("epoch,") && rows.get(3).startsWith("3,") && rows.get(4).startsWith("4,"), rows.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void tensorboardWritesAnEventFileIntoTheOutputFolder() throws IOException {
        Path csv = blobsCsv(60);
        Path out = dir.resolve("tb");
        Run r = run("train", "--csv", csv.toString(), "--model", "mlp(hidden=4)", "--epochs", "2", "--out", out.toString(), "--tensorboard");
        assertEquals(0, r.code(), r.err());
        try (var files = Files.list(out.resolve(TrainCommand.TENSORBOARD))) {
            List<Path> events = files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).toList();
            assertEquals(1, events.size(), events.toString());
            assertTrue(Files.size(events.get(0)) > 100, "version record and scalars");
        }
    }

    @Test
    void resumeWithOtherSettingsIsRefused() throws IOException {
        Path csv = blobsCsv(60);
        Path out = dir.resolve("o");
        assertEquals(0, run("train", "--csv", csv.toString(), "--model", "mlp(hidden=4)", "--epochs", "1", "--out", out.toString()).code());
        Run r = run("train", "--csv", csv.toString(), "--model", "mlp(hidden=5)", "--epochs", "2", "--out", out.toString(), "--resume");
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("model=mlp(hidden=4)"), r.err());
    }

    @Test
    void unknownRegularizerSuggestsTheNearestNameWithExitCode2() throws IOException {
        Run r = run("train", "--csv", blobsCsv(30).toString(), "--reg", "dropuot(p=0.2)", "--out", dir.resolve("x").toString());
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("did you mean 'dropout'"), r.err());
    }

    @Test
    void missingDataSaysHowToInstallItWithExitCode3() {
        Run r = run("train", "--data", dir.resolve("nowhere").toString(), "--out", dir.resolve("x").toString());
        assertEquals(ExitCode.DATA, r.code());
        assertTrue(r.err().contains("apt-get install dataset-fashion-mnist"), r.err());
    }

    @Test
    void anEmptyTrainingOrTestSplitIsExit3NotARunOfNoSteps() throws IOException {
        for (int[] sizes : new int[][] {{0, 2}, {2, 0}}) {
            Path data = dir.resolve("empty-" + sizes[0] + "-" + sizes[1]);
            Files.createDirectories(data);
            idx(data.resolve("train-images-idx3-ubyte"), 3, sizes[0], 28, 28);
            idx(data.resolve("train-labels-idx1-ubyte"), 1, sizes[0]);
            idx(data.resolve("t10k-images-idx3-ubyte"), 3, sizes[1], 28, 28);
            idx(data.resolve("t10k-labels-idx1-ubyte"), 1, sizes[1]);
            Run r = run("train", "--data", data.toString(), "--epochs", "1", "--out", dir.resolve("o" + sizes[0]).toString());
            assertEquals(ExitCode.DATA, r.code(), r.err());
            String split = sizes[0] == 0 ? "training" : "test";
            assertTrue(r.err().contains("the " + split + " set has no examples"), r.err());
        }
    }

    /** An unsigned-byte IDX file of the given shape, its values 0 (labels 0, 1, 0, ...). */
    private static void idx(Path file, int rank, int... shape) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {0, 0, 8, (byte) rank});
        long count = 1;
        for (int d : shape) {
            b.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
            count *= d;
        }
        for (long i = 0; i < count; i++) b.write(rank == 1 ? (int) (i % 2) : 0);
        Files.write(file, b.toByteArray());
    }

    @Test
    void corruptDataIsExit3EvenThoughItIsAnIOException() {
        // CorruptDataException is an IOException: it must be matched before the I/O exit code
        assertEquals(ExitCode.DATA, RegulaCommand.exitCode(new CorruptDataException("x.idx: bad magic")));
        assertEquals(ExitCode.DATA, RegulaCommand.exitCode(
                new UncheckedIOException("reading x.csv", new CorruptDataException("x.csv: line 2: not a number"))));
        assertEquals(ExitCode.IO, RegulaCommand.exitCode(new IOException("device gone")));
        assertEquals(ExitCode.IO, RegulaCommand.exitCode(new UncheckedIOException(new IOException("device gone"))));
        assertEquals("x.idx: bad magic", RegulaCommand.message(new CorruptDataException("x.idx: bad magic")));
    }

    /**
     * A component that cannot work on the shapes at all is a usage error wherever it comes from (a
     * plugin too); data or a checkpoint of the wrong shape is a data error, whoever noticed it.
     */
    @Test
    void anUnsupportedShapeIsAUsageErrorAndAMismatchedShapeADataError() {
        assertEquals(ExitCode.USAGE, RegulaCommand.exitCode(new dev.regula.api.UnsupportedShapeException("my-plugin needs images")));
        assertEquals(ExitCode.DATA, RegulaCommand.exitCode(new dev.regula.api.ShapeMismatchException("w: [3, 4] in the file, [4, 3] in the model")));
    }

    @Test
    void unknownFlagIsAUsageError() {
        Run r = run("train", "--epochz", "3");
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("--epochz"), r.err());
    }
}
