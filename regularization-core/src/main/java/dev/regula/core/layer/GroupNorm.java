package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import java.util.Arrays;

/**
 * Group normalisation (Wu &amp; He 2018), PyTorch's {@code nn.GroupNorm(groups, channels)}: for
 * inputs [batch, channels, ...] the channels of each example are cut into {@code groups} groups
 * of consecutive channels, each normalised over its channels and positions with its own mean and
 * biased variance, then scaled and shifted per channel by γ and β. groups = 1 normalises the whole
 * example (with per-channel, not per-element, affine); groups = channels is instance
 * normalisation. Same function in TRAIN and EVAL; see {@link SegmentNorm}.
 */
public final class GroupNorm extends SegmentNorm {
    private final int groups;
    private final int channels;

    /**
     * @param name the layer name
     * @param groups number of groups, ≥ 1, dividing {@code channels}
     * @param channels number of channels (dimension 1 of the input)
     * @param eps ε &gt; 0 added to the variance
     */
    public GroupNorm(String name, int groups, int channels, double eps) {
        super(name, channels, eps);
        if (groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException("layer '" + name + "': groups must be >= 1 and divide channels=" + channels
                    + ", got groups=" + groups);
        }
        this.groups = groups;
        this.channels = channels;
    }

    /**
     * @param name the layer name
     * @param groups number of groups dividing {@code channels}
     * @param channels number of channels
     */
    public GroupNorm(String name, int groups, int channels) {
        this(name, groups, channels, LayerNorm.DEFAULT_EPS);
    }

    @Override
    int segments(int[] example) {
        if (example.length < 1 || example[0] != channels) {
            throw new ShapeMismatchException("layer '" + name() + "' expects examples [" + channels + ", ...] (channels first), got "
                    + Arrays.toString(example));
        }
        return groups;
    }

    @Override
    int spread(int[] example) {
        return dev.regula.api.tensor.Tensor.sizeOf(example) / channels;
    }

    @Override
    public String toString() {
        return "GroupNorm(" + name() + ", " + groups + " groups, " + channels + " channels)";
    }
}
