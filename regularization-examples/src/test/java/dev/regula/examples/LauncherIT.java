package dev.regula.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end tests of the real {@code ./regula} launcher, run as a process after {@code package}
 * (Failsafe): {@code REGULA_NO_BUILD=1} so it uses target/lib as built and never calls Maven,
 * JAVA_HOME of this JVM, headless charts, standard error not a terminal (plain progress lines).
 */
class LauncherIT {
    static Path root;
    static Path plugin;

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        String all() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void locate() {
        root = Path.of(System.getProperty("regula.root", "..")).toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(root.resolve("regula")), "no launcher at " + root);
        assertTrue(Files.isRegularFile(root.resolve("regularization-examples/target/lib/regularization-examples.jar")),
                "run after package: target/lib is the launcher's module path");
        plugin = Path.of(System.getProperty("regula.test.plugin"));
        assertTrue(Files.isRegularFile(plugin) && plugin.toString().endsWith(".jar"), "the plugin jar: " + plugin);
    }

    Run regula(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("regula").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("REGULA_PLUGINS");
        pb.environment().remove("REGULA_KERNELS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("REGULA_NO_BUILD", "1");
        pb.environment().put("REGULA_AOT", "0"); // the start-up cache has its own test
        pb.environment().put("JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1 -Djava.awt.headless=true");
        pb.environment().putAll(env);
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("regula " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    Run regula(String... args) throws IOException, InterruptedException {
        return regula(Map.of(), args);
    }

    /**
     * A CSV file the heap can hold by its size but not by what reading it builds (narrow rows in
     * growing arrays, a very wide line split into cells) is refused as data (exit 3) or read, never
     * an out-of-memory error.
     */
    @Test
    void aCsvThatWouldRunTheHeapOutIsRefusedAsDataNotAnOutOfMemoryError() throws Exception {
        Path narrow = dir.resolve("narrow.csv");
        try (var w = Files.newBufferedWriter(narrow)) {
            w.write("a,label\n");
            for (int i = 0; i < 7_000_000; i++) w.write(i % 2 == 0 ? "0,0\n" : "1,1\n");
        }
        Path wide = dir.resolve("wide.csv");
        try (var w = Files.newBufferedWriter(wide)) {
            for (int row = 0; row < 4; row++) {
                for (int c = 0; c < 1_500_000; c++) w.write(row == 0 ? "c" + c + "," : "0,");
                w.write(row == 0 ? "label\n" : "1\n");
            }
        }
        for (Path csv : List.of(narrow, wide)) {
            Run r = regula(Map.of("JAVA_OPTS", "-Xmx120m -XX:TieredStopAtLevel=1 -Djava.awt.headless=true"), "train", "--csv",
                    csv.toString(), "--model", "mlp(hidden=4)", "--batch", "4096", "--epochs", "1", "--progress", "none", "--out",
                    dir.resolve("out-" + csv.getFileName()).toString());
            assertTrue(r.code() == 0 || r.code() == 3, csv + ": " + r.all());
            assertFalse(r.err().toLowerCase(java.util.Locale.ROOT).contains("out of memory"), csv + ": " + r.all());
        }
    }

    @Test
    void listShowsTheSamplePluginOnlyWhenItIsOnTheModulePath() throws Exception {
        Run plain = regula("list");
        assertEquals(0, plain.code(), plain.all());
        for (String s : List.of("Regularizers:", "l2 ", "dropout", "l1-proximal", "Optimizers:", "sgd", "Models:", "mlp", "Kernels:", "[active]")) {
            assertTrue(plain.out().contains(s), s + "\n" + plain.all());
        }
        assertFalse(plain.out().contains("smooth-l1"), plain.all());

        Run with = regula(Map.of("REGULA_PLUGINS", plugin.toString()), "list");
        assertEquals(0, with.code(), with.all());
        assertTrue(with.out().contains("smooth-l1"), with.all());
        assertTrue(with.out().contains("(plugin)"), with.all());

        // a file that is not a jar is refused naming it (exit 2), not a JVM boot failure (exit 1)
        Path bad = Files.write(dir.resolve("bad.jar"), new byte[] {1, 2, 3, 4, 5, 6});
        Run broken = regula(Map.of("REGULA_PLUGINS", bad.toString()), "list");
        assertEquals(2, broken.code(), broken.all());
        assertTrue(broken.err().contains(bad + " is not a jar"), broken.all());

        // a jar the JVM cannot make a module of (no module-info, a name that is no Java identifier):
        // refused naming the jar and the reason (exit 2), not the JVM's boot-layer failure (exit 1)
        Path unnamed = jarOfManifest(dir.resolve("123.jar"), "Manifest-Version: 1.0\n");
        Run nameless = regula(Map.of("REGULA_PLUGINS", unnamed.toString()), "list");
        assertEquals(2, nameless.code(), nameless.all());
        assertTrue(nameless.err().contains("the plugins do not fit on the module path") && nameless.err().contains(unnamed.toString())
                && nameless.err().contains("not a Java identifier"), nameless.all());
        assertFalse(nameless.err().contains("Error occurred during initialization of boot layer"), nameless.all());

        // a plugin whose module name Regula's own module has would be shadowed, silently not loaded: refused too
        Path shadow = jarOfManifest(dir.resolve("shadow.jar"), "Manifest-Version: 1.0\nAutomatic-Module-Name: dev.regula.core\n");
        Run shadowed = regula(Map.of("REGULA_PLUGINS", shadow.toString()), "list");
        assertEquals(2, shadowed.code(), shadowed.all());
        assertTrue(shadowed.err().contains("shadowed by") && shadowed.err().contains(shadow.toString()), shadowed.all());
    }

    /** @return {@code jar}, written as a jar holding only a manifest of the given text */
    private static Path jarOfManifest(Path jar, String manifest) throws IOException {
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("META-INF/MANIFEST.MF"));
            zip.write(manifest.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        return jar;
    }

    @Test
    void trainOnATinyCsvWritesMetricsCurvesAndACheckpointAndCanUseThePlugin() throws Exception {
        Files.writeString(dir.resolve("tiny.csv"), TinyData.blobsCsv(120, 3));
        Run r = regula(Map.of("REGULA_PLUGINS", plugin.toString()), "train", "--csv", "tiny.csv", "--model", "mlp(hidden=8)",
                "--reg", "smooth-l1(lambda=1e-3)", "--reg", "dropout(p=0.1)", "--epochs", "3", "--batch", "16", "--threads", "1",
                "--out", "run");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("regula train: mlp(hidden=8), 96 train / 24 test examples"), r.all());
        assertTrue(r.out().contains("epoch  3  loss"), r.all());
        assertTrue(r.out().contains("final: test accuracy"), r.all());
        assertFalse(r.err().contains("\r") || r.err().contains("\u001b["), "no bar redraws in a log: " + r.all());
        assertFalse(r.err().contains("Exception"), r.all());
        Path run = dir.resolve("run");
        List<String> jsonl = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(3, jsonl.size());
        for (int e = 1; e <= 3; e++) assertTrue(jsonl.get(e - 1).startsWith("{\"epoch\":" + e + ","), jsonl.get(e - 1));
        assertTrue(jsonl.get(2).contains("smooth-l1"), jsonl.get(2));
        assertTrue(Files.size(run.resolve("checkpoint.safetensors")) > 100);
        assertPng(run.resolve("curves.png"), 1280, 420);
    }

    @Test
    void compareOnTinyIdxFilesWritesTheReportPlotsAndPerSettingMetrics() throws Exception {
        Path idx = dir.resolve("idx");
        writeTinyFashionMnist(idx, 96, 32);
        Run r = regula("compare", "--data", "idx", "--model", "mlp(hidden=8)", "--epochs", "2", "--batch", "16", "--threads", "1",
                "--setting", "none", "--setting", "l2(lambda=1e-4); dropout(p=0.2)", "--setting", "prox: l1-proximal(lambda=1)",
                "--out", "cmp");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("regula compare: 3 settings"), r.all());
        assertTrue(r.out().contains("| setting | train acc | test acc | gap |"), r.all());
        assertTrue(r.out().contains("| l2(lambda=1e-4) + dropout(p=0.2) |"), r.all());
        Path cmp = dir.resolve("cmp");
        List<String> csv = Files.readAllLines(cmp.resolve("report.csv"));
        assertEquals(4, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("setting,regularizers,train_accuracy,test_accuracy,generalization_gap,test_loss,sparsity,weight_l2,weight_l1"));
        assertTrue(csv.get(1).startsWith("none,,"), csv.get(1));
        assertTrue(csv.get(3).startsWith("prox,l1-proximal(lambda=1),"), csv.get(3));
        assertTrue(Double.parseDouble(csv.get(3).split(",")[6]) > 0.1, "lambda=1 zeroes many weights: " + csv.get(3));
        for (String sub : List.of("01-none", "02-l2-lambda-1e-4-dropout-p-0.2", "03-prox")) {
            assertEquals(2, Files.readAllLines(cmp.resolve(sub).resolve("metrics.jsonl")).size(), sub);
        }
        assertTrue(Files.readString(cmp.resolve("report.md")).contains("| prox |"));
        assertTrue(Files.readString(cmp.resolve("report.json")).contains("\"setting\":\"prox\""));
        assertPng(cmp.resolve("learning-curves.png"), 900, 560);
        assertPng(cmp.resolve("loss-curves.png"), 900, 560);
    }

    @Test
    void theStartUpCacheIsMadeOnceAndNeverChangesWhatACommandPrintsEvenWhenTheJvmRefusesIt() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "the AOT cache needs JDK 25");
        Path caches = dir.resolve("aot");
        Map<String, String> on = Map.of("REGULA_AOT", "1", "REGULA_AOT_DIR", caches.toString(), "REGULA_AOT_RUN", "list");
        Run plain = regula("list");
        assertEquals(0, plain.code(), plain.all());

        Run first = regula(on, "list");
        assertEquals(0, first.code(), first.all());
        assertEquals(plain.out(), first.out(), "the cache's creation prints nothing on standard output");
        assertTrue(first.err().contains("regula: creating the start-up cache"), first.all());
        List<Path> made = cacheFiles(caches);
        assertEquals(1, made.size(), "one cache and nothing else (no .failed, no log): " + made + "\n" + first.all());
        assertTrue(made.get(0).getFileName().toString().endsWith(".aot"), made.toString());

        Run second = regula(on, "list");
        assertEquals(0, second.code(), second.all());
        assertEquals(plain.out(), second.out());
        assertFalse(second.err().contains("creating"), "made once per build: " + second.all());

        // a file the JVM cannot map (as after a JDK update in place): same output, no JVM complaint
        Files.write(made.get(0), new byte[4096]);
        Run refused = regula(on, "list");
        assertEquals(0, refused.code(), refused.all());
        assertEquals(plain.out(), refused.out());
        assertFalse(refused.err().contains("[error") || refused.err().contains("AOT"), refused.all());
    }

    private static List<Path> cacheFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void anUnknownRegularizerIsAUsageErrorWithASuggestion() throws Exception {
        Files.writeString(dir.resolve("tiny.csv"), TinyData.blobsCsv(30, 3));
        Run r = regula("train", "--csv", "tiny.csv", "--reg", "dropuot(p=0.2)", "--out", "x");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("unknown regularizer 'dropuot'; did you mean 'dropout'?"), r.all());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.all());
        Run flag = regula("compare", "--epochz", "3");
        assertEquals(2, flag.code(), flag.all());
        assertTrue(flag.err().contains("--epochz"), flag.all());
    }

    @Test
    void missingDataIsExitCode3WithTheInstallHint() throws Exception {
        Run r = regula("train", "--data", "no-such-dir", "--out", "x");
        assertEquals(3, r.code(), r.all());
        assertTrue(r.err().contains("apt-get install dataset-fashion-mnist"), r.all());
    }

    @Test
    void ganRunsATinyCaseStudyAndWritesGridsMetricsCheckpointsTheAblationAndCurves() throws Exception {
        Run r = regula("gan", "--size", "16", "--width", "8", "--batch", "8", "--iterations", "4", "--sample-every", "2",
                "--train-images", "64", "--eval-images", "64", "--classifier-images", "64", "--lambda", "0,1", "--prior", "fixed",
                "--threads", "1", "--out", "gan");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("regula gan: synthetic faces 16x16, prior c = {smiling, glasses, dark_hair, pale_skin}, "
                + "lambda [0.0, 1.0] (fixed), 1 seed(s), 4 iterations x batch 8, width 8, latent 64, projection D unregularized, R1 2.0,"
                + " diversity 0.3"), r.all());
        assertTrue(r.out().contains("[2/2] λ = 1, fixed, seed 1"), r.all());
        assertTrue(r.out().contains("| real vs real (baseline) |"), r.all());
        assertFalse(r.err().contains("\r") || r.err().contains("\u001b["), "no bar redraws in a log: " + r.all());
        assertFalse(r.err().contains("Exception"), r.all());
        Path out = dir.resolve("gan");
        assertPng(out.resolve("real.png"), 530, 530);
        for (String run : List.of("lambda-0/seed-1", "lambda-1/seed-1")) {
            assertPng(out.resolve(run).resolve("samples-2.png"), 530, 530);
            assertPng(out.resolve(run).resolve("samples-4.png"), 530, 530);
            List<String> metrics = Files.readAllLines(out.resolve(run).resolve("metrics.jsonl"));
            assertEquals(2, metrics.size(), run + ": one line per evaluation (2, 4): " + metrics);
            assertTrue(metrics.get(1).startsWith("{\"iteration\":4,") && metrics.get(1).contains("\"frechet\":"), metrics.get(1));
            assertTrue(Files.size(out.resolve(run).resolve("gan.safetensors")) > 1000);
        }
        String ablation = Files.readString(out.resolve("ablation.md"));
        assertTrue(ablation.contains("| λ = 0 (no prior penalty) |") && ablation.contains("| λ = 1, fixed |"), ablation);
        assertTrue(Files.readString(out.resolve("ablation.json")).contains("\"runs\":[{\"lambda\":0.0,"));
        assertPng(out.resolve("curves.png"), 3 * 640, 420);
    }

    @Test
    void ganRejectsANegativeLambdaWithExitCode2() throws Exception {
        Run r = regula("gan", "--lambda", "0,-1", "--out", "gan");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("every lambda (--lambda) must be finite and >= 0, got -1.0"), r.all());
        assertFalse(Files.exists(dir.resolve("gan")), "nothing written: " + r.all());
    }

    private static void assertPng(Path file, int width, int height) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertTrue(img != null, "not a readable PNG: " + file);
        assertEquals(width, img.getWidth(), file.toString());
        assertEquals(height, img.getHeight(), file.toString());
        int first = img.getRGB(0, 0);
        boolean drawn = false;
        for (int y = 0; y < height && !drawn; y += 7) {
            for (int x = 0; x < width && !drawn; x += 7) drawn = img.getRGB(x, y) != first;
        }
        assertTrue(drawn, "the chart is not blank: " + file);
    }

    /** Fashion-MNIST-shaped IDX files (28×28 bytes, 10 classes): class k lights up row band k. */
    private static void writeTinyFashionMnist(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(5);
        for (String[] set : new String[][] {{"train", String.valueOf(train)}, {"t10k", String.valueOf(test)}}) {
            int n = Integer.parseInt(set[1]);
            byte[] labels = new byte[n];
            byte[] pixels = new byte[n * 28 * 28];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
                for (int p = 0; p < 28 * 28; p++) {
                    boolean band = p / 28 / 3 == i % 10;
                    pixels[i * 784 + p] = (byte) (band ? 200 + r.nextInt(50) : r.nextInt(40));
                }
            }
            try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve(set[0] + "-images-idx3-ubyte.gz"))))) {
                out.writeInt(0x00000803);
                out.writeInt(n);
                out.writeInt(28);
                out.writeInt(28);
                out.write(pixels);
            }
            try (OutputStream raw = Files.newOutputStream(dir.resolve(set[0] + "-labels-idx1-ubyte"));
                 DataOutputStream out = new DataOutputStream(raw)) {
                out.writeInt(0x00000801);
                out.writeInt(n);
                out.write(labels);
            }
        }
    }
}
