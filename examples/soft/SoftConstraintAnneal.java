import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.data.FashionMnist;
import dev.regula.core.data.Standardizer;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCallback;
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
 * A soft constraint that acts, and its annealing into the hard projection: the reference MLP on the
 * first {@code limit} Fashion-MNIST training images (SGD momentum 0.9, lr 0.05, batch 128), with
 * every weight row's norm bounded by {@code max} (a hidden unit's incoming weights; the
 * output rows too), under
 * <ul>
 *   <li>none;</li>
 *   <li>the hard projection from the first step, {@code max-norm(max=M)};</li>
 *   <li>the soft constraint alone, {@code soft-constraint(lambda=λ, max=M)}: a quadratic penalty
 *       outside the band, so norms may overshoot M;</li>
 *   <li>the soft constraint annealed into the projection, {@code soft-constraint(lambda=λ, max=M,
 *       anneal_steps=A)} with A the first half of the steps: soft, then also projected.</li>
 * </ul>
 * Records after every epoch the test accuracy, the largest row norm and the penalty; prints the
 * final figures (mean ± sd over the seeds) and writes the mean curves as a row of three charts.
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     examples/soft/SoftConstraintAnneal.java [seeds 3] [epochs 16] [limit 20000] [max 1.0] [lambda 0.05] [png soft-constraint.png]</pre>
 */
