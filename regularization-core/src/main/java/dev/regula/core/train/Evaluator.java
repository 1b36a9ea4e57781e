package dev.regula.core.train;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.loss.Loss;
import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Evaluation and prediction of a model in EVAL mode, with the live or the averaged weights
 * ({@link EvalWeights}): the part of training that reads the model without training it.
 *
 * <p>Thread safety: {@link #evaluate} and {@link #predict} may be called from many threads at
 * once while no training step runs. One evaluation at a time (a {@link #validate} call, or an
 * {@code evaluate} call that finds none running) uses the layers' exclusive EVAL buffers and this
 * evaluator's reused batches and loss gradients, so repeated evaluations allocate no buffers; the
 * others run shared EVAL forwards, which allocate their outputs. A model therefore belongs to one
 * evaluator: two evaluators must not evaluate one model at the same time.
 *
 * <p>With {@link EvalWeights#EMA} or {@link EvalWeights#SWA}, each evaluation copies the run's
 * averaged weights into the model, evaluates, and copies the live ones back, even if it throws
 * (until the first average exists the live weights are used); such evaluations run one at a time.
 */
public final class Evaluator {
    private final Model model;
    private final Loss loss;
    private final Kernels kernels;
    private final int batchSize;
    private final RegularizationPipeline pipeline;
    private final List<Parameter> parameters;
    /** Only the holder of {@link #exclusive} touches the buffers, gradients and order. */
    private final BatchBuffers buffers = new BatchBuffers();
    private final Map<Integer, Tensor> gradients = new HashMap<>();
    /** 0, 1, …, n − 1 for the largest set evaluated exclusively so far (a prefix serves smaller ones). */
    private int[] order = new int[0];
    /** Held by the one evaluation that runs exclusive EVAL forwards and uses the reused buffers. */
    private final ReentrantLock exclusive = new ReentrantLock();
    /** Held while the averaged weights are swapped into the model for an evaluation. */
    private final ReentrantLock averaged = new ReentrantLock();
    private volatile EvalWeights evalWeights = EvalWeights.LIVE;

    /**
     * @param model the model (with any activation-regularizer layers; they are inactive in EVAL mode)
     * @param loss the data loss to report
     * @param kernels the kernels to compute with
     * @param trainingBatchSize the training batch size; evaluation batches hold max(256, it) examples
     * @param pipeline the run's pipeline, whose weight averagers hold the averaged weights
     */
    public Evaluator(Model model, Loss loss, Kernels kernels, int trainingBatchSize, RegularizationPipeline pipeline) {
        this.model = Objects.requireNonNull(model, "model");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.batchSize = Math.max(256, trainingBatchSize);
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.parameters = pipeline.parameters();
    }

    /**
     * Chooses the weights that evaluation and prediction use.
     *
     * @param weights live, or the average of the run's {@code ema(...)} or {@code swa(...)} regularizer
     * @throws IllegalArgumentException if the run has no weight averager of that kind
     */
    public void evaluateWith(EvalWeights weights) {
        if (weights != EvalWeights.LIVE && pipeline.weightAverager(weights.word()).isEmpty()) {
            throw new IllegalArgumentException("evaluating with the " + weights.word() + " weights needs a " + weights.word()
                    + "(...) regularizer in the run, e.g. " + (weights == EvalWeights.EMA ? "ema(decay=0.999)" : "swa(start_epoch=1)")
                    + "; the run has " + pipeline.weightAveragers().stream().map(WeightAverager::spec).toList());
        }
        this.evalWeights = weights;
    }

    /** @return the weights evaluation uses */
    public EvalWeights evalWeights() {
        return evalWeights;
    }

    /**
     * Mean data loss and accuracy in EVAL mode. Uncontended, it reuses this evaluator's buffers;
     * while another thread evaluates, it allocates its own.
     *
     * @param data the data, shapes already checked against the model
     * @return loss and accuracy (NaN accuracy for non-classification targets)
     */
    public Trainer.Evaluation evaluate(Dataset data) {
        return withEvalWeights(() -> {
            if (!exclusive.tryLock()) return run(data, false);
            try {
                return run(data, true);
            } finally {
                exclusive.unlock();
            }
        });
    }

    /**
     * Like {@link #evaluate} but waits for the reused buffers (the validation inside training).
     *
     * @param data the data
     * @return loss and accuracy
     */
    public Trainer.Evaluation validate(Dataset data) {
        return withEvalWeights(() -> {
            exclusive.lock();
            try {
                return run(data, true);
            } finally {
                exclusive.unlock();
            }
        });
    }

    /**
     * @param x a batch of inputs
     * @return the model's output in EVAL mode with the evaluation weights (thread-safe)
     */
    public Tensor predict(Tensor x) {
        return withEvalWeights(() -> model.forward(x, StepContext.eval(kernels)));
    }

    <T> T withEvalWeights(Supplier<T> body) {
        EvalWeights w = evalWeights;
        if (w == EvalWeights.LIVE) return body.get();
        WeightAverager averager = pipeline.weightAverager(w.word()).orElseThrow();
        averaged.lock();
        try {
            if (averager.count() == 0) return body.get();
            List<float[]> live = new ArrayList<>(parameters.size());
            for (Parameter p : parameters) {
                Optional<Tensor> avg = averager.average(p);
                live.add(avg.isPresent() ? p.value().data().clone() : null);
                avg.ifPresent(a -> p.value().copyFrom(a));
            }
            try {
                return body.get();
            } finally {
                for (int i = 0; i < parameters.size(); i++) {
                    float[] saved = live.get(i);
                    if (saved != null) System.arraycopy(saved, 0, parameters.get(i).value().data(), 0, saved.length);
                }
            }
        } finally {
            averaged.unlock();
        }
    }

    /**
     * Shared: thread-safe, every batch and output a new tensor. Exclusive (under {@link #exclusive}):
     * exclusive EVAL forwards, batches and loss gradients in reused buffers.
     */
    private Trainer.Evaluation run(Dataset data, boolean exclusiveRun) {
        int n = data.size();
        double lossSum = 0;
        long correct = 0;
        boolean classification = data.labels().rank() == 1;
        StepContext ctx = exclusiveRun ? StepContext.exclusiveEval(kernels) : StepContext.eval(kernels);
        if (exclusiveRun && order.length < n) order = IntStream.range(0, n).toArray();
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Dataset part = exclusiveRun ? buffers.gather(data, order, from, to, kernels) : data.subset(from, to);
            Tensor out = model.forward(part.features(), ctx);
            Tensor y = part.labels();
            Tensor gradOut = exclusiveRun ? gradient(out) : Tensor.zeros(out.shape());
            lossSum += loss.compute(out, y, gradOut, kernels) * part.size();
            if (classification) correct += countCorrect(out, y);
        }
        return new Trainer.Evaluation(n == 0 ? Double.NaN : lossSum / n, classification && n > 0 ? correct / (double) n : Double.NaN);
    }

    private Tensor gradient(Tensor out) {
        Tensor g = gradients.get(out.dim(0));
        if (g == null || !g.hasShape(out.shape())) gradients.put(out.dim(0), g = Tensor.zeros(out.shape()));
        return g;
    }

    /**
     * @param out logits [N, classes]
     * @param labels class indices [N]
     * @return how many rows' arg-max equals the label
     */
    static long countCorrect(Tensor out, Tensor labels) {
        int rows = out.rows();
        int cols = out.rowSize();
        float[] o = out.data();
        long correct = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < cols; c++) if (o[r * cols + c] > o[r * cols + best]) best = c;
            if (best == (int) labels.get(r)) correct++;
        }
        return correct;
    }
}
