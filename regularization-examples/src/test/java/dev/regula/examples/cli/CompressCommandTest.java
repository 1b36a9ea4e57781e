package dev.regula.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.io.EarlierRun;
import dev.regula.examples.TinyData;
import dev.regula.core.checkpoint.Safetensors;
import dev.regula.examples.compress.CompressedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressCommandTest {
    @TempDir
    Path dir;

    private Path blobs() throws IOException {
        Path f = dir.resolve("blobs.csv");
        Files.writeString(f, TinyData.blobsCsv(300, 1));
        return f;
    }

    @Test
    void pretrainsRetrainsQuantisesAndWritesTheModelAndTheHistogram() throws IOException {
        Path out = dir.resolve("c");
        RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--model", "mlp(hidden=16)",
                "--epochs", "5", "--retrain-epochs", "3", "--batch", "16", "--threads", "1", "--progress", "none",
                "--prior", "soft-weight-sharing(lambda=1e-4, components=6, pi0=0.5)", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        var nz = java.util.regex.Pattern.compile("non-zero weights ([0-9]+) of").matcher(r.out());
        assertTrue(nz.find() && Integer.parseInt(nz.group(1)) > 0, "some weights survive: " + r.out());
        assertTrue(r.out().matches("(?s).*test accuracy: pretrained [0-9.]+, retrained [0-9.]+, quantised and pruned [0-9.]+.*"), r.out());
        assertTrue(r.out().matches("(?s).*compression [0-9.]+x.*"), r.out());
        assertTrue(r.out().matches("(?s).*fine-tuned [0-9.]+ \\([-+][0-9.]+ points\\).*"), r.out());
        // the file stores packed codes, not floats: its size is the counted bits plus the header
        var raw = Safetensors.read(out.resolve("compressed.safetensors"));
        assertEquals(CompressedFile.FORMAT, raw.metadata().get("format"));
        float[] codebook = raw.tensors().get("dense1.weight.codebook").data();
        assertEquals(0f, codebook[0]);
        assertTrue(codebook.length >= 2 && codebook.length <= 6, java.util.Arrays.toString(codebook));
        String header = new String(Files.readAllBytes(out.resolve("compressed.safetensors")), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("\"dense1.weight.entries\":{\"dtype\":\"U8\""), header);
        long bits = Long.parseLong(raw.metadata().get("compressed_bits"));
        long headerBytes = java.nio.ByteBuffer.wrap(Files.readAllBytes(out.resolve("compressed.safetensors")))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        long dataBytes = Files.size(out.resolve("compressed.safetensors")) - 8 - headerBytes;
        assertTrue(dataBytes * 8 >= bits && dataBytes * 8 < bits + 8 * 8, dataBytes + " bytes for " + bits + " bits");
        // the reader rebuilds exactly the dense quantised model, whose weights take the codebook's values
        var quantised = Checkpoint.load(out.resolve("quantized.safetensors")).parameters();
        var rebuilt = CompressedFile.read(out.resolve("compressed.safetensors"));
        assertEquals(quantised.keySet(), rebuilt.keySet());
        for (var e : quantised.entrySet()) {
            assertArrayEquals(e.getValue().data(), rebuilt.get(e.getKey()).data(), e.getKey());
            assertArrayEquals(e.getValue().shape(), rebuilt.get(e.getKey()).shape(), e.getKey());
        }
        for (float w : rebuilt.get("dense1.weight").data()) {
            boolean found = false;
            for (float c : codebook) found |= c == w;
            assertTrue(found, w + " is not in the codebook " + java.util.Arrays.toString(codebook));
        }
        var m = java.util.regex.Pattern.compile("fine-tuned ([0-9.]+) .*read back: test accuracy ([0-9.]+)", java.util.regex.Pattern.DOTALL)
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(m.group(1), m.group(2), "the model read back from compressed.safetensors scores as the quantised one");
        var png = javax.imageio.ImageIO.read(out.resolve("histogram.png").toFile());
        assertEquals(1240, png.getWidth());
        assertTrue(Files.exists(out.resolve("pretrained.safetensors")));
        // the retrained network, before quantisation: not on the codebook of the quantised one
        var retrained = Checkpoint.load(out.resolve("retrained.safetensors")).parameters();
        assertEquals(quantised.keySet(), retrained.keySet());
        assertTrue(quantised.keySet().stream().anyMatch(k -> !java.util.Arrays.equals(quantised.get(k).data(), retrained.get(k).data())),
                "retrained.safetensors holds the weights before quantisation");
    }

    @Test
    void aPriorThatIsNotSoftWeightSharingIsABadUsage() throws IOException {
        RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--prior", "l2(lambda=1e-3)",
                "--out", dir.resolve("x").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--prior must be a soft-weight-sharing(...) spec, got 'l2(lambda=1e-3)'"), r.err());
        r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--retrain-epochs", "0", "--out", dir.resolve("y").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--retrain-epochs must be >= 1, got 0"), r.err());
        r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--finetune-epochs", "-1", "--out", dir.resolve("f").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--finetune-epochs must be >= 0 (0: no fine-tuning), got -1"), r.err());
        r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--merge-distance", "-0.1", "--out", dir.resolve("m").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--merge-distance must be a number >= 0, got -0.1"), r.err());
    }

    /** A merge distance that reaches every pretrained weight is refused before the retraining, not after it. */
    @Test
    void aMergeDistanceBeyondEveryWeightIsRefusedBeforeTheRetraining() throws IOException {
        Path out = dir.resolve("far");
        RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--model", "mlp(hidden=8)",
                "--epochs", "1", "--batch", "16", "--threads", "1", "--progress", "none", "--merge-distance", "1000",
                "--out", out.toString());
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--merge-distance 1000.0 reaches every pretrained weight"), r.err());
        assertTrue(java.nio.file.Files.exists(out.resolve("pretrained.safetensors")), "the pretraining is kept");
        assertFalse(java.nio.file.Files.exists(out.resolve("retrained.safetensors")), "no retraining ran");
        assertFalse(r.out().contains("retrain "), r.out());
        // with --pretrained the weights are known at once: refused before an earlier run's files go
        byte[] pretraining = java.nio.file.Files.readAllBytes(out.resolve("pretrained.safetensors"));
        Path pre = java.nio.file.Files.write(dir.resolve("pre.safetensors"), pretraining);
        r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--model", "mlp(hidden=8)", "--pretrained", pre.toString(),
                "--threads", "1", "--progress", "none", "--merge-distance", "1000", "--out", out.toString());
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertFalse(r.err().contains("it is replaced"), r.err());
        org.junit.jupiter.api.Assertions.assertArrayEquals(pretraining, java.nio.file.Files.readAllBytes(out.resolve("pretrained.safetensors")),
                "the earlier run's files stay");
    }

    @Test
    void aTargetRatioIsReachedByOneCommandWhateverTheStrengthOfThePrior() throws IOException {
        Path data = blobs();
        for (String lambda : new String[] {"1e-5", "1e-3"}) {
            Path out = dir.resolve("t" + lambda);
            RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", data.toString(), "--model", "mlp(hidden=32)",
                    "--epochs", "3", "--retrain-epochs", "2", "--finetune-epochs", "1", "--batch", "16", "--threads", "1",
                    "--progress", "none", "--prior", "soft-weight-sharing(lambda=" + lambda + ", components=6, pi0=0.5)",
                    "--target-ratio", "6", "--out", out.toString());
            assertEquals(0, r.code(), r.out() + r.err());
            var target = java.util.regex.Pattern.compile("target ratio 6.0: .* compression ([0-9.]+)x by the bits").matcher(r.out());
            assertTrue(target.find(), r.out());
            var done = java.util.regex.Pattern.compile("dense: compression ([0-9.]+)x").matcher(r.out());
            assertTrue(done.find(), r.out());
            double ratio = Double.parseDouble(done.group(1));
            assertEquals(target.group(1), done.group(1), "fine-tuning keeps the codes, so the ratio chosen is the ratio written");
            assertTrue(ratio >= 6 && ratio < 6.5, "lambda " + lambda + ": " + ratio + "x for a target of 6x");
            var raw = Safetensors.read(out.resolve("compressed.safetensors"));
            assertEquals("6.0", raw.metadata().get("target_ratio"));
            assertTrue(Double.parseDouble(raw.metadata().get("pruning_radius")) >= 0, raw.metadata().toString());
        }
    }

    @Test
    void aTargetRatioMakesTheDefaultPriorGentler() throws IOException {
        Path data = blobs();
        double[] lambdas = new double[3];
        String[][] ratioArgs = {{}, {"--target-ratio", "6"}, {"--target-ratio", "6", "--prior", "soft-weight-sharing(lambda=1e-4)"}};
        for (int run = 0; run < 3; run++) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("compress", "--csv", data.toString(),
                    "--model", "mlp(hidden=8)", "--epochs", "1", "--retrain-epochs", "1", "--finetune-epochs", "0", "--batch", "16",
                    "--threads", "1", "--progress", "none", "--out", dir.resolve("gentle" + run).toString()));
            args.addAll(java.util.List.of(ratioArgs[run]));
            RegulaCommandTest.Run r = RegulaCommandTest.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.out() + r.err());
            var lambda = java.util.regex.Pattern.compile("and soft-weight-sharing\\(lambda=([0-9.e+-]+),").matcher(r.out());
            assertTrue(lambda.find(), r.out());
            lambdas[run] = Double.parseDouble(lambda.group(1));
        }
        assertEquals(0.75, lambdas[1] / lambdas[0], 1e-4,
                "with --target-ratio the radius prunes, the prior only clusters: " + java.util.Arrays.toString(lambdas));
        assertEquals(1e-4, lambdas[2], 1e-12, "a lambda the user gives wins");
    }

    @Test
    void aBadTargetRatioIsABadUsage() throws IOException {
        for (String bad : new String[] {"1", "0.5", "-40", "NaN", "Infinity"}) {
            RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--target-ratio", bad,
                    "--out", dir.resolve("r" + bad).toString());
            assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("--target-ratio must be a finite number > 1 (the compression by the bits, e.g. 40), got "),
                    r.err());
        }
        RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--target-ratio", "forty",
                "--out", dir.resolve("rw").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--target-ratio"), r.err());
    }

    @Test
    void aMissingOrMismatchedPretrainedModelIsRefused() throws IOException {
        RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--pretrained",
                dir.resolve("none.safetensors").toString(), "--out", dir.resolve("z").toString());
        assertEquals(ExitCode.DATA, r.code(), r.err());
        assertTrue(r.err().contains("none.safetensors does not exist"), r.err());
        r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--pretrained", dir.toString(), "--out",
                dir.resolve("y").toString());
        assertEquals(ExitCode.DATA, r.code(), r.err());
        assertTrue(r.err().contains("is a directory, not a regular file"), r.err());
    }

    /**
     * Every spec of the command is parsed before anything is trained: a typo in the prior or in
     * either optimizer is a usage error at once, not after minutes of pretraining ("pretraining" is
     * never printed); so are options the command does not use.
     */
    @Test
    void badSpecsAndUnusedOptionsAreRefusedBeforeAnyTraining() throws IOException {
        String csv = blobs().toString();
        String[][] cases = {
            {"--prior", "soft-weight-sharing(lambda=NaN)"},
            {"--prior", "soft-weight-sharing(lambda=1e-5"},
            {"--retrain-optimizer", "adam(lr=-1)"},
            {"--retrain-optimizer", "adamm(lr=1e-3)"},
            {"--finetune-optimizer", "adamm(lr=1)"},
            {"--model", "mlpp(hidden=8)"},
            {"--validation", "0.2"},
            {"--eval-weights", "swa"},
        };
        for (String[] c : cases) {
            RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", csv, c[0], c[1], "--epochs", "50",
                    "--out", dir.resolve("b" + Math.abs(String.join(" ", c).hashCode())).toString());
            assertEquals(ExitCode.USAGE, r.code(), String.join(" ", c) + ": " + r.out() + r.err());
            assertTrue(!r.out().contains("pretraining"), String.join(" ", c) + ": refused only after pretraining: " + r.out());
        }
        // the prior's own parse error, as --reg would give it; an option another one leaves out is refused, not dropped
        RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", csv, "--prior", "soft-weight-sharing(lambda=1,lambda=2)",
                "--out", dir.resolve("twice").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("'lambda' is given twice"), r.err());
        r = RegulaCommandTest.run("compress", "--csv", csv, "--finetune-epochs", "0", "--finetune-optimizer", "adam(lr=1e-3)",
                "--out", dir.resolve("dropped").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--finetune-optimizer sets the fine-tuning, which --finetune-epochs 0 leaves out"), r.err());
    }

    /** An aside a killed train left in the folder is settled as train would have, before compress writes. */
    @Test
    void anAsideOfAKilledTrainIsSettledFirst() throws IOException {
        Path folder = dir.resolve("shared");
        RegulaCommandTest.Run r = RegulaCommandTest.run("train", "--csv", blobs().toString(), "--model", "mlp(hidden=8)", "--epochs", "1",
                "--threads", "1", "--progress", "none", "--out", folder.toString());
        assertEquals(0, r.code(), r.err());
        byte[] checkpoint = java.nio.file.Files.readAllBytes(folder.resolve(TrainCommand.CHECKPOINT));
        EarlierRun.setAside(folder, TrainCommand.RUN_FILES, TrainCommand.CHECKPOINT); // then killed before its first checkpoint
        r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--model", "mlp(hidden=8)", "--epochs", "1",
                "--retrain-epochs", "1", "--finetune-epochs", "0", "--threads", "1", "--progress", "none", "--out", folder.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("held the files of a run set aside"), r.err());
        org.junit.jupiter.api.Assertions.assertArrayEquals(checkpoint, java.nio.file.Files.readAllBytes(folder.resolve(TrainCommand.CHECKPOINT)));
        assertTrue(java.nio.file.Files.exists(folder.resolve(MetricsLog.JSON)));
        assertFalse(java.nio.file.Files.exists(folder.resolve(EarlierRun.ASIDE)));
    }

    /** --prior is read as every spec is: the name's case and a space before the arguments do not matter. */
    @Test
    void thePriorIsReadAsEverySpecIs() throws IOException {
        RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--model", "mlp(hidden=8)",
                "--epochs", "1", "--retrain-epochs", "1", "--finetune-epochs", "0", "--threads", "1", "--progress", "none",
                "--prior", "Soft-Weight-Sharing (lambda=1e-4, components=4)", "--out", dir.resolve("case").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--prior", "l2(lambda=1e-4)", "--out", dir.resolve("l2").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--prior must be a soft-weight-sharing(...) spec"), r.err());
    }

    /** A checkpoint saved for another --model (same parameter names and shapes) is refused, naming both. */
    @Test
    void aCheckpointOfAnotherModelSpecIsRefused() throws IOException {
        Path data = blobs();
        Path pre = dir.resolve("pre");
        RegulaCommandTest.Run r = RegulaCommandTest.run("train", "--csv", data.toString(), "--model", "mlp(hidden=8)", "--epochs", "1",
                "--threads", "1", "--progress", "none", "--out", pre.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        r = RegulaCommandTest.run("compress", "--csv", data.toString(), "--model", "mlp(hidden=8, activation=tanh)", "--pretrained",
                pre.resolve(TrainCommand.CHECKPOINT).toString(), "--out", dir.resolve("c").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("is a checkpoint of --model mlp(hidden=8), not of mlp(hidden=8, activation=tanh)"), r.err());
        r = RegulaCommandTest.run("compress", "--csv", data.toString(), "--model", "mlp( hidden = 8 )", "--pretrained",
                pre.resolve(TrainCommand.CHECKPOINT).toString(), "--retrain-epochs", "1", "--finetune-epochs", "0", "--threads", "1",
                "--progress", "none", "--out", dir.resolve("same").toString());
        assertEquals(0, r.code(), "the same spec spaced otherwise is the same model: " + r.out() + r.err());
        r = RegulaCommandTest.run("compress", "--csv", data.toString(), "--model", "MLP (hidden=8)", "--pretrained",
                pre.resolve(TrainCommand.CHECKPOINT).toString(), "--retrain-epochs", "1", "--finetune-epochs", "0", "--threads", "1",
                "--progress", "none", "--out", dir.resolve("same2").toString());
        assertEquals(0, r.code(), "the name's case and a space before its arguments, as the parser reads them: " + r.out() + r.err());
        r = RegulaCommandTest.run("compress", "--csv", data.toString(), "--model", "mlp(activation=relu, hidden=8)", "--pretrained",
                pre.resolve(TrainCommand.CHECKPOINT).toString(), "--retrain-epochs", "1", "--finetune-epochs", "0", "--threads", "1",
                "--progress", "none", "--out", dir.resolve("same3").toString());
        assertEquals(0, r.code(), "keys in another order and a default written out, as a resume reads them: " + r.out() + r.err());
        r = RegulaCommandTest.run("compress", "--csv", data.toString(), "--pretrained", pre.toString(), "--out", dir.resolve("d").toString());
        assertEquals(ExitCode.DATA, r.code(), r.err());
        assertTrue(r.err().contains(pre + " is a directory, not a regular file"), r.err());
    }

    /**
     * A checkpoint of {@code regula train} is the network it saved: with BatchNorm's running
     * statistics (the pretrained accuracy compress reports is train's last, and the compressed file
     * reads back to the fine-tuned network, statistics and all), with a learnable regularizer's own
     * parameters beside the model's (left unused), and only on inputs scaled as it was trained.
     */
    @Test
    void aTrainCheckpointIsTheNetworkItSavedBatchNormStatisticsAndAll() throws IOException {
        Path data = blobs();
        Path pre = dir.resolve("bn");
        RegulaCommandTest.Run r = RegulaCommandTest.run("train", "--csv", data.toString(), "--model", "mlp(hidden=8, batchnorm=true)",
                "--epochs", "2", "--batch", "16", "--threads", "1", "--progress", "none", "--reg", "soft-weight-sharing(lambda=1e-5)",
                "--out", pre.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        var trained = java.util.regex.Pattern.compile("final: test accuracy ([0-9.]+)").matcher(r.out());
        assertTrue(trained.find(), r.out());
        Path out = dir.resolve("bnc");
        r = RegulaCommandTest.run("compress", "--csv", data.toString(), "--model", "mlp(batchnorm=true, hidden=8)", "--pretrained",
                pre.resolve(TrainCommand.CHECKPOINT).toString(), "--retrain-epochs", "1", "--finetune-epochs", "1", "--batch", "16",
                "--target-ratio", "2", "--threads", "1", "--progress", "none", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        var chosen = java.util.regex.Pattern.compile("compression ([0-9.]+)x by the bits").matcher(r.out());
        var counted = java.util.regex.Pattern.compile("against [0-9]+ dense: compression ([0-9.]+)x").matcher(r.out());
        assertTrue(chosen.find() && counted.find() && chosen.group(1).equals(counted.group(1))
                && Double.parseDouble(counted.group(1)) >= 2.0, "the target counts the statistics the file keeps: " + r.out());
        assertTrue(r.out().contains("pretrained: test accuracy " + trained.group(1)), "train's accuracy " + trained.group(1) + ": " + r.out());
        var tuned = java.util.regex.Pattern.compile("fine-tuned ([0-9.]+) ").matcher(r.out());
        assertTrue(tuned.find() && r.out().contains("read back: test accuracy " + tuned.group(1)), r.out());
        assertTrue(CompressedFile.read(out.resolve("compressed.safetensors")).containsKey("bn1.running_var"));
        assertTrue(Checkpoint.load(out.resolve("quantized.safetensors")).extraState().containsKey("bn1.running_var"));
        r = RegulaCommandTest.run("compress", "--csv", data.toString(), "--model", "mlp(hidden=8, batchnorm=true)", "--normalize", "none",
                "--pretrained", pre.resolve(TrainCommand.CHECKPOINT).toString(), "--out", dir.resolve("raw").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("was trained on inputs scaled by --normalize standardize, this run scales them by --normalize none"),
                r.err());
    }

    /** A prior that prunes every weight still writes its files, and says so on standard error. */
    @Test
    void aNetworkPrunedToNothingIsReported() throws IOException {
        RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--model", "mlp(hidden=8)",
                "--epochs", "1", "--retrain-epochs", "1", "--finetune-epochs", "0", "--threads", "1", "--progress", "none",
                "--prior", "soft-weight-sharing(lambda=1e-5, pi0=0.99, init_range=0, gamma_shape=0, gamma_rate=0, on=layer:nomatch)", "--out", dir.resolve("p").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("selects no parameter of the model, so it does nothing"), r.err());
        assertTrue(r.err().contains("every weight was pruned"), r.err());
    }

    /** A folder in the place of an output is refused before any work; an earlier run in the folder is replaced, and says so. */
    @Test
    void outputsInTheWayAreRefusedAtOnceAndAnEarlierRunIsReplacedWhole() throws IOException {
        Path out = Files.createDirectories(dir.resolve("blocked").resolve("compressed.safetensors")).getParent();
        RegulaCommandTest.Run r = RegulaCommandTest.run("compress", "--csv", blobs().toString(), "--model", "mlp(hidden=8)", "--epochs",
                "1", "--batch", "16", "--threads", "1", "--progress", "none", "--out", out.toString());
        assertEquals(ExitCode.IO, r.code(), r.out() + r.err());
        assertFalse(r.out().contains("pretraining"), "refused before pretraining: " + r.out());
        Path again = dir.resolve("again");
        String[] args = {"compress", "--csv", blobs().toString(), "--model", "mlp(hidden=8)", "--epochs", "1", "--batch", "16",
                "--retrain-epochs", "1", "--finetune-epochs", "0", "--threads", "1", "--progress", "none", "--out", again.toString()};
        assertEquals(0, RegulaCommandTest.run(args).code());
        r = RegulaCommandTest.run(args);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("holds an earlier compress run; it is replaced by this one"), r.err());
    }

    /** compress's arguments for a run of a second on the blobs into {@code out}, with {@code more} appended. */
    private String[] quick(Path out, String... more) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("compress", "--csv", blobs().toString(), "--model", "mlp(hidden=8)",
                "--batch", "16", "--retrain-epochs", "1", "--finetune-epochs", "0", "--threads", "1", "--progress", "none",
                "--out", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** The bytes of every output of a compress run in {@code out}, by name. */
    private static java.util.Map<String, String> outputs(Path out) throws Exception {
        java.util.Map<String, String> bytes = new java.util.TreeMap<>();
        for (String name : CompressCommand.OUTPUTS) {
            if (Files.exists(out.resolve(name))) bytes.put(name, java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out.resolve(name)))));
        }
        return bytes;
    }

    /**
     * A run that fails before it saves its first network, however it started, leaves an earlier run
     * whole: a pretraining refused at its first fit, a --merge-distance refused after the
     * pretraining, a retraining from the folder's own retrained network that diverges.
     */
    @Test
    void aRunThatFailsBeforeItsFirstNetworkLeavesTheEarlierRunWhole() throws Exception {
        Path out = dir.resolve("earlier");
        assertEquals(0, RegulaCommandTest.run(quick(out, "--epochs", "1")).code());
        java.util.Map<String, String> earlier = outputs(out);
        assertEquals(CompressCommand.OUTPUTS.size(), earlier.size());

        String[] batchNorm = quick(out, "--epochs", "1");
        batchNorm[4] = "mlp(hidden=8, batchnorm=true)";
        batchNorm[6] = "239"; // 240 training examples: a last batch of 1 reaches the BatchNorm
        RegulaCommandTest.Run r = RegulaCommandTest.run(batchNorm);
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("batch size 239") && r.err().contains("BatchNorm layer 'bn1'"), r.err());
        assertEquals(earlier, outputs(out));

        r = RegulaCommandTest.run(quick(out, "--epochs", "1", "--merge-distance", "100"));
        assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--merge-distance 100"), r.err());
        assertEquals(earlier, outputs(out), "refused before the new pretrained network replaced the earlier run");

        r = RegulaCommandTest.run(quick(out, "--pretrained", out.resolve("retrained.safetensors").toString(),
                "--retrain-optimizer", "sgd(lr=1e30)"));
        assertEquals(ExitCode.NUMERICAL, r.code(), r.out() + r.err());
        assertEquals(earlier, outputs(out), "the file it started from is set aside and comes back with the others");
        for (String aside : List.of(dev.regula.core.io.EarlierRun.ASIDE, dev.regula.core.io.EarlierRun.PARTIAL)) {
            assertFalse(Files.exists(out.resolve(aside)), aside);
        }
    }

    /**
     * The folder's own pretrained network as --pretrained: read, never set aside, kept; also when a
     * killed run left it aside (settled first, then read).
     */
    @Test
    void theFoldersOwnPretrainedNetworkIsKeptAndFoundEvenWhenAKilledRunLeftItAside() throws Exception {
        Path out = dir.resolve("own");
        assertEquals(0, RegulaCommandTest.run(quick(out, "--epochs", "1")).code());
        String pretrained = outputs(out).get("pretrained.safetensors");
        String retrained = outputs(out).get("retrained.safetensors");
        String[] fromOwn = quick(out, "--pretrained", out.resolve("pretrained.safetensors").toString(), "--seed", "5");
        RegulaCommandTest.Run r = RegulaCommandTest.run(fromOwn);
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(pretrained, outputs(out).get("pretrained.safetensors"));
        assertFalse(retrained.equals(outputs(out).get("retrained.safetensors")), "the new run's retraining replaced the earlier one's");
        assertFalse(Files.exists(out.resolve(dev.regula.core.io.EarlierRun.ASIDE)), "the earlier run dropped at the end");

        // as a kill during a pretraining leaves it: everything aside, nothing of the new run written
        dev.regula.core.io.EarlierRun.setAside(out, CompressCommand.OUTPUTS, "pretrained.safetensors");
        assertFalse(Files.exists(out.resolve("pretrained.safetensors")));
        r = RegulaCommandTest.run(fromOwn);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("put back"), r.err());
        assertEquals(pretrained, outputs(out).get("pretrained.safetensors"));
    }

    /** Options of the pretraining are refused with --pretrained; a partial --prior keeps the defaults of the keys it leaves out. */
    @Test
    void pretrainingOptionsWithPretrainedAreRefusedAndAPartialPriorKeepsTheOtherDefaults() throws Exception {
        Path out = dir.resolve("opts");
        assertEquals(0, RegulaCommandTest.run(quick(out, "--epochs", "1")).code());
        Path pre = Files.copy(out.resolve("pretrained.safetensors"), dir.resolve("pre.safetensors"));
        for (String[] extra : new String[][] {{"--epochs", "7"}, {"--optimizer", "adam(lr=1)"}}) {
            RegulaCommandTest.Run r = RegulaCommandTest.run(quick(dir.resolve("p"), "--pretrained", pre.toString(), extra[0], extra[1]));
            assertEquals(ExitCode.USAGE, r.code(), r.out() + r.err());
            assertTrue(r.err().contains(extra[0] + " sets the pretraining, which --pretrained replaces"), r.err());
        }
        RegulaCommandTest.Run r = RegulaCommandTest.run(quick(dir.resolve("partial"), "--pretrained", pre.toString(),
                "--prior", "soft-weight-sharing(pi0=0.8)"));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("components=16, pi0=0.8,") && r.out().contains("gamma_shape=5000") && r.out().contains("lambda=0.0005"),
                r.out());
        // the hyperprior's two keys go together: one given replaces both defaults (gamma_shape=0 alone turns it off)
        r = RegulaCommandTest.run(quick(dir.resolve("nogamma"), "--pretrained", pre.toString(), "--prior",
                "soft-weight-sharing(gamma_shape=0)"));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("gamma_shape=0") && !r.out().contains("gamma_rate=0.5"), r.out());
        // a missing --pretrained outside the output folder is refused before the folder is made
        Path fresh = dir.resolve("fresh");
        r = RegulaCommandTest.run(quick(fresh, "--pretrained", dir.resolve("typo.safetensors").toString()));
        assertEquals(ExitCode.DATA, r.code(), r.out() + r.err());
        assertFalse(Files.exists(fresh), "no output folder made for a refused run");
    }
}
