package dev.regula.gan.train;

import dev.regula.api.tensor.Tensor;
import dev.regula.gan.eval.GanEvaluator;
import java.util.Arrays;

/**
 * Orders training faces so that every run of G consecutive faces shares one condition c, which
 * turns the discriminator's {@link dev.regula.core.layer.MinibatchStddev minibatch
 * standard-deviation} feature into a measure of <em>within-condition</em> variety: a group of
 * real faces varies in everything c does not say (skin shade, face shape, background), and the
 * generator's group, G latents with the same c, must vary as much.
 *
 * <p>Faces are in one class when their condition rows are equal ({@link GanEvaluator#groupsOf}; c holds a few binary
 * attributes, so there are few classes). {@link #order} walks an epoch's permutation and emits a
 * class's faces as a group each time G of them have come up; the faces left over in each class
 * (fewer than G) sit out that epoch, so every epoch has the same {@link #length()}: the sum over
 * classes of their size rounded down to a multiple of G. A class smaller than G never trains.
 */
final class ConditionGroups {
    private final int group;
    private final int[] classOf;
    private final int classes;
    private final int length;

    /**
     * @param conditions the training conditions [N, C], one row per face
     * @param group G, the faces per group, ≥ 2
     * @throws IllegalArgumentException if G is below 2 or no class has G faces
     */
    ConditionGroups(Tensor conditions, int group) {
        if (group < 2) throw new IllegalArgumentException("the condition group must be >= 2, got " + group);
        this.group = group;
        int n = conditions.dim(0);
        classOf = GanEvaluator.groupsOf(conditions);
        int[] sizes = new int[Arrays.stream(classOf).max().orElse(-1) + 1];
        for (int k : classOf) sizes[k]++;
        classes = sizes.length;
        length = Arrays.stream(sizes).map(s -> s / group * group).sum();
        if (length == 0) {
            throw new IllegalArgumentException("no condition is shared by " + group + " training faces: the minibatch"
                    + " standard-deviation groups need that many faces per condition (" + classes + " conditions among " + n + " faces);"
                    + " use more training faces or smaller groups");
        }
    }

    /** @return the faces of every epoch's order, a multiple of G */
    int length() {
        return length;
    }

    /** @return the number of distinct conditions */
    int classes() {
        return classes;
    }

    /**
     * @param permutation an epoch's permutation of the faces 0 … N−1
     * @return the faces to train on, in groups of G consecutive faces of one condition, groups in
     *     the order their G-th face comes up in the permutation; {@link #length()} of them
     */
    int[] order(int[] permutation) {
        if (permutation.length != classOf.length) {
            throw new IllegalArgumentException("expected a permutation of " + classOf.length + " faces, got " + permutation.length);
        }
        int[][] pending = new int[classes][group];
        int[] filled = new int[classes];
        int[] out = new int[length];
        int at = 0;
        for (int face : permutation) {
            int k = classOf[face];
            pending[k][filled[k]++] = face;
            if (filled[k] == group) {
                System.arraycopy(pending[k], 0, out, at, group);
                at += group;
                filled[k] = 0;
            }
        }
        return out;
    }
}
