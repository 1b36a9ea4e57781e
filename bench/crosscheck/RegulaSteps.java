/**
 * Cross-check against PyTorch, Regula side: builds the reference MLP (seed 42), saves its initial
 * weights, trains 10 deterministic steps (first 1280 standardised Fashion-MNIST images, no shuffle,
 * no dropout, SGD lr 0.05 momentum 0.9, optional regularizer spec as first argument) and saves the
 * result; bench/crosscheck/torch_steps.py replays the same steps in PyTorch from the same initial
 * weights and prints the largest difference per parameter. See bench/crosscheck/run.
 */
import dev.regula.api.model.*;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.data.*;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.*;
import java.nio.file.Path;
import java.util.Map;

public class RegulaSteps {
    public static void main(String[] a) throws Exception {
        FashionMnist f = FashionMnist.load();
        Dataset train = f.train().subset(0, 1280);
        Standardizer s = Standardizer.fit(f.train());
        train = s.apply(train);
        Model m = Models.installed().parse("mlp(hidden=256x256)").build(new int[]{784}, 10, 42);
        Checkpoint.save(Path.of(a.length > 1 ? a[1] : ".", "init.safetensors"), m.parameters(), Map.of(), Map.of());
        TrainingConfig.Builder b = TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)").loss(new SoftmaxCrossEntropy(0))
            .epochs(1).batchSize(128).shuffle(false).seed(1).kernels(new dev.regula.core.kernels.ScalarKernels());
        if (a.length > 0 && !a[0].isEmpty()) b.regularizer(a[0]);
        Trainer t = new Trainer(m, b.build());
        t.fit(train, null);
        Checkpoint.save(Path.of(a.length > 1 ? a[1] : ".", "after.safetensors"), m.parameters(), Map.of(), Map.of());
        System.out.println("mean/std " + s);
    }
}
