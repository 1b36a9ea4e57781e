package dev.regula.examples.cli;

import static dev.regula.examples.cli.RegulaCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.core.checkpoint.Safetensors;
import dev.regula.core.data.Diabetes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression, validation splits and k-fold cross-validation from the command line. */
class RecipesCommandTest {
    @TempDir
    Path dir;

    /** y = round(30·x1 − 20·x2 + 100 + noise): integer targets that must not be taken for classes. */
    private Path regressionCsv(int n) throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder b = new StringBuilder("x1,x2,x3,y\n");
        for (int i = 0; i < n; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            double x3 = r.nextGaussian();
            b.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%d%n", x1, x2, x3, Math.round(30 * x1 - 20 * x2 + 100 + 2 * r.nextGaussian())));
        }
        Path f = dir.resolve("reg.csv");
        Files.writeString(f, b);
        return f;
    }

    private static double r2(String out) {
        Matcher m = Pattern.compile("R² (-?[0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void linearRegressionWithMseReportsRmseMaeAndR2AndWritesGradientHealth() throws IOException {
        Path out = dir.resolve("train");
        RegulaCommandTest.Run r = run("train", "--csv", regressionCsv(300).toString(), "--loss", "mse", "--model", "linear()",
                "--reg", "l2(lambda=1e-3)", "--optimizer", "sgd(lr=0.05)", "--epochs", "15", "--batch", "16", "--threads", "1",
                "--validation", "0.2", "--progress", "none", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("val loss"), r.out());
        assertTrue(r.out().contains("test RMSE"), r.out());
        assertTrue(r2(r.out()) > 0.95, r.out());
        String gradients = Files.readString(out.resolve(MetricsLog.GRADIENTS));
        assertTrue(gradients.startsWith("epoch,parameter,grad_norm,grad_rms,update_ratio,l2_norm\n1,out.weight,"), gradients);
        assertTrue(Files.readString(out.resolve("metrics.jsonl")).contains("\"grad_norm\":"));
    }

    @Test
    void huberAndPolynomialFeaturesRun() throws IOException {
        RegulaCommandTest.Run r = run("train", "--csv", regressionCsv(200).toString(), "--loss", "huber", "--poly", "2",
                "--model", "linear()", "--optimizer", "sgd(lr=0.05)", "--epochs", "30", "--batch", "16", "--threads", "1", "--progress", "none",
                "--out", dir.resolve("huber").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r2(r.out()) > 0.9, r.out());
    }

    @Test
    void badValidationFractionsFoldsAndTargetsAreClearErrors() throws IOException {
        Path csv = regressionCsv(60);
        for (String f : new String[] {"0", "1"}) {
            RegulaCommandTest.Run r = run("train", "--csv", csv.toString(), "--loss", "mse", "--validation", f, "--out", dir.resolve("v").toString());
            assertEquals(ExitCode.USAGE, r.code(), r.err());
            assertTrue(r.err().contains("--validation must be a fraction strictly between 0 and 1"), r.err());
        }
        RegulaCommandTest.Run folds = run("compare", "--csv", csv.toString(), "--loss", "mse", "--folds", "1", "--out", dir.resolve("f").toString());
        assertEquals(ExitCode.USAGE, folds.code(), folds.err());
        assertTrue(folds.err().contains("--folds must be >= 2"), folds.err());
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "x1,y\n1.0,2.5\n2.0,high\n");
        RegulaCommandTest.Run target = run("train", "--csv", bad.toString(), "--loss", "mse", "--out", dir.resolve("b").toString());
        assertEquals(ExitCode.DATA, target.code(), target.err());
        assertTrue(target.err().contains("bad.csv:3") && target.err().contains("'high'"), target.err());
        RegulaCommandTest.Run ce = run("train", "--csv", csv.toString(), "--loss", "squared", "--out", dir.resolve("c").toString());
        assertEquals(ExitCode.USAGE, ce.code(), ce.err());
        assertTrue(ce.err().contains("--loss must be cross-entropy, mse or huber"), ce.err());
    }

    @Test
    void compareByKFoldChoosesALambdaAndTouchesTheTestSetOnce() throws IOException {
        Path out = dir.resolve("cv");
        RegulaCommandTest.Run r = run("compare", "--csv", regressionCsv(150).toString(), "--loss", "mse", "--model", "linear()",
                "--optimizer", "sgd(lr=0.05)", "--epochs", "5", "--batch", "16", "--threads", "1", "--folds", "3", "--progress", "none",
                "--setting", "l2(lambda=1e-3)", "--setting", "l2(lambda=0.1)", "--setting", "l2(lambda=10)", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("± "), r.out());
        // a strong ridge penalty must lose on validation error
        assertTrue(r.out().contains("chosen by 3-fold cross-validation: l2(lambda=") && !r.out().contains("cross-validation: l2(lambda=10)"), r.out());
        assertTrue(r.out().contains("test RMSE"), r.out());
        String csv = Files.readString(out.resolve(CrossValidation.CSV));
        assertTrue(csv.startsWith("setting,lambda,mean,sd,sparsity,fold1,fold2,fold3,model\n"), csv);
        assertTrue(csv.lines().skip(1).allMatch(l -> l.endsWith(",linear()")), "the model each setting trained: " + csv);
        assertEquals(4, csv.lines().count());
        assertTrue(Files.size(out.resolve(CrossValidation.PLOT)) > 1000);
    }

    @Test
    void theLambdaPlotDrawsOneLinePerFamilyAndTheHeaderNamesTheSettingsModels() throws IOException {
        // settings that differ only in λ are one line; an L1 and an L2 setting of equal λ are not joined
        String mlp = "mlp(hidden=8, batchnorm=true)";
        assertEquals(new CrossValidation.Family("l2", mlp), CrossValidation.familyOf(new Setting("a", List.of("l2(lambda=1e-3)")), mlp));
        assertEquals(new CrossValidation.Family("elastic-net(l2=1e-4) + dropout(p=0.2)", mlp),
                CrossValidation.familyOf(new Setting("c", List.of("elastic-net(l1=1e-5, l2=1e-4)", "dropout(p=0.2)")), mlp));
        // a model written otherwise, or named by model= as --model names it, is the same model
        assertEquals(CrossValidation.familyOf(new Setting("a", List.of("l2(lambda=1e-3)")), mlp),
                CrossValidation.familyOf(new Setting("b", List.of("l2(lambda=10)"), "MLP(hidden=8,batchnorm=true)"), mlp));
        List<CrossValidation.Row> rows = List.of(
                new CrossValidation.Row(new Setting("n", List.of()), Double.NaN, new double[] {0.5}, 0),
                new CrossValidation.Row(new Setting("l2 big", List.of("l2(lambda=1)")), 1, new double[] {0.6}, 0),
                new CrossValidation.Row(new Setting("l1 small", List.of("l1(lambda=0.01)")), 0.01, new double[] {0.7}, 0.1),
                new CrossValidation.Row(new Setting("l2 small", List.of("l2(lambda=0.01)")), 0.01, new double[] {0.8}, 0),
                new CrossValidation.Row(new Setting("l1 big", List.of("l1(lambda=1)"), "linear()"), 1, new double[] {0.9}, 0.5));
        var families = CrossValidation.families(rows, mlp);
        assertEquals(List.of(new CrossValidation.Family("l2", mlp), new CrossValidation.Family("l1", mlp),
                new CrossValidation.Family("l1", "linear")), List.copyOf(families.keySet()));
        assertEquals(List.of("l2 small", "l2 big"), families.get(new CrossValidation.Family("l2", mlp)).stream()
                .map(r -> r.setting().label()).toList(), "a line's points by increasing λ");
        assertEquals(1, families.get(new CrossValidation.Family("l1", "linear")).size());

        Path out = dir.resolve("cv-families");
        RegulaCommandTest.Run r = run("compare", "--csv", regressionCsv(90).toString(), "--loss", "mse",
                "--optimizer", "sgd(lr=0.05)", "--epochs", "2", "--batch", "16", "--threads", "1", "--folds", "2", "--progress", "none",
                "--setting", "model=linear(); l2(lambda=1e-3)", "--setting", "model=linear(); l2(lambda=0.1)",
                "--setting", "model=linear(); l1(lambda=1e-3)", "--setting", "model=linear(); l1(lambda=0.1)", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String header = r.out().lines().findFirst().orElseThrow();
        assertTrue(header.contains(" linear, ") && !header.contains("mlp("), header);
        assertTrue(Files.size(out.resolve(CrossValidation.PLOT)) > 1000);
    }

    /**
     * A refused rerun leaves the earlier results; a setting that diverges at its first step is a
     * row of the table, not the end of the comparison; a cross-validation in which every setting
     * diverges writes its own verdict, not beside an earlier one.
     */
    @Test
    void compareKeepsWhatARefusedRunFindsAndReportsEveryDivergence() throws IOException {
        Path out = dir.resolve("cmp");
        String csv = regressionCsv(90).toString();
        RegulaCommandTest.Run first = run("compare", "--csv", csv, "--loss", "mse", "--model", "linear()", "--optimizer", "sgd(lr=0.05)",
                "--epochs", "2", "--batch", "16", "--threads", "1", "--progress", "none", "--setting", "none", "--out", out.toString());
        assertEquals(0, first.code(), first.err());
        String report = Files.readString(out.resolve(Report.MD));
        RegulaCommandTest.Run refused = run("compare", "--csv", csv, "--loss", "mse", "--model", "linear()", "--folds", "5000",
                "--setting", "none", "--out", out.toString());
        assertEquals(ExitCode.USAGE, refused.code(), refused.err());
        assertEquals(report, Files.readString(out.resolve(Report.MD)), "the refused run leaves the earlier report");

        RegulaCommandTest.Run huge = run("compare", "--csv", csv, "--loss", "mse", "--model", "linear()", "--optimizer", "sgd(lr=0.05)",
                "--epochs", "2", "--batch", "16", "--threads", "1", "--progress", "none", "--setting", "none",
                "--setting", "l2(lambda=1e308)", "--out", out.toString());
        assertEquals(ExitCode.NUMERICAL, huge.code(), huge.out() + huge.err());
        assertTrue(huge.out().contains("diverged") && Files.readString(out.resolve(Report.MD)).contains("| none |"), huge.out());

        RegulaCommandTest.Run all = run("compare", "--csv", csv, "--loss", "mse", "--model", "linear()", "--optimizer", "sgd(lr=1e30)",
                "--epochs", "1", "--batch", "16", "--threads", "1", "--progress", "none", "--folds", "2", "--setting", "none",
                "--setting", "l2(lambda=1e-3)", "--out", out.toString());
        assertEquals(ExitCode.NUMERICAL, all.code(), all.out() + all.err());
        assertTrue(Files.readString(out.resolve(CrossValidation.MD)).contains("every setting diverged; nothing chosen"));
        assertFalse(Files.exists(out.resolve(CrossValidation.PLOT)));

        // a setting out of range for this run (lr * lambda > 1) is bad usage in one line, found before any setting trains
        RegulaCommandTest.Run decay = run("compare", "--csv", csv, "--loss", "mse", "--model", "linear()", "--optimizer", "sgd(lr=0.05)",
                "--epochs", "1", "--batch", "16", "--threads", "1", "--progress", "none", "--setting", "none",
                "--setting", "weight-decay(lambda=30)", "--out", dir.resolve("decay").toString());
        assertEquals(ExitCode.USAGE, decay.code(), decay.out() + decay.err());
        assertTrue(decay.err().contains("lr*lambda = 0.05*30.0 = 1.5 is outside [0, 1]"), decay.err());
        assertFalse(decay.err().contains("failed in") || decay.err().contains("class dev.regula"), "not a plugin's crash: " + decay.err());
        assertFalse(decay.out().contains("[1/2]"), "refused before the first setting trains: " + decay.out());
    }

    @Test
    void lassoOnTheDiabetesDataInstalledByPython3Sklearn() {
        assumeTrue(Files.exists(Diabetes.DEBIAN_DIR.resolve(Diabetes.FEATURES)), "python3-sklearn is not installed");
        RegulaCommandTest.Run r = run("train", "--dataset", "diabetes", "--loss", "mse", "--model", "linear()",
                "--reg", "l1-proximal(lambda=0.03)", "--optimizer", "sgd(lr=0.05)", "--epochs", "20", "--batch", "32",
                "--threads", "1", "--progress", "none", "--out", dir.resolve("diabetes").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("353 train / 89 test"), r.out());
        assertTrue(r2(r.out()) > 0.4, r.out());
    }

    private static String[] regressionRun(Path csv, Path out, String poly, String epochs, boolean resume) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("train", "--csv", csv.toString(), "--loss", "mse",
                "--poly", poly, "--model", "linear()", "--optimizer", "sgd(lr=0.05)", "--epochs", epochs, "--batch", "16",
                "--threads", "1", "--progress", "none", "--out", out.toString()));
        if (resume) a.add("--resume");
        return a.toArray(String[]::new);
    }

    /** --loss, --poly, --validation and --dataset are resume settings; a checkpoint without them meant their defaults. */
    @Test
    void aResumeChecksTheRecipeOptionsAndAnOlderCheckpointMeansTheirDefaults() throws IOException {
        Path csv = regressionCsv(60);
        Path out = dir.resolve("resume");
        assertEquals(0, run(regressionRun(csv, out, "2", "1", false)).code());
        Path file = out.resolve(TrainCommand.CHECKPOINT);
        Safetensors.Contents good = Safetensors.read(file);
        assertEquals("mse", good.metadata().get("loss"));
        assertEquals("2", good.metadata().get("poly"));
        assertEquals("none", good.metadata().get("validation"));

        RegulaCommandTest.Run otherPoly = run(regressionRun(csv, out, "3", "2", true));
        assertEquals(ExitCode.USAGE, otherPoly.code(), otherPoly.err());
        assertTrue(otherPoly.err().contains("poly=2 but this run has poly=3"), otherPoly.err());

        java.util.Map<String, String> older = new java.util.LinkedHashMap<>(good.metadata());
        for (String key : new String[] {"loss", "poly", "validation", "dataset"}) older.remove(key);
        Safetensors.write(file, good.tensors(), older);
        RegulaCommandTest.Run fromOlder = run(regressionRun(csv, out, "2", "2", true));
        assertEquals(ExitCode.USAGE, fromOlder.code(), fromOlder.err());
        assertTrue(fromOlder.err().contains("written with loss=cross-entropy but this run has loss=mse"), fromOlder.err());

        Safetensors.write(file, good.tensors(), good.metadata());
        RegulaCommandTest.Run ok = run(regressionRun(csv, out, "2", "2", true));
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("resumed at epoch 1"), ok.out());
        java.util.List<String> rows = Files.readAllLines(out.resolve(MetricsLog.GRADIENTS));
        assertEquals(1, rows.stream().filter(l -> l.startsWith("epoch,")).count(), rows.toString());
        assertEquals(1, rows.stream().filter(l -> l.startsWith("1,out.weight,")).count(), rows.toString());
        assertEquals(1, rows.stream().filter(l -> l.startsWith("2,out.weight,")).count(), rows.toString());
    }
}
