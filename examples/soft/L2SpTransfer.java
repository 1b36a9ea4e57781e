import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.data.FashionMnist;
import dev.regula.core.data.Standardizer;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * L2-SP (Li, Grandvalet &amp; Davoine 2018) in a transfer setting on Fashion-MNIST: the reference MLP
 * is pretrained on classes 0-4 (all their training images), then for every seed its hidden layers
 * are copied into a fresh network with a new 5-way head and fine-tuned on classes 5-9 with only
 * {@code perClass} labelled images per class, under three settings: no regularization, L2 toward
 * zero (α on the hidden layers, β on the head) and L2-SP, soft-anchor toward the pretrained
 * weights (α on the hidden layers, {@code to=init}: the weights at first use, i.e. the copied
 * ones; β L2 on the head). Prints per seed and mean ± sd of the test accuracy on classes 5-9.
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     examples/soft/L2SpTransfer.java [seeds, default 5] [perClass, default 20] [alpha, default 0.1] [beta, default 0.01]</pre>
 */
public class L2SpTransfer {
    public static void main(String[] args) throws Exception {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int perClass = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        double alpha = args.length > 2 ? Double.parseDouble(args[2]) : 0.1;
        double beta = args.length > 3 ? Double.parseDouble(args[3]) : 0.01;
        Kernels kernels = KernelsSelection.create(2);
        FashionMnist mnist = FashionMnist.load();
        Standardizer s = Standardizer.fit(mnist.train());
        Dataset train = s.apply(mnist.train());
        Dataset test = s.apply(mnist.test());
        Dataset sourceTrain = classes(train, 0, Integer.MAX_VALUE, null);
        Dataset sourceTest = classes(test, 0, Integer.MAX_VALUE, null);
        Dataset targetTest = classes(test, 5, Integer.MAX_VALUE, null);
        Model source = Models.installed().parse("mlp(hidden=256x256)").build(new int[] {784}, 5, 42);
        Trainer pre = new Trainer(source, config(kernels, 5, 128, 0.05, 42, List.of()));
        pre.fit(sourceTrain, sourceTest);
        System.out.printf(Locale.ROOT, "pretrained on classes 0-4 (%d images, 5 epochs): test accuracy %.4f on classes 0-4%n",
                sourceTrain.size(), pre.evaluate(sourceTest).accuracy());
        String hidden = "layer:dense1|layer:dense2";
        Map<String, List<String>> settings = new LinkedHashMap<>();
        settings.put("none", List.of());
        settings.put("L2 toward 0", List.of(String.format(Locale.ROOT, "l2(lambda=%s, on=%s)", alpha, hidden),
                String.format(Locale.ROOT, "l2(lambda=%s, on=layer:dense3)", beta)));
        settings.put("L2-SP (soft-anchor to the pretrained weights)", List.of(
                String.format(Locale.ROOT, "soft-anchor(lambda=%s, to=init, on=%s)", alpha, hidden),
                String.format(Locale.ROOT, "l2(lambda=%s, on=layer:dense3)", beta)));
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (String name : settings.keySet()) results.put(name, new ArrayList<>());
        for (int seed = 1; seed <= seeds; seed++) {
            Dataset few = classes(train, 5, perClass, new Random(seed));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "seed %d (%d labelled images):", seed, few.size()));
            for (var e : settings.entrySet()) {
                Model net = Models.installed().parse("mlp(hidden=256x256)").build(new int[] {784}, 5, 1000 + seed);
                for (Parameter p : net.parameters()) { // the hidden layers from the pretrained network, the head fresh
                    if (p.layer().equals("dense3")) continue;
                    Parameter q = source.parameters().stream().filter(x -> x.name().equals(p.name())).findFirst().orElseThrow();
                    System.arraycopy(q.value().data(), 0, p.value().data(), 0, p.value().data().length);
                }
                Trainer t = new Trainer(net, config(kernels, 100, 32, 0.01, seed, e.getValue()));
                t.fit(few, targetTest);
                double acc = t.evaluate(targetTest).accuracy();
                results.get(e.getKey()).add(acc);
                line.append(String.format(Locale.ROOT, "  %s %.4f", e.getKey().split(" ")[0], acc));
            }
            System.out.println(line);
        }
        System.out.printf(Locale.ROOT, "%nfine-tuned on classes 5-9, %d labelled images per class, 100 epochs, SGD momentum 0.9 lr 0.01,"
                + " batch 32, alpha %s, beta %s; test accuracy on classes 5-9 (%d images), %d seeds:%n", perClass, alpha, beta,
                targetTest.size(), seeds);
        System.out.println("| setting | test accuracy, mean ± sd |\n|---|---:|");
        for (var e : results.entrySet()) {
            double m = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double v = e.getValue().stream().mapToDouble(x -> (x - m) * (x - m)).sum() / Math.max(1, e.getValue().size() - 1);
            System.out.printf(Locale.ROOT, "| %s | %.4f ± %.4f |%n", e.getKey(), m, Math.sqrt(v));
        }
    }

    private static TrainingConfig config(Kernels k, int epochs, int batch, double lr, long seed, List<String> regs) {
        TrainingConfig.Builder b = TrainingConfig.builder().optimizer("sgd(lr=" + lr + ", momentum=0.9)").loss(new SoftmaxCrossEntropy(0))
                .epochs(epochs).batchSize(batch).seed(seed).kernels(k);
        for (String r : regs) b.regularizer(r);
        return b.build();
    }

    /**
     * The images of classes first..first+4, relabelled 0..4; with rnd, perClass of each class drawn
     * at random, else all.
     */
    private static Dataset classes(Dataset d, int first, int perClass, Random rnd) {
        int n = d.size();
        int width = d.features().data().length / n;
        float[] labels = d.labels().data();
        List<Integer> picked = new ArrayList<>();
        for (int c = first; c < first + 5; c++) {
            List<Integer> of = new ArrayList<>();
            for (int i = 0; i < n; i++) if ((int) labels[i] == c) of.add(i);
            if (rnd != null) java.util.Collections.shuffle(of, rnd);
            picked.addAll(of.subList(0, Math.min(perClass, of.size())));
        }
        if (rnd != null) java.util.Collections.shuffle(picked, rnd); else java.util.Collections.sort(picked);
        float[] x = new float[picked.size() * width];
        float[] y = new float[picked.size()];
        for (int r = 0; r < picked.size(); r++) {
            System.arraycopy(d.features().data(), picked.get(r) * width, x, r * width, width);
            y[r] = labels[picked.get(r)] - first;
        }
        int[] shape = d.features().shape().clone();
        shape[0] = picked.size();
        return new Dataset(Tensor.wrap(x, shape), Tensor.wrap(y, picked.size()), 5);
    }
}
