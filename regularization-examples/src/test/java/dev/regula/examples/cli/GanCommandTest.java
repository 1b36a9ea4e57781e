package dev.regula.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.examples.plot.Series;
import dev.regula.gan.train.FaceCaseStudy;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GanCommandTest {
    @Test
    void defaultsAreTheCaseStudys() {
        GanCommand c = new GanCommand();
        new CommandLine(c).parseArgs();
        assertEquals(FaceCaseStudy.Config.DEFAULT_LAMBDAS, c.lambdas);
        assertEquals(FaceCaseStudy.Config.DEFAULT_OPTIMIZER, c.optimizer);
        assertEquals(FaceCaseStudy.Config.DEFAULT_ITERATIONS, c.iterations);
        assertEquals(FaceCaseStudy.Config.DEFAULT_BATCH, c.batch);
        assertEquals(FaceCaseStudy.Config.DEFAULT_WIDTH, c.width);
        assertEquals(List.of("none"), c.discriminatorRegularizers);
        assertEquals(List.of(), c.generatorRegularizers);
        assertEquals("nearest", c.upsample);
        assertEquals(FaceCaseStudy.Config.DEFAULT_R1_GAMMA, c.r1);
        assertEquals("learnable", c.prior);
        assertEquals(FaceCaseStudy.Config.DEFAULT_PRIORS, FaceCaseStudy.Config.builder().build().priors());
        assertEquals(1, c.seeds);
        assertEquals(FaceCaseStudy.Config.DEFAULT_MINIBATCH_GROUP, c.minibatchGroup);
        assertEquals(FaceCaseStudy.Config.DEFAULT_LATENT, c.latent);
        assertEquals(FaceCaseStudy.Config.DEFAULT_DIVERSITY, c.diversity);
        FaceCaseStudy.Config defaults = FaceCaseStudy.Config.builder().build();
        assertEquals(FaceCaseStudy.Config.DEFAULT_EMA_DECAY, c.ema);
        assertEquals(defaults.upsampling(), dev.regula.gan.train.Dcgan.Upsampling.NEAREST);
        assertEquals(List.of(), defaults.discriminatorRegularizers());
    }

    /** The help spells the ablation out as literals (annotations take no lists): they follow the constants. */
    @Test
    void theHelpNamesTheAblationItRuns() {
        String lambdas = FaceCaseStudy.Config.ABLATION_LAMBDAS.stream()
                .map(l -> java.math.BigDecimal.valueOf(l).stripTrailingZeros().toPlainString())
                .collect(java.util.stream.Collectors.joining(", "));
        String seeds = "x " + FaceCaseStudy.Config.ABLATION_SEEDS + " seeds";
        CommandLine.Model.CommandSpec spec = new CommandLine(new GanCommand()).getCommandSpec();
        String option = String.join(" ", spec.findOption("--ablation").description());
        assertTrue(option.contains("lambda " + lambdas + " x fixed and learnable") && option.contains(seeds), option);
        String usage = String.join(" ", spec.usageMessage().description());
        assertTrue(usage.contains("(lambda " + lambdas + " x fixed, learnable " + seeds + ")"), usage);
        assertEquals(List.of(false, true), FaceCaseStudy.Config.ABLATION_PRIORS, "the help names fixed and learnable");
    }

    @Test
    void repeatedRegularizersAndLambdaListsParse() {
        GanCommand c = new GanCommand();
        new CommandLine(c).parseArgs("--lambda", "0,0.5,2", "--d-reg", "spectral-norm(max=1.0)", "--g-reg", "l2(lambda=1e-4)", "--g-reg", "max-norm(max=3)");
        assertEquals(List.of(0.0, 0.5, 2.0), c.lambdas);
        assertEquals(List.of("spectral-norm(max=1.0)"), c.discriminatorRegularizers);
        assertEquals(List.of("l2(lambda=1e-4)", "max-norm(max=3)"), c.generatorRegularizers);
    }

    /** --resume needs the folder of the study it continues: without it, exit 2 before any work, nothing created. */
    @Test
    void resumeWithoutAFolderIsUsageErrorAndCreatesNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path out = dir.resolve("none");
        RegulaCommandTest.Run r = RegulaCommandTest.run("gan", "--out", out.toString(), "--progress", "none", "--resume");
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        org.junit.jupiter.api.Assertions.assertTrue(r.err().contains("--resume: there is no output folder"), r.err());
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(out));
    }

    @Test
    void curvesTakeTheLinesThatHaveTheKey() {
        List<String> lines = List.of(
                "{\"iteration\":25,\"d_loss\":1.25,\"feature_error\":null}",
                "{\"iteration\":50,\"d_loss\":0.5,\"frechet\":12.5,\"kid\":-1.0E-3}",
                "{\"iteration\":75,\"d_loss\":2e-1}");
        Series d = GanCommand.series("D", lines, "d_loss");
        assertArrayEquals(new double[] {25, 50, 75}, d.x());
        assertArrayEquals(new double[] {1.25, 0.5, 0.2}, d.y());
        Series f = GanCommand.series("F", lines, "frechet");
        assertArrayEquals(new double[] {50}, f.x());
        assertArrayEquals(new double[] {12.5}, f.y());
        assertEquals(Double.NaN, GanCommand.series("E", lines, "feature_error").y()[0]);
        assertArrayEquals(new double[] {-1e-3}, GanCommand.series("K", lines, "kid").y());
    }

    /** Bad input to the case study is exit 2 with a message naming what was wrong, before any face is rendered. */
    @Test
    void badInputIsExitTwoNamingTheProblem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String out = dir.resolve("gan").toString();
        String[][] cases = {
            {"--attributes", "smiling+beard", "beard"},
            {"--lambda", "0,-1", "-1.0"},
            {"--width", "1000000", "at most 1024"},
            {"--eval-images", "2147483647", "at most 200000"},
            {"--prior", "sometimes", "fixed, learnable or both"},
            {"--threads", "3000", "--threads must be in"},
            {"--seeds", "0", "seeds"},
            {"--minibatch-stddev", "3", "a divisor of the batch (32) of at least 2, got 3"},
            {"--minibatch-stddev", "1", "a divisor of the batch (32) of at least 2, got 1"},
            {"--diversity", "-0.5", "the diversity weight must be finite and >= 0 (0 for none), got -0.5"},
            {"--diversity", "NaN", "the diversity weight must be finite and >= 0 (0 for none), got NaN"},
            {"--latent", "0", "latent (--latent) must be >= 1"},
            {"--latent", "2147483647", "latent (--latent) must be at most 4096, got 2147483647"},
            {"--ema", "1.5", "emaDecay (--ema) must be in [0, 1)"},
            {"--sample-every", "0", "sampleEvery (--sample-every) must be >= 1"},
            {"--g-reg", "prior-guided(lambda=1)", "leave prior-guided out of the generator's regularizers"},
            {"--optimizer", "adam(lr=5e-4, beta=0.5)", "beta"},
        };
        for (String[] c : cases) {
            RegulaCommandTest.Run r = RegulaCommandTest.run("gan", "--out", out, "--progress", "none", c[0], c[1]);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(c[2]), String.join(" ", c) + ": " + r.err());
            assertTrue(!r.out().contains("rendering"), "refused before any face is rendered: " + String.join(" ", c) + ": " + r.out());
        }
        RegulaCommandTest.Run one = RegulaCommandTest.run("gan", "--out", out, "--progress", "none", "--attributes", "smiling",
                "--prior", "both", "--lambda", "0.1");
        assertEquals(2, one.code(), one.err());
        assertTrue(one.err().contains("needs at least two (--attributes); with one, use --prior fixed"), one.err());
        // an odd minibatch group would split the diversity term's pairs of generated faces
        RegulaCommandTest.Run odd = RegulaCommandTest.run("gan", "--out", out, "--progress", "none", "--batch", "24",
                "--minibatch-stddev", "3");
        assertEquals(2, odd.code(), odd.err());
        assertTrue(odd.err().contains("must be even with the diversity term"), odd.err());
        assertTrue(odd.err().contains("--diversity 0"), odd.err());
        // combinations only the trainer knows to refuse: refused before the output folder is made
        String[][] recipes = {
            {"--d-reg", "r1(gamma=2, every=16)", "R1 is given twice"},
            {"--g-reg", "r2(gamma=1)", "act on the discriminator"},
            {"--d-reg", "soft-output-bounds(lambda=1)", "output regularizers act on the generator's images"},
        };
        // a strength written as Java would, or so small it reads as 0; --ablation beside the settings it sets
        for (String[] c : new String[][] {{"--lambda", "1d"}, {"--lambda", "0x1p-3"}, {"--lambda", "1e-400"}}) {
            RegulaCommandTest.Run r = RegulaCommandTest.run("gan", "--out", out, "--progress", "none", c[0], c[1]);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(c[1]), r.err());
        }
        // sizes the heap cannot hold: refused before a face is rendered, naming the options
        java.nio.file.Path big = dir.resolve("big");
        RegulaCommandTest.Run huge = RegulaCommandTest.run("gan", "--out", big.toString(), "--progress", "none", "--batch", "20000",
                "--train-images", "20000", "--size", "64");
        assertEquals(2, huge.code(), huge.err());
        assertTrue(huge.err().contains("--batch 20000 at --size 64 and --width 96"), huge.err());
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(big), "nothing created");
        java.nio.file.Path noFaces = dir.resolve("noceleba");
        RegulaCommandTest.Run missing = RegulaCommandTest.run("gan", "--out", noFaces.toString(), "--progress", "none", "--data",
                "celeba:" + dir.resolve("nowhere"));
        assertEquals(ExitCode.DATA, missing.code(), missing.err());
        assertTrue(missing.err().contains("CelebA directory " + dir.resolve("nowhere") + " does not exist"), missing.err());
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(noFaces), "nothing created");
        RegulaCommandTest.Run both = RegulaCommandTest.run("gan", "--out", out, "--progress", "none", "--ablation", "--seeds", "1");
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("--ablation sets --seeds itself"), both.err());
        for (String[] c : recipes) {
            java.nio.file.Path fresh = dir.resolve("fresh-" + Math.abs(c[1].hashCode()));
            RegulaCommandTest.Run r = RegulaCommandTest.run("gan", "--out", fresh.toString(), "--progress", "none", c[0], c[1]);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(c[2]), String.join(" ", c) + ": " + r.err());
            org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(fresh), "nothing created: " + String.join(" ", c));
        }
    }

    /** A gan study and a train run never share a folder: each would replace the other's curves.png. */
    @Test
    void aStudyAndATrainRunNeverShareAFolder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path trained = java.nio.file.Files.createDirectories(dir.resolve("trained"));
        java.nio.file.Files.writeString(trained.resolve("metrics.csv"), "epoch,loss\n1,0.5\n");
        java.nio.file.Files.writeString(trained.resolve("curves.png"), "the train run's");
        RegulaCommandTest.Run r = RegulaCommandTest.run("gan", "--out", trained.toString(), "--progress", "none");
        assertEquals(ExitCode.IO, r.code(), r.err());
        assertTrue(r.err().contains("holds a regula train run (metrics.csv)"), r.err());
        assertEquals("the train run's", java.nio.file.Files.readString(trained.resolve("curves.png")));
        java.nio.file.Path study = java.nio.file.Files.createDirectories(dir.resolve("study"));
        java.nio.file.Files.writeString(study.resolve("real.png"), "the study's");
        r = RegulaCommandTest.run("train", "--out", study.toString(), "--progress", "none", "--epochs", "1");
        assertEquals(ExitCode.IO, r.code(), r.err());
        assertTrue(r.err().contains("holds a regula gan study (real.png)"), r.err());
    }
}
