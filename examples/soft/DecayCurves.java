import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.data.FashionMnist;
import dev.regula.core.data.Standardizer;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.ParameterStats;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import dev.regula.examples.plot.LineChart;
import dev.regula.examples.plot.Series;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What coupling weight decay to the learning-rate schedule does (Loshchilov &amp; Hutter 2019): the
 * reference MLP on the first {@code limit} Fashion-MNIST training images, SGD momentum 0.9 from
 * lr 0.05 under a cosine schedule (to 0) and a step schedule (×0.1 every third of the run), with
 * <ul>
 *   <li>none;</li>
 *   <li>L2, {@code l2(lambda=λ2)} (a penalty, so its shrinkage goes through the schedule and the momentum);</li>
 *   <li>uncoupled decay, {@code weight-decay(lambda=d, lr_coupled=false)}: θ ← θ − d·θ every step,
 *       whatever the learning rate;</li>
 *   <li>coupled decay, {@code soft-decay(lambda=d)}: θ ← θ − d·(η_t/η_0)·θ, annealed with the schedule.</li>
 * </ul>
 * Per seed and setting it records the test accuracy and the L2 norm of the weights after every
 * epoch, prints the final accuracy (mean ± sd over the seeds) and writes the mean learning curves
 * as a row of four charts (accuracy and weight norm, per schedule) to a PNG.
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     examples/soft/DecayCurves.java [seeds 3] [epochs 20] [limit 20000] [d 5e-4] [lambda2 1e-3] [png decay-curves.png]</pre>
 */
