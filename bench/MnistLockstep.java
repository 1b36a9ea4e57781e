import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.core.data.Dataset;
import dev.regula.core.data.FashionMnist;
import dev.regula.core.data.Standardizer;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Regula's side of {@code bench/lockstep.py}: the reference recipe of
 * {@code regula train --reg 'l2(lambda=1e-4)' --reg 'dropout(p=0.2)'} (TrainCommand's defaults:
 * mlp(hidden=256x256), sgd(lr=0.05, momentum=0.9), batch 128, seed 42, standardized Fashion-MNIST),
 * built through the same public API calls, run one epoch at a time on command.
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     bench/MnistLockstep.java [--epochs 10] [--threads 2] [--data DIR] [--model 'mlp(hidden=256x256)'] [--batch 128]</pre>
 *
 * <p>{@code --model 'mlp(hidden=1024x1024)' --batch 512} is the wide MLP of issue 24, the recipe of
 * {@code regula train --model 'mlp(hidden=1024x1024)' --batch 512 --reg 'l2(lambda=1e-4)' --reg 'dropout(p=0.2)'}.
 *
 * Protocol on standard input and output, one line each: it prints {@code READY} once the data is
 * loaded and the model built, then for every epoch waits for a {@code GO} line, trains the epoch
 * (training steps and test evaluation, timed by the Trainer as in {@code metrics.jsonl}) and prints
 * {@code EPOCH <n> <seconds> <test accuracy>}. Anything else goes to standard error.
 */
public class MnistLockstep {
    public static void main(String[] args) throws IOException {
        int epochs = 10;
        int threads = Runtime.getRuntime().availableProcessors();
        Path data = FashionMnist.DEFAULT_DIRECTORY;
        String modelSpec = "mlp(hidden=256x256)";
        int batch = 128;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) throw new IllegalArgumentException("option " + args[i] + " needs a value");
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--data" -> data = Path.of(args[i + 1]);
                case "--model" -> modelSpec = args[i + 1];
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; allowed: --epochs, --threads, --data, --model, --batch");
            }
        }
        // As regula train does: the kernels first, so that their JIT warm-up runs while the data loads
        Kernels kernels = KernelsSelection.create(threads);
        FashionMnist mnist = FashionMnist.load(data);
        Standardizer standardizer = Standardizer.fit(mnist.train());
        Dataset train = standardizer.apply(mnist.train());
        Dataset test = standardizer.apply(mnist.test());
        int[] inputShape = Arrays.copyOfRange(train.features().shape(), 1, train.features().rank());
        Model model = Models.installed().parse(modelSpec).build(inputShape, train.numClasses(), 42);

        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int lastEpoch = epochs;
        TrainingConfig config = TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)")
                .loss(new SoftmaxCrossEntropy(0)).epochs(epochs).batchSize(batch).seed(42).kernels(kernels)
                .regularizer("l2(lambda=1e-4)").regularizer("dropout(p=0.2)")
                .callback(new TrainingCallback() {
                    @Override
                    public void onEpochEnd(Trainer trainer, EpochMetrics m) {
                        System.out.printf(Locale.ROOT, "EPOCH %d %.4f %.4f%n", m.epoch(), m.seconds(), m.validationAccuracy());
                        System.out.flush();
                        if (m.epoch() < lastEpoch) awaitGo(commands);
                    }
                }).build();
        Trainer trainer = new Trainer(model, config);
        System.err.printf("MnistLockstep: %s, batch %d, kernels %s, %d threads, %d epochs%n", modelSpec, batch, config.kernels().name(), threads, epochs);
        System.out.println("READY");
        System.out.flush();
        awaitGo(commands);
        trainer.fit(train, test);
    }

    private static void awaitGo(BufferedReader commands) {
        try {
            String line = commands.readLine();
            if (!"GO".equals(line)) throw new IllegalStateException("expected GO on standard input, got " + line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
