package dev.regula.vector;

import dev.regula.api.kernels.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The phase planes of a strided convolution's input: a channel plane height × width is split into
 * s² planes (height/s) × (width/s), plane (ry, rx) holding x[s·py + ry, s·px + rx], in the order
 * ry, rx, py, px (a stride-s patch row then reads one of them shifted, see {@link Patches}).
 *
 * <p>The split and its adjoint are gathers by index maps made once per geometry, a vector of
 * values at a time: the split gathers a channel's plane into its phase order, the adjoint adds to
 * each value of the plane its phase-plane value, gathered the other way. Every value is moved, or
 * added once, as the scalar definition does, so the bits are the same. Immutable.
 */
final class PhasePlanes {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private final int plane;
    /** Phase-plane value d of a channel comes from plane value source[d]. */
    private final int[] source;
    /** Plane value i goes to phase-plane value place[i]. */
    private final int[] place;

    /**
     * @param g a convolution geometry whose input sides are multiples of its stride
     * @return the phase planes of its input, or null at stride 1 (the image is its own single phase plane)
     */
    static PhasePlanes of(ConvGeometry g) {
        return g.stride() == 1 ? null : new PhasePlanes(g.height(), g.width(), g.stride());
    }

    /**
     * @param height rows of a channel plane, a multiple of s
     * @param width columns of a channel plane, a multiple of s
     * @param s the stride, at least 1
     */
    PhasePlanes(int height, int width, int s) {
        this.plane = height * width;
        this.source = new int[plane];
        this.place = new int[plane];
        int ph = height / s;
        int pw = width / s;
        int d = 0;
        for (int ry = 0; ry < s; ry++) {
            for (int rx = 0; rx < s; rx++) {
                for (int py = 0; py < ph; py++) {
                    for (int px = 0; px < pw; px++, d++) {
                        int i = (s * py + ry) * width + s * px + rx;
                        source[d] = i;
                        place[i] = d;
                    }
                }
            }
        }
    }

    /**
     * Writes the phase planes of one image of {@code channels} planes at {@code from} in x to
     * {@code to} in phases (channel c's at to + c·height·width).
     */
    void split(float[] x, int from, int channels, float[] phases, int to) {
        gather(x, from, source, channels, phases, to, false);
    }

    /** The adjoint of {@link #split}: adds each phase-plane value at {@code to} to its place in the image at {@code from}. */
    void addBack(float[] phases, int to, int channels, float[] x, int from) {
        gather(phases, to, place, channels, x, from, true);
    }

    /** Per channel: out[o + i] = in[at + map[i]] ({@code add}: +=), a vector of i at a time. */
    private void gather(float[] in, int at, int[] map, int channels, float[] out, int o, boolean add) {
        int bound = F.loopBound(plane);
        for (int c = 0; c < channels; c++) {
            int src = at + c * plane;
            int dst = o + c * plane;
            int i = 0;
            for (; i < bound; i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, in, src, map, i);
                if (add) v = FloatVector.fromArray(F, out, dst + i).add(v);
                v.intoArray(out, dst + i);
            }
            for (; i < plane; i++) out[dst + i] = add ? out[dst + i] + in[src + map[i]] : in[src + map[i]];
        }
    }
}
