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
 * <p>Forward passes compute one output row at a time, a vector of adjacent output pixels at once:
 * each window position is one load of the input at stride {@code stride} (a gather, or a plain
 * load for stride 1), and the window is swept in the reference's row-major order. Max pooling
 * keeps the winner's index in an int vector and takes a new value where it is greater, or NaN
 * over a number, exactly as the scalar reference's comparison does, so values and indices are the
 * reference's; average pooling adds from zero in window order and scales by the same float
 * 1/kernel², the reference's bits. The last output pixels of a row that fill no whole vector run
 * the scalar loop. Backward passes are scalar per plane (scatters in output order, the
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

    /** @return (0, s, 2s, …) for the lanes of a vector */
    private static int[] laneOffsets(int stride) {
        int[] map = new int[F.length()];
        for (int i = 0; i < map.length; i++) map[i] = i * stride;
        return map;
    }

    void max(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        int[] map = laneOffsets(g.stride());
        forPlanes(g, (p0, p1) -> maxPlanes(g, p0, p1, map, x, y, argmax));
    }

    private static FloatVector load(float[] x, int off, int stride, int[] map) {
        return stride == 1 ? FloatVector.fromArray(F, x, off) : FloatVector.fromArray(F, x, off, map, 0);
    }

    private static void maxPlanes(PoolGeometry g, int p0, int p1, int[] map, float[] in, float[] out, int[] idx) {
        int h = g.height();
        int w = g.width();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int k = g.kernel();
        int st = g.stride();
        int lanes = F.length();
        IntVector laneIndex = IntVector.fromArray(I, map, 0);
        for (int p = p0; p < p1; p++) {
            int ib = p * h * w;
            int ob = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                int x = 0;
                for (; x + lanes <= ow; x += lanes) {
                    int start = ib + y * st * w + x * st;
                    FloatVector m = load(in, start, st, map);
                    IntVector best = laneIndex.add(start);
                    for (int dy = 0; dy < k; dy++) {
                        int row = start + dy * w;
                        for (int dx = dy == 0 ? 1 : 0; dx < k; dx++) {
                            FloatVector v = load(in, row + dx, st, map);
                            VectorMask<Float> take = v.compare(VectorOperators.GT, m)
                                    .or(v.test(VectorOperators.IS_NAN).andNot(m.test(VectorOperators.IS_NAN)));
                            m = m.blend(v, take);
                            best = best.blend(laneIndex.add(row + dx), take.cast(I));
                        }
                    }
                    m.intoArray(out, ob + y * ow + x);
                    if (idx != null) best.intoArray(idx, ob + y * ow + x);
                }
                for (; x < ow; x++) {
                    int best = ib + y * st * w + x * st;
                    float m = in[best];
                    for (int dy = 0; dy < k; dy++) {
                        int row = ib + (y * st + dy) * w + x * st;
                        for (int dx = 0; dx < k; dx++) {
                            float v = in[row + dx];
                            if (v > m || Float.isNaN(v) && !Float.isNaN(m)) {
                                m = v;
                                best = row + dx;
                            }
                        }
                    }
                    out[ob + y * ow + x] = m;
                    if (idx != null) idx[ob + y * ow + x] = best;
                }
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
        int[] map = laneOffsets(g.stride());
        forPlanes(g, (p0, p1) -> avgPlanes(g, p0, p1, map, x, y));
    }

    private static void avgPlanes(PoolGeometry g, int p0, int p1, int[] map, float[] in, float[] out) {
        int h = g.height();
        int w = g.width();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int k = g.kernel();
        int st = g.stride();
        int lanes = F.length();
        float scale = 1f / (k * k);
        for (int p = p0; p < p1; p++) {
            int ib = p * h * w;
            int ob = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                int x = 0;
                for (; x + lanes <= ow; x += lanes) {
                    int start = ib + y * st * w + x * st;
                    FloatVector sum = FloatVector.zero(F);
                    for (int dy = 0; dy < k; dy++) {
                        int row = start + dy * w;
                        for (int dx = 0; dx < k; dx++) sum = sum.add(load(in, row + dx, st, map));
                    }
                    sum.mul(scale).intoArray(out, ob + y * ow + x);
                }
                for (; x < ow; x++) {
                    float sum = 0f;
                    for (int dy = 0; dy < k; dy++) {
                        int row = ib + (y * st + dy) * w + x * st;
                        for (int dx = 0; dx < k; dx++) sum += in[row + dx];
                    }
                    out[ob + y * ow + x] = sum * scale;
                }
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
