package dev.regula.spark;

import dev.regula.api.Mode;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Batches;
import dev.regula.core.data.Dataset;
import dev.regula.core.train.NanPolicy;
import dev.regula.core.train.TrainingStep;
import java.util.Arrays;
import java.util.Map;

/**
 * The work of one worker in one synchronisation, run inside a Spark task (and directly by tests).
 * Every method is a pure function of its arguments: no state survives a task.
 */
final class Rounds {
    private static final long WORKER_STREAM = CounterRng.stream("regula.spark.worker");

    private Rounds() {
    }

    /**
     * The seed of a worker's random masks (dropout family, drop-connect, batch regularizers): masks
     * are keyed by (seed, layer, step, element), so workers keyed by the run's seed alone would
     * draw the same mask for their different rows at every step. Each worker gets its own key,
     * a hash of (seed, worker) distinct from the seed itself.
     *
     * @param seed the run's seed
     * @param worker the worker index
     * @return the worker's mask seed
     */
    static long workerSeed(long seed, int worker) {
        return CounterRng.key(seed, WORKER_STREAM, worker);
    }

    /** Runs the round on one shard: gradient averaging for K = 1, local SGD otherwise. */
    static RoundResult run(SparkTrainingConfig c, Snapshot snapshot, Round round, Shard shard) {
        long start = System.nanoTime();
        boolean gradient = c.averagesGradients();
        Replica r = Replica.build(c, round.inputShape(), round.outputs(),
                gradient ? Replica.Role.GRADIENT_WORKER : Replica.Role.LOCAL_SGD_WORKER, 1);
        r.load(snapshot, !gradient);
        Dataset data = shard.dataset();
        int[] order = new Batches(round.totalRows(), c.batchSize(), c.seed(), c.shuffle()).order(round.epoch());
        long seed = workerSeed(c.seed(), shard.worker());
        long rows = 0;
        long correct = 0;
        double lossSum = 0;
        for (int k = 0; k < round.steps(); k++) {
            int[] local = localRows(c, round.totalRows(), order, round.firstBatch() + k, shard);
            if (local.length == 0) continue;
            long step = round.firstStep() + k;
            double lr = r.config.optimizer().learningRate().valueAt(step, round.epoch());
            StepContext ctx = new StepContext(Mode.TRAIN, step, round.epoch(), lr, seed, r.config.kernels());
            Dataset batch = data.batch(local, 0, local.length);
            StepStats s;
            try {
                s = forwardBackward(r, batch, ctx);
            } catch (ShapeMismatchException e) {
                if (local.length > 1 || r.model.state().isEmpty()) throw e;
                // BatchNorm needs two rows for a variance; on one machine the global batch has them.
                throw new ShapeMismatchException("worker " + shard.worker() + " holds only 1 row of global batch "
                        + (round.firstBatch() + k + 1) + " of epoch " + (round.epoch() + 1) + ", and each worker normalises its rows with"
                        + " their own batch statistics (" + e.getMessage() + "); use fewer workers or a batch size that leaves every"
                        + " worker at least 2 rows of every batch");
            }
            if (!gradient) r.trainer.trainingStep().applyUpdate(ctx);
            rows += local.length;
            lossSum += s.loss() * local.length;
            correct += s.correct();
        }
        float[][] values = new float[r.parameters.size()][];
        for (int i = 0; i < values.length; i++) {
            Parameter p = r.parameters.get(i);
            values[i] = gradient ? (rows == 0 ? new float[p.size()] : p.grad().data().clone()) : p.value().data().clone();
        }
        Map<String, Array> state = gradient ? Map.of() : Array.of(r.config.optimizer().state());
        return new RoundResult(shard.worker(), rows, lossSum, correct, values, r.layerState(), state, System.nanoTime() - start);
    }

    /**
     * The rows of global batch {@code batch} this shard holds, as indices into the shard, in the
     * global batch's order. The global order is the one a single-machine {@code Trainer} uses
     * ({@link Batches} with the run's seed), recomputed on each worker: no data moves.
     */
    static int[] localRows(SparkTrainingConfig c, int totalRows, int[] order, int batch, Shard shard) {
        Batches b = new Batches(totalRows, c.batchSize(), c.seed(), c.shuffle());
        int from = b.from(batch);
        int to = b.to(batch);
        int[] out = new int[to - from];
        int n = 0;
        int first = shard.firstRow();
        int end = first + shard.rows();
        for (int i = from; i < to; i++) {
            int row = order[i];
            if (row >= first && row < end) out[n++] = row - first;
        }
        return Arrays.copyOf(out, n);
    }

    /** Data loss and correct count of one batch. */
    record StepStats(double loss, long correct) {
    }

    /**
     * Phase (a) of the core {@link TrainingStep} on one batch: batch regularizers, forward
     * perturbations (drop-connect), forward with activation regularizers in TRAIN mode, data loss,
     * output regularizers, backward (or the input-gradient pass). Afterwards every parameter's
     * gradient holds this batch's ∂(loss + output penalties)/∂θ; a NaN or Inf loss stops the run
     * with the step named.
     */
    static StepStats forwardBackward(Replica r, Dataset batch, StepContext ctx) {
        TrainingStep step = r.trainer.trainingStep();
        Tensor y = batch.labels();
        TrainingStep.Gradients g = step.computeGradients(r.model, r.config.loss(), batch.features(), y, ctx);
        step.shouldApply(g, ctx, NanPolicy.STOP);
        return new StepStats(g.loss(), y.rank() == 1 ? countCorrect(g.output(), y) : 0);
    }

    private static long countCorrect(Tensor out, Tensor y) {
        int n = out.rows();
        int c = out.rowSize();
        float[] o = out.data();
        long correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (o[i * c + j] > o[i * c + best]) best = j;
            }
            if (best == (int) y.get(i)) correct++;
        }
        return correct;
    }
}