public class DecayCurves {
    public static void main(String[] args) throws Exception {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int limit = args.length > 2 ? Integer.parseInt(args[2]) : 20000;
        double d = args.length > 3 ? Double.parseDouble(args[3]) : 5e-4;
        double l2 = args.length > 4 ? Double.parseDouble(args[4]) : 1e-3;
        Path png = Path.of(args.length > 5 ? args[5] : "decay-curves.png");
        double lr = 0.05;
        Kernels kernels = KernelsSelection.create(2);
        FashionMnist mnist = FashionMnist.load();
        Standardizer s = Standardizer.fit(mnist.train());
        Dataset train = first(s.apply(mnist.train()), limit);
        Dataset test = s.apply(mnist.test());
        Map<String, String> schedules = new LinkedHashMap<>();
        schedules.put("cosine", String.format(Locale.ROOT, "sgd(lr=cosine(from=%s, to=0, epochs=%d), momentum=0.9)", lr, epochs));
        schedules.put("step", String.format(Locale.ROOT, "sgd(lr=step(value=%s, gamma=0.1, every=%d), momentum=0.9)", lr,
                Math.max(1, epochs / 3)));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("none", null);
        settings.put("L2", String.format(Locale.ROOT, "l2(lambda=%s)", l2));
        settings.put("uncoupled decay", String.format(Locale.ROOT, "weight-decay(lambda=%s, lr_coupled=false)", d));
        settings.put("coupled decay (soft-decay)", String.format(Locale.ROOT, "soft-decay(lambda=%s)", d));
        List<LineChart> charts = new ArrayList<>();
        List<LineChart> norms = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%nreference MLP, %d training images, %d epochs, batch 128, SGD momentum 0.9 from lr %s; d = %s, L2 lambda = %s;"
                        + " final test accuracy and weight L2 norm, mean ± sd over %d seeds:%n", train.size(), epochs, lr, d, l2, seeds));
        table.append("| setting | ").append(String.join(" | ", schedules.keySet().stream().map(k -> k + " test acc | " + k + " ‖W‖").toList()))
                .append(" |\n");
        Map<String, StringBuilder> rows = new LinkedHashMap<>();
        for (String name : settings.keySet()) rows.put(name, new StringBuilder("| " + name + " |"));
        for (var sched : schedules.entrySet()) {
            LineChart.Builder acc = LineChart.builder(sched.getKey() + " schedule: test accuracy (mean of " + seeds + " seeds)")
                    .xLabel("epoch").yLabel("test accuracy").integerX();
            LineChart.Builder norm = LineChart.builder(sched.getKey() + " schedule: L2 norm of the weights").xLabel("epoch")
                    .yLabel("‖W‖").integerX();
            for (var setting : settings.entrySet()) {
                double[][] accCurves = new double[seeds][];
                double[][] normCurves = new double[seeds][];
                for (int seed = 1; seed <= seeds; seed++) {
                    Model net = Models.installed().parse("mlp(hidden=256x256)").build(new int[] {784}, 10, seed);
                    TrainingConfig.Builder b = TrainingConfig.builder().optimizer(sched.getValue()).loss(new SoftmaxCrossEntropy(0))
                            .epochs(epochs).batchSize(128).seed(seed).kernels(kernels);
                    if (setting.getValue() != null) b.regularizer(setting.getValue());
                    List<EpochMetrics> history = new Trainer(net, b.build()).fit(train, test);
                    accCurves[seed - 1] = history.stream().mapToDouble(EpochMetrics::validationAccuracy).toArray();
                    normCurves[seed - 1] = history.stream().mapToDouble(DecayCurves::weightNorm).toArray();
                    System.out.printf(Locale.ROOT, "%s, %s, seed %d: test accuracy %.4f, weight norm %.2f%n", sched.getKey(),
                            setting.getKey(), seed, accCurves[seed - 1][epochs - 1], normCurves[seed - 1][epochs - 1]);
                }
                acc.series(new Series(setting.getKey(), epochsAxis(epochs), mean(accCurves)));
                norm.series(new Series(setting.getKey(), epochsAxis(epochs), mean(normCurves)));
                double[] lastAcc = last(accCurves);
                double[] lastNorm = last(normCurves);
                rows.get(setting.getKey()).append(String.format(Locale.ROOT, " %.4f ± %.4f | %.1f ± %.1f |", avg(lastAcc), sd(lastAcc),
                        avg(lastNorm), sd(lastNorm)));
            }
            charts.add(acc.build());
            norms.add(norm.build());
        }
        charts.addAll(norms);
        LineChart.writePngRow(png, charts, 600, 440);
        for (StringBuilder r : rows.values()) table.append(r).append('\n');
        System.out.print(table);
        System.out.println("wrote " + png.toAbsolutePath());
    }

    private static double weightNorm(EpochMetrics m) {
        double sq = 0;
        for (ParameterStats p : m.parameters()) if (p.role() == ParameterRole.WEIGHT) sq += p.l2Norm() * p.l2Norm();
        return Math.sqrt(sq);
    }

    private static Dataset first(Dataset d, int n) {
        n = Math.min(n, d.size());
        int width = d.features().data().length / d.size();
        int[] shape = d.features().shape().clone();
        shape[0] = n;
        return new Dataset(Tensor.wrap(java.util.Arrays.copyOf(d.features().data(), n * width), shape),
                Tensor.wrap(java.util.Arrays.copyOf(d.labels().data(), n), n), d.numClasses());
    }

    private static double[] epochsAxis(int epochs) {
        double[] x = new double[epochs];
        for (int i = 0; i < epochs; i++) x[i] = i + 1;
        return x;
    }

    private static double[] mean(double[][] curves) {
        double[] m = new double[curves[0].length];
        for (double[] c : curves) for (int i = 0; i < m.length; i++) m[i] += c[i] / curves.length;
        return m;
    }

    private static double[] last(double[][] curves) {
        double[] l = new double[curves.length];
        for (int i = 0; i < curves.length; i++) l[i] = curves[i][curves[i].length - 1];
        return l;
    }

    private static double avg(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double sd(double[] v) {
        if (v.length < 2) return 0;
        double m = avg(v);
        double s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }
}