public class SoftConstraintAnneal {
    public static void main(String[] args) throws Exception {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int limit = args.length > 2 ? Integer.parseInt(args[2]) : 20000;
        double max = args.length > 3 ? Double.parseDouble(args[3]) : 1.0;
        double lambda = args.length > 4 ? Double.parseDouble(args[4]) : 0.05;
        Path png = Path.of(args.length > 5 ? args[5] : "soft-constraint.png");
        Kernels kernels = KernelsSelection.create(2);
        FashionMnist mnist = FashionMnist.load();
        Standardizer s = Standardizer.fit(mnist.train());
        Dataset train = first(s.apply(mnist.train()), limit);
        Dataset test = s.apply(mnist.test());
        long steps = (long) epochs * ((train.size() + 127) / 128);
        long anneal = steps / 2;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("none", null);
        settings.put("max-norm (hard)", String.format(Locale.ROOT, "max-norm(max=%s)", max));
        settings.put("soft-constraint", String.format(Locale.ROOT, "soft-constraint(lambda=%s, max=%s)", lambda, max));
        settings.put("soft, annealed to hard", String.format(Locale.ROOT, "soft-constraint(lambda=%s, max=%s, anneal_steps=%d)", lambda,
                max, anneal));
        LineChart.Builder acc = LineChart.builder("test accuracy (mean of " + seeds + " seeds)").xLabel("epoch").yLabel("test accuracy")
                .integerX();
        LineChart.Builder norm = LineChart.builder("largest row norm of the weights (bound " + max + ")").xLabel("epoch")
                .yLabel("max ‖w_r‖").integerX();
        LineChart.Builder pen = LineChart.builder("penalty at the end of the epoch").xLabel("epoch").yLabel("penalty").integerX();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%nreference MLP, %d training images, %d epochs (%d steps,"
                + " annealing from step %d), bound %s, lambda %s; after the last epoch, mean ± sd over %d seeds:%n"
                + "| setting | test acc | largest row norm | rows above the bound | penalty | epochs with penalty > 0 |%n",
                train.size(), epochs, steps, anneal, max, lambda, seeds));
        for (var setting : settings.entrySet()) {
            double[][] a = new double[seeds][];
            double[][] n = new double[seeds][];
            double[][] p = new double[seeds][];
            double[] above = new double[seeds];
            double[] active = new double[seeds];
            for (int seed = 1; seed <= seeds; seed++) {
                Model net = Models.installed().parse("mlp(hidden=256x256)").build(new int[] {784}, 10, seed);
                RowNorms rows = new RowNorms(net, max);
                TrainingConfig.Builder b = TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)")
                        .loss(new SoftmaxCrossEntropy(0)).epochs(epochs).batchSize(128).seed(seed).kernels(kernels).callback(rows);
                if (setting.getValue() != null) b.regularizer(setting.getValue());
                List<EpochMetrics> history = new Trainer(net, b.build()).fit(train, test);
                a[seed - 1] = history.stream().mapToDouble(EpochMetrics::validationAccuracy).toArray();
                p[seed - 1] = history.stream().mapToDouble(m -> m.penalties().values().stream().mapToDouble(Double::doubleValue).sum())
                        .toArray();
                n[seed - 1] = rows.largest.stream().mapToDouble(Double::doubleValue).toArray();
                above[seed - 1] = rows.lastAbove;
                active[seed - 1] = java.util.Arrays.stream(p[seed - 1]).filter(v -> v > 0).count();
                System.out.printf(Locale.ROOT, "%s, seed %d: test accuracy %.4f, largest row norm %.3f, %d rows above %s, penalty %.3g%n",
                        setting.getKey(), seed, a[seed - 1][epochs - 1], n[seed - 1][epochs - 1], rows.lastAbove, max, p[seed - 1][epochs - 1]);
            }
            double[] x = new double[epochs];
            for (int i = 0; i < epochs; i++) x[i] = i + 1;
            acc.series(new Series(setting.getKey(), x, mean(a)));
            norm.series(new Series(setting.getKey(), x, mean(n)));
            pen.series(new Series(setting.getKey(), x, mean(p)));
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", setting.getKey(), ms(last(a), 4), ms(last(n), 3),
                    ms(above, 1), ms(last(p), 4), ms(active, 1)));
        }
        LineChart.writePngRow(png, List.of(acc.build(), norm.build(), pen.build()), 600, 440);
        System.out.print(table);
        System.out.println("wrote " + png.toAbsolutePath());
    }

    /** After every epoch: the largest row norm over the weight tensors and how many rows exceed the bound (reads, never writes). */
    private static final class RowNorms implements TrainingCallback {
        final Model net;
        final double max;
        final List<Double> largest = new ArrayList<>();
        int lastAbove;

        RowNorms(Model net, double max) {
            this.net = net;
            this.max = max;
        }

        @Override
        public void onEpochEnd(Trainer trainer, EpochMetrics m) {
            double big = 0;
            int above = 0;
            for (Parameter p : net.parameters()) {
                if (p.role() != ParameterRole.WEIGHT) continue;
                float[] v = p.value().data();
                int rows = p.value().shape()[0];
                int width = v.length / rows;
                for (int r = 0; r < rows; r++) {
                    double sq = 0;
                    for (int i = r * width; i < (r + 1) * width; i++) sq += (double) v[i] * v[i];
                    double norm = Math.sqrt(sq);
                    big = Math.max(big, norm);
                    if (norm > max * (1 + 1e-6)) above++;
                }
            }
            largest.add(big);
            lastAbove = above;
        }
    }

    private static Dataset first(Dataset d, int n) {
        n = Math.min(n, d.size());
        int width = d.features().data().length / d.size();
        int[] shape = d.features().shape().clone();
        shape[0] = n;
        return new Dataset(Tensor.wrap(java.util.Arrays.copyOf(d.features().data(), n * width), shape),
                Tensor.wrap(java.util.Arrays.copyOf(d.labels().data(), n), n), d.numClasses());
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

    private static String ms(double[] v, int digits) {
        double m = 0;
        for (double x : v) m += x / v.length;
        double s = 0;
        for (double x : v) s += (x - m) * (x - m);
        s = v.length < 2 ? 0 : Math.sqrt(s / (v.length - 1));
        return String.format(Locale.ROOT, "%." + digits + "f ± %." + digits + "f", m, s);
    }
}
