package dev.regula.core.train;

import dev.regula.api.model.Model;
import dev.regula.core.layer.BatchNorm;
import java.util.Arrays;

/**
 * A batch of one example reaching a BatchNorm layer that sees one value per channel (after a
 * dense layer) cannot train: its variance is undefined. With N training examples and batch size
 * B such a batch comes last in every epoch when N mod B = 1 (or B = 1). This check refuses such a
 * schedule before anything trains, for every training-set size a run will fit on (a
 * cross-validation's folds and its final fit, say), and names a batch size that works for all of
 * them. {@link Trainer#fit} runs it on its own training set; a command that trains several times
 * runs it on every size first.
 */
public final class LastBatchOfOne {
    private LastBatchOfOne() {
    }

    /**
     * @param model the model to train
     * @param batchSize the batch size, ≥ 1
     * @param what what the sizes are, for the message: "the training set" for one size, or, say,
     *     "cross-validation's folds and final fit" for several
     * @param sizes the training-set sizes the run fits on
     * @throws IllegalArgumentException if a batch of one example would reach such a layer, naming the
     *     layer, the size and, unless a size is below 2, a batch size that leaves at least two
     *     examples in every last batch
     */
    public static void check(Model model, int batchSize, String what, int... sizes) {
        int offending = -1;
        for (int n : sizes) if (n >= 1 && leavesOne(n, batchSize)) offending = offending < 0 ? n : offending;
        if (offending < 0) return;
        BatchNorm norm = BatchNormUpdate.firstWithOneValuePerChannel(model);
        if (norm == null) return;
        String layer = "BatchNorm layer '" + norm.name() + "'";
        String one = ", which cannot estimate a variance from one value per channel (PyTorch refuses it too)";
        if (offending == 1) {
            throw new IllegalArgumentException(what + (sizes.length == 1 ? " has" : " include a training set of")
                    + " 1 example, but " + layer + " needs at least 2 per batch to estimate a variance");
        }
        String set = sizes.length == 1 ? what + " has " + offending + " examples"
                : what + " train on " + describe(sizes) + " examples; " + offending;
        String how = batchSize == 1 ? (sizes.length == 1 ? ", and a batch size of 1" : " with a batch size of 1")
                : (sizes.length == 1 ? ", one more than a multiple of the batch size " + batchSize
                        : " is one more than a multiple of the batch size " + batchSize);
        String suggestion = suggestion(batchSize, sizes);
        throw new IllegalArgumentException(set + how + ", so a batch of 1 example would reach " + layer + one
                + (suggestion == null ? "; every training set needs at least 2 examples"
                        : "; choose a batch size that leaves at least 2" + (sizes.length == 1 ? "" : " in every one") + ", such as "
                        + suggestion));
    }

    private static boolean leavesOne(int n, int batchSize) {
        return batchSize == 1 || n % batchSize == 1;
    }

    /** @return the batch size nearest to {@code batchSize} (smaller first) that leaves no size a batch of one, or null */
    private static String suggestion(int batchSize, int[] sizes) {
        int max = Arrays.stream(sizes).max().orElse(2);
        for (int d = 1; d <= Math.max(batchSize, max) + 1; d++) {
            for (int b : new int[] {batchSize - d, batchSize + d}) {
                if (b < 2) continue;
                boolean works = true;
                for (int n : sizes) works &= n >= 2 && !leavesOne(n, b);
                if (works) return Integer.toString(b);
            }
        }
        return null;
    }

    private static String describe(int[] sizes) {
        int[] distinct = Arrays.stream(sizes).distinct().sorted().toArray();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < distinct.length; i++) {
            if (i > 0) b.append(i == distinct.length - 1 ? " and " : ", ");
            b.append(distinct[i]);
        }
        return b.toString();
    }
}
