package dev.regula.vector;

import dev.regula.api.kernels.PoolGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The pooling kernels of {@link VectorKernels}. Planes (one channel of one example) are pooled
 * independently, so a batch is split over the team by whole planes, and every plane is computed
 * by the same code whichever thread takes it: results are bit-identical for every thread count.
 *
 * <p>Forward passes take the output pixels of a plane in row-major order, a vector of them at a
 * time (whatever the width of a row): each window position is one gather of the input through the
 * offsets of the pixels' windows, and the window is swept in the reference's row-major order. Max pooling
 * keeps the winner's index in an int vector and takes a new value where it is greater, or NaN
 * over a number, exactly as the scalar reference's comparison does, so values and indices are the
 * reference's; average pooling adds from zero in window order and scales by the same float
 * 1/kernel², the reference's bits. The last output pixels of a plane that fill no whole vector
 * run the scalar loop. Backward passes are scalar per plane (scatters in output order, the
 * reference's order), split over the team by planes.
 */
final class Pooling {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);

    private final WorkerTeam team;

    Pooling(WorkerTeam team) {
        this.team = team;
    }

    /** Runs {@code body} over the planes [0, planes), split by whole planes over the team when the input is large. */
    private void forPlanes(PoolGeometry g, WorkerTeam.Range body) {
        if (g.inputSize() < VectorKernels.PARALLEL_ELEMENTS || team.threads() == 1 || g.planes() == 1) {
            body.run(0, g.planes());
        } else {
            team.runRanges(g.planes(), team.threads() * WorkerTeam.PARTS_PER_THREAD, 1, body);
        }
    }

    /**
     * @return for every output pixel of a plane, in row-major order, the offset in its input plane
     *     of its window's top-left corner: the index map of the loads
     */
    private static int[] windowOffsets(PoolGeometry g) {
        int ow = g.outWidth();
        int[] map = new int[g.outHeight() * ow];
        for (int y = 0; y < g.outHeight(); y++) {
            for (int x = 0; x < ow; x++) map[y * ow + x] = (y * g.width() + x) * g.stride();
        }
        return map;
    }

    void max(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        int[] map = windowOffsets(g);
        forPlanes(g, (p0, p1) -> maxPlanes(g, p0, p1, map, x, y, argmax));
    }

    /**
     * Max pooling of planes [p0, p1): the output pixels of a plane, taken in row-major order as one
     * sequence (rows narrower than a vector, such as 14 pixels against 16 lanes, would leave it
     * scalar), a vector of them at a time, each window position one gather through {@code map};
     * the last pixels of a plane that fill no vector run the scalar loop.
     */
    private static void maxPlanes(PoolGeometry g, int p0, int p1, int[] map, float[] in, float[] out, int[] idx) {
        int w = g.width();
        int k = g.kernel();
        int n = map.length;
        int lanes = F.length();
        int inPlane = g.height() * w;
        for (int p = p0; p < p1; p++) {
            int ib = p * inPlane;
            int ob = p * n;
            int o = 0;
            for (; o + lanes <= n; o += lanes) {
                IntVector corner = IntVector.fromArray(I, map, o);
                FloatVector m = FloatVector.fromArray(F, in, ib, map, o);
                IntVector best = corner.add(ib);
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = dy == 0 ? 1 : 0; dx < k; dx++) {
                        int off = ib + dy * w + dx;
                        FloatVector v = FloatVector.fromArray(F, in, off, map, o);
                        VectorMask<Float> take = v.compare(VectorOperators.GT, m)
                                .or(v.test(VectorOperators.IS_NAN).andNot(m.test(VectorOperators.IS_NAN)));
                        m = m.blend(v, take);
                        best = best.blend(corner.add(off), take.cast(I));
                    }
                }
                m.intoArray(out, ob + o);
                if (idx != null) best.intoArray(idx, ob + o);
            }
            for (; o < n; o++) {
                int best = ib + map[o];
                float m = in[best];
                for (int dy = 0; dy < k; dy++) {
                    int row = ib + map[o] + dy * w;
                    for (int dx = 0; dx < k; dx++) {
                        float v = in[row + dx];
                        if (v > m || Float.isNaN(v) && !Float.isNaN(m)) {
                            m = v;
                            best = row + dx;
                        }
                    }
                }
                out[ob + o] = m;
                if (idx != null) idx[ob + o] = best;
            }
        }
    }

    void maxBackward(PoolGeometry g, float[] gy, int[] idx, float[] gx) {
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        forPlanes(g, (p0, p1) -> {
            Arrays.fill(gx, p0 * inPlane, p1 * inPlane, 0f);
            for (int i = p0 * outPlane, end = p1 * outPlane; i < end; i++) gx[idx[i]] += gy[i];
        });
    }

    void avg(PoolGeometry g, float[] x, float[] y) {
        int[] map = windowOffsets(g);
        forPlanes(g, (p0, p1) -> avgPlanes(g, p0, p1, map, x, y));
    }

    /** Average pooling of planes [p0, p1), output pixels taken as {@link #maxPlanes} takes them. */
    private static void avgPlanes(PoolGeometry g, int p0, int p1, int[] map, float[] in, float[] out) {
        int w = g.width();
        int k = g.kernel();
        int n = map.length;
        int lanes = F.length();
        int inPlane = g.height() * w;
        float scale = 1f / (k * k);
        for (int p = p0; p < p1; p++) {
            int ib = p * inPlane;
            int ob = p * n;
            int o = 0;
            for (; o + lanes <= n; o += lanes) {
                FloatVector sum = FloatVector.zero(F);
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) sum = sum.add(FloatVector.fromArray(F, in, ib + dy * w + dx, map, o));
                }
                sum.mul(scale).intoArray(out, ob + o);
            }
            for (; o < n; o++) {
                float sum = 0f;
                for (int dy = 0; dy < k; dy++) {
                    int row = ib + map[o] + dy * w;
                    for (int dx = 0; dx < k; dx++) sum += in[row + dx];
                }
                out[ob + o] = sum * scale;
            }
        }
    }

    void avgBackward(PoolGeometry g, float[] gy, float[] gx) {
        forPlanes(g, (p0, p1) -> avgBackwardPlanes(g, p0, p1, gy, gx));
    }

    private static void avgBackwardPlanes(PoolGeometry g, int p0, int p1, float[] gy, float[] gx) {
        int h = g.height();
        int w = g.width();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int k = g.kernel();
        int st = g.stride();
        float scale = 1f / (k * k);
        Arrays.fill(gx, p0 * h * w, p1 * h * w, 0f);
        for (int p = p0; p < p1; p++) {
            int ib = p * h * w;
            int ob = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    float v = gy[ob + y * ow + x] * scale;
                    for (int dy = 0; dy < k; dy++) {
                        int row = ib + (y * st + dy) * w + x * st;
                        for (int dx = 0; dx < k; dx++) gx[row + dx] += v;
                    }
                }
            }
        }
    }
}
