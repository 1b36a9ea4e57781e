package dev.regula.vector;

import dev.regula.api.kernels.ConvGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The patch-matrix transforms of a chunk of images [n0, n0 + count) of a convolution batch.
 *
 * <p>The chunk's column matrix has patch = channels·k·k rows, indexed (c, ki, kj), and
 * count·OH·OW columns, indexed (n − n0, oy, ox); entry ((c, ki, kj), (n, oy, ox)) is
 * x[n, c, oy·s − p + ki, ox·s − p + kj], or 0 in the padding. {@link #col2im} is its adjoint. The
 * channel-major moves turn a chunk of a [batch, channels, plane] batch into a [channels,
 * count·plane] matrix (the layout the products want) and back. Every method reads and writes only
 * the chunk's images, so chunks may run on different threads.
 *
 * <p>Stride 1 with the output as large as the input ("same" padding, 2·p = k − 1, as in a 3×3
 * convolution with padding 1) takes a shorter way: the image's part of each row of the patch
 * matrix is then the channel's whole plane shifted by (ki − p) rows and (kj − p) columns, one
 * contiguous copy (or, in {@link #col2im}, one contiguous sum) instead of one per output row.
 */
final class Patches {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private Patches() {
    }

    /** Writes the chunk's column matrix into {@code cols} (every entry of its prefix is overwritten). */
    static void im2col(ConvGeometry g, float[] x, int n0, int count, float[] cols) {
        if (samePlane(g)) {
            im2colSame(g, x, n0, count, cols);
            return;
        }
        int channels = g.inChannels();
        int height = g.height();
        int width = g.width();
        int k = g.kernel();
        int stride = g.stride();
        int padding = g.padding();
        int outH = g.outHeight();
        int outW = g.outWidth();
        int plane = height * width;
        int outPlane = outH * outW;
        int ld = count * outPlane;
        // Strided rows are first split into their stride phases, image by image, so that every
        // row of the patch matrix is a contiguous copy (a gather of every s-th value costs more).
        // (With stride 1 a row is its one phase: phaseWidth = rowLength = width.)
        int phaseWidth = Math.ceilDiv(width, stride);
        int rowLength = stride * phaseWidth;
        float[] phases = stride == 1 ? null : new float[channels * height * rowLength];
        for (int n = 0; n < count; n++) {
            int image = (n0 + n) * channels * plane;
            float[] src = x;
            if (stride > 1) {
                splitPhases(x, image, channels * height, width, stride, phaseWidth, phases);
                src = phases;
                image = 0;
            }
            int row = 0;
            for (int c = 0; c < channels; c++) {
                for (int ki = 0; ki < k; ki++) {
                    for (int kj = 0; kj < k; kj++, row++) {
                        int lo = firstInside(kj, stride, padding);
                        int hi = Math.max(lo, endInside(kj, stride, padding, width, outW));
                        int ix0 = lo * stride - padding + kj;
                        int colOffset = phaseColumn(ix0, stride, phaseWidth);
                        int dst = row * ld + n * outPlane;
                        int channelBase = image + c * height * rowLength;
                        if (outW <= F.length()) {
                            // a row in one masked load and store: lanes [lo, hi) from the input, the rest 0
                            VectorMask<Float> whole = lanes(0, outW);
                            VectorMask<Float> inside = lanes(lo, hi);
                            FloatVector zero = FloatVector.zero(F);
                            for (int oy = 0; oy < outH; oy++, dst += outW) {
                                int iy = oy * stride - padding + ki;
                                boolean zeros = iy < 0 || iy >= height;
                                int from = channelBase + iy * rowLength + colOffset - lo;
                                if (!fits(dst, cols) || !zeros && !fits(from, src)) {
                                    // a vector would reach past an end of an array: value by value
                                    // (a masked access there takes a slow bounds check, see fits)
                                    for (int ox = 0; ox < outW; ox++) {
                                        cols[dst + ox] = zeros || ox < lo || ox >= hi ? 0f : src[from + ox];
                                    }
                                    continue;
                                }
                                FloatVector v = zeros ? zero : FloatVector.fromArray(F, src, from, inside);
                                v.intoArray(cols, dst, whole);
                            }
                            continue;
                        }
                        for (int oy = 0; oy < outH; oy++, dst += outW) {
                            int iy = oy * stride - padding + ki;
                            if (iy < 0 || iy >= height) {
                                Arrays.fill(cols, dst, dst + outW, 0f);
                                continue;
                            }
                            if (lo > 0) Arrays.fill(cols, dst, dst + Math.min(lo, outW), 0f);
                            System.arraycopy(src, channelBase + iy * rowLength + colOffset, cols, dst + lo, hi - lo);
                            if (hi < outW) Arrays.fill(cols, dst + hi, dst + outW, 0f);
                        }
                    }
                }
            }
        }
    }

    /**
     * Splits {@code rows} rows of length {@code width} starting at {@code from} into their stride
     * phases: row r becomes stride segments of {@code phaseWidth}, segment q holding columns
     * q, q + stride, q + 2·stride, ... (the unused tail of a segment is left as it is).
     */
    private static void splitPhases(float[] x, int from, int rows, int width, int stride, int phaseWidth, float[] out) {
        int rowLength = stride * phaseWidth;
        for (int r = 0; r < rows; r++) {
            int src = from + r * width;
            int dst = r * rowLength;
            for (int q = 0; q < stride; q++) {
                int d = dst + q * phaseWidth;
                for (int ix = q; ix < width; ix += stride) out[d++] = x[src + ix];
            }
        }
    }

    /**
     * Adds the chunk's column matrix back into the chunk of {@code x} (the adjoint of
     * {@link #im2col}); entries from the padding are dropped, {@code x} is not cleared first.
     * Each value of x receives its terms in the order of the matrix's rows (at a stride above 1
     * they are summed from 0 in that order, image by image, and the sum is added). With stride 1 and a
     * same-size output the entries of {@code cols} that belong to the padding are set to 0 on the
     * way (the caller's scratch), so the sum over a plane is one contiguous loop.
     */
    static void col2im(ConvGeometry g, float[] cols, int n0, int count, float[] x) {
        if (samePlane(g)) {
            col2imSame(g, cols, n0, count, x);
            return;
        }
        int channels = g.inChannels();
        int height = g.height();
        int width = g.width();
        int k = g.kernel();
        int stride = g.stride();
        int padding = g.padding();
        int outH = g.outHeight();
        int outW = g.outWidth();
        int plane = height * width;
        int outPlane = outH * outW;
        int ld = count * outPlane;
        // As in im2col, strided rows are accumulated in their stride phases (contiguous adds), then
        // added into x image by image.
        int phaseWidth = Math.ceilDiv(width, stride);
        int rowLength = stride * phaseWidth;
        float[] phases = stride == 1 ? null : new float[channels * height * rowLength];
        // Image by image, so that the chunk of x written stays in cache while all its rows are added
        for (int n = 0; n < count; n++) {
            float[] dstArray = x;
            int image = (n0 + n) * channels * plane;
            if (stride > 1) {
                Arrays.fill(phases, 0f);
                dstArray = phases;
                image = 0;
            }
            int row = 0;
            for (int c = 0; c < channels; c++) {
                int dstBase = image + c * height * rowLength;
                for (int ki = 0; ki < k; ki++) {
                    for (int kj = 0; kj < k; kj++, row++) {
                        int lo = firstInside(kj, stride, padding);
                        int hi = endInside(kj, stride, padding, width, outW);
                        int ix0 = lo * stride - padding + kj;
                        int colOffset = phaseColumn(ix0, stride, phaseWidth);
                        int src = row * ld + n * outPlane;
                        VectorMask<Float> inside = outW <= F.length() ? lanes(lo, hi) : null;
                        for (int oy = 0; oy < outH; oy++, src += outW) {
                            int iy = oy * stride - padding + ki;
                            if (iy < 0 || iy >= height) continue;
                            int dstRow = dstBase + iy * rowLength + colOffset - lo;
                            if (inside != null && fits(dstRow, dstArray) && fits(src, cols)) {
                                FloatVector.fromArray(F, dstArray, dstRow, inside)
                                        .add(FloatVector.fromArray(F, cols, src, inside))
                                        .intoArray(dstArray, dstRow, inside);
                                continue;
                            }
                            for (int ox = lo; ox < hi; ox++) dstArray[dstRow + ox] += cols[src + ox];
                        }
                    }
                }
            }
            if (stride > 1) addPhases(phases, channels * height, width, stride, phaseWidth, x, (n0 + n) * channels * plane);
        }
    }

    /** @return whether the output has the input's size at stride 1, so that a patch row is a shifted plane */
    private static boolean samePlane(ConvGeometry g) {
        return g.stride() == 1 && g.outHeight() == g.height() && g.outWidth() == g.width();
    }

    /**
     * {@link #im2col} at stride 1 with a same-size output: for each (c, ki, kj) one copy of the
     * plane shifted by dy = ki − p rows and dx = kj − p columns (the rows whose source row exists;
     * the copy starts |dx| later or ends |dx| earlier, so it never leaves the channel's plane), then
     * zeros for the rows shifted in from outside and for the |dx| columns per row that the flat
     * copy took from the neighbouring row.
     */
    private static void im2colSame(ConvGeometry g, float[] x, int n0, int count, float[] cols) {
        int channels = g.inChannels();
        int height = g.height();
        int width = g.width();
        int k = g.kernel();
        int p = g.padding();
        int plane = height * width;
        int ld = count * plane;
        for (int n = 0; n < count; n++) {
            int image = (n0 + n) * channels * plane;
            int row = 0;
            for (int c = 0; c < channels; c++) {
                int base = image + c * plane;
                for (int ki = 0; ki < k; ki++) {
                    int dy = ki - p;
                    int oy0 = Math.min(height, Math.max(0, -dy));
                    int oy1 = Math.max(oy0, Math.min(height, height - dy));
                    for (int kj = 0; kj < k; kj++, row++) {
                        int dx = kj - p;
                        int dst = row * ld + n * plane;
                        Arrays.fill(cols, dst, dst + oy0 * width, 0f);
                        Arrays.fill(cols, dst + oy1 * width, dst + plane, 0f);
                        ShiftedBlock b = new ShiftedBlock(base, dst, oy0, oy1, dy, dx, width);
                        if (b.length() > 0) System.arraycopy(x, b.source(), cols, b.target(), b.length());
                        zeroOutsideColumns(cols, dst, oy0, oy1, dx, width);
                    }
                }
            }
        }
    }

    /** {@link #col2im} at stride 1 with a same-size output: the adjoint of {@link #im2colSame}. */
    private static void col2imSame(ConvGeometry g, float[] cols, int n0, int count, float[] x) {
        int channels = g.inChannels();
        int height = g.height();
        int width = g.width();
        int k = g.kernel();
        int p = g.padding();
        int plane = height * width;
        int ld = count * plane;
        int lanes = F.length();
        for (int n = 0; n < count; n++) {
            int image = (n0 + n) * channels * plane;
            int row = 0;
            for (int c = 0; c < channels; c++) {
                int base = image + c * plane;
                for (int ki = 0; ki < k; ki++) {
                    int dy = ki - p;
                    int oy0 = Math.min(height, Math.max(0, -dy));
                    int oy1 = Math.max(oy0, Math.min(height, height - dy));
                    for (int kj = 0; kj < k; kj++, row++) {
                        int dx = kj - p;
                        int dst = row * ld + n * plane;
                        // the entries that wrapped around read the padding: they add nothing
                        zeroOutsideColumns(cols, dst, oy0, oy1, dx, width);
                        ShiftedBlock b = new ShiftedBlock(base, dst, oy0, oy1, dy, dx, width);
                        int xs = b.source();
                        int cs = b.target();
                        int len = b.length();
                        int i = 0;
                        for (int bound = len - lanes; i <= bound; i += lanes) {
                            FloatVector.fromArray(F, x, xs + i).add(FloatVector.fromArray(F, cols, cs + i)).intoArray(x, xs + i);
                        }
                        for (; i < len; i++) x[xs + i] += cols[cs + i];
                    }
                }
            }
        }
    }

    /**
     * The flat part of a shifted plane: patch-matrix entries [target, target + length) of rows
     * [oy0, oy1) take input values [source, source + length) of the channel's plane, less the
     * |dx| values at the front (dx &lt; 0) or back (dx &gt; 0) that would lie outside the plane.
     */
    private record ShiftedBlock(int source, int target, int length) {
        ShiftedBlock(int base, int dst, int oy0, int oy1, int dy, int dx, int width) {
            this(base + (oy0 + dy) * width + dx + Math.max(0, -dx), dst + oy0 * width + Math.max(0, -dx),
                    (oy1 - oy0) * width - Math.abs(dx));
        }
    }

    /** Sets to 0 the columns ox &lt; −dx and ox ≥ width − dx of patch rows [oy0, oy1), whose input column lies outside. */
    private static void zeroOutsideColumns(float[] cols, int dst, int oy0, int oy1, int dx, int width) {
        if (dx == 0) return;
        int ox0 = Math.min(width, Math.max(0, -dx));
        int ox1 = Math.max(ox0, Math.min(width, width - dx));
        for (int oy = oy0; oy < oy1; oy++) {
            int r = dst + oy * width;
            for (int ox = 0; ox < ox0; ox++) cols[r + ox] = 0f;
            for (int ox = ox1; ox < width; ox++) cols[r + ox] = 0f;
        }
    }

    /** The adjoint of {@link #splitPhases}: adds each phase value back to its column of x. */
    private static void addPhases(float[] phases, int rows, int width, int stride, int phaseWidth, float[] x, int from) {
        int rowLength = stride * phaseWidth;
        for (int r = 0; r < rows; r++) {
            int src = r * rowLength;
            int dst = from + r * width;
            for (int q = 0; q < stride; q++) {
                int s = src + q * phaseWidth;
                for (int ix = q; ix < width; ix += stride) x[dst + ix] += phases[s++];
            }
        }
    }

    /** @return where input column ix sits in its row split into stride phases: its phase's start plus its index there (ix for stride 1) */
    private static int phaseColumn(int ix, int stride, int phaseWidth) {
        return (ix % stride) * phaseWidth + ix / stride;
    }

    /**
     * @return whether a whole vector at {@code offset} lies inside {@code a}. A masked load or store
     *     that does not is still legal when its active lanes are inside, but the JIT then runs the
     *     lane-by-lane bounds check (AbstractMask.checkIndexByLane) out of line, which cost the GAN
     *     step more than a tenth of its time (rows at the start of an image's stride phases or of
     *     a batch, and at the end of an array); those rows go value by value instead.
     */
    private static boolean fits(int offset, float[] a) {
        return offset >= 0 && offset <= a.length - F.length();
    }

    /** @return the mask of lanes [from, to) of a vector, 0 ≤ from ≤ to ≤ its length */
    private static VectorMask<Float> lanes(int from, int to) {
        long bits = to - from >= 64 ? -1L : ((1L << (to - from)) - 1) << from;
        return VectorMask.fromLong(F, from >= to ? 0L : bits);
    }

    /** @return the first output column ox whose input column ox·stride − padding + kj is ≥ 0 */
    private static int firstInside(int kj, int stride, int padding) {
        int d = padding - kj;
        return d <= 0 ? 0 : (d + stride - 1) / stride;
    }

    /** @return one past the last output column ox (at most outW) whose input column is &lt; width */
    private static int endInside(int kj, int stride, int padding, int width, int outW) {
        int d = width - 1 + padding - kj;
        return d < 0 ? 0 : Math.min(outW, d / stride + 1);
    }

    /** Copies images [n0, n0 + count) of a [batch, channels, plane] batch into a [channels, count·plane] matrix. */
    static void toChannelMajor(float[] x, int n0, int count, int channels, int plane, float[] out) {
        int ld = count * plane;
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(x, ((n0 + n) * channels + c) * plane, out, c * ld + n * plane, plane);
            }
        }
    }

    /**
     * Writes a [channels, count·plane] matrix into images [n0, n0 + count) of a [batch, channels,
     * plane] batch, adding {@code bias[c]} to channel c when {@code bias} is not null.
     */
    static void toBatchMajor(float[] m, int n0, int count, int channels, int plane, float[] bias, float[] out) {
        int ld = count * plane;
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < channels; c++) {
                int src = c * ld + n * plane;
                int dst = ((n0 + n) * channels + c) * plane;
                float b = bias == null ? 0f : bias[c];
                if (b == 0f) {
                    System.arraycopy(m, src, out, dst, plane);
                } else {
                    for (int i = 0; i < plane; i++) out[dst + i] = m[src + i] + b;
                }
            }
        }
    }

    /** Sets every value of channel c of images [n0, n0 + count) to {@code bias[c]}, or 0 when {@code bias} is null. */
    static void fillChannels(float[] x, int n0, int count, int channels, int plane, float[] bias) {
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < channels; c++) {
                int off = ((n0 + n) * channels + c) * plane;
                Arrays.fill(x, off, off + plane, bias == null ? 0f : bias[c]);
            }
        }
    }

    /** Adds {@code bias[c]} to every value of channel c of images [n0, n0 + count); nothing when null. */
    static void addBias(float[] y, int n0, int count, int channels, int plane, float[] bias) {
        if (bias == null) return;
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < channels; c++) {
                int off = ((n0 + n) * channels + c) * plane;
                float b = bias[c];
                if (b != 0f) for (int i = 0; i < plane; i++) y[off + i] += b;
            }
        }
    }
}
