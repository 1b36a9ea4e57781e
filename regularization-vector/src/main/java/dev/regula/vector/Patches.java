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
 * <p>When the input's sides are multiples of the stride s and the output's are the input's divided
 * by s (at stride 1 a "same" padding, 2·p = k − 1, as in a 3×3 convolution with padding 1; at
 * stride 2 the DCGAN discriminator's 4×4 convolutions with padding 1), a shorter way is taken: the
 * image is split into its s² phase planes per channel (nothing to split at stride 1), and the
 * image's part of each row of the patch matrix is one phase plane shifted by whole rows and
 * columns, one contiguous copy (or, in {@link #col2im}, one contiguous sum) instead of one per
 * output row; taken for planes of at least two vectors.
 */
final class Patches {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private Patches() {
    }

    /**
     * Writes the chunk's column matrix into {@code cols} (every entry of its prefix is overwritten).
     * By shifted planes only where the general path does more than one masked vector per output
     * row (a stride above 1, whose rows it splits first, or rows longer than a vector); at stride 1
     * with rows of one vector the general path is as fast (docs/kernels.md).
     */
    static void im2col(ConvGeometry g, float[] x, int n0, int count, float[] cols) {
        if (byPlanes(g) && (g.stride() > 1 || g.outWidth() > F.length())) {
            im2colPlanes(g, x, n0, count, cols);
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
     * they are summed from 0 in that order, image by image, and the sum is added). Where each patch
     * row is a shifted phase plane (see the class comment) the entries of {@code cols} that belong
     * to the padding are set to 0 on the way (the caller's scratch), so the sum over a plane is one
     * contiguous loop.
     */
    static void col2im(ConvGeometry g, float[] cols, int n0, int count, float[] x) {
        if (byPlanes(g)) {
            col2imPlanes(g, cols, n0, count, x);
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

    /**
     * @return whether every patch row is a shifted phase plane: the input's sides are multiples of
     *     the stride and the output's are the input's divided by it (at stride 1 a same-size output)
     */
    static boolean phasePlanes(ConvGeometry g) {
        int s = g.stride();
        return g.height() % s == 0 && g.width() % s == 0 && g.outHeight() == g.height() / s && g.outWidth() == g.width() / s;
    }

    /**
     * @return whether the shifted-plane path is taken: {@link #phasePlanes} with planes of at least
     *     two vectors; on smaller ones (the 4×4 maps of the GAN's discriminator) its copies, fills and
     *     fix-ups per row of the patch matrix cost more than the general path's one masked vector per
     *     output row
     */
    private static boolean byPlanes(ConvGeometry g) {
        return phasePlanes(g) && g.outHeight() * g.outWidth() >= 2 * F.length();
    }

    /**
     * {@link #im2col} when {@link #phasePlanes}: the image's part of each patch row is a phase
     * plane, outH × outW, shifted by whole rows and columns ({@link PlaneRow}); at a stride above 1
     * the image is first split into its s² phase planes per channel. Each row is one copy of the
     * shifted plane (the rows whose source row exists; the copy starts |qx| later or ends |qx|
     * earlier, so it never leaves the plane), then zeros for the rows shifted in from outside and
     * for the |qx| values per row that the flat copy took from the neighbouring row.
     */
    static void im2colPlanes(ConvGeometry g, float[] x, int n0, int count, float[] cols) {
        int outW = g.outWidth();
        int outPlane = g.outHeight() * outW;
        int imageSize = g.inChannels() * g.height() * g.width();
        PhasePlanes split = PhasePlanes.of(g);
        float[] phases = split == null ? null : new float[imageSize];
        PlaneRow[] rows = PlaneRow.all(g);
        for (int n = 0; n < count; n++) {
            int image = (n0 + n) * imageSize;
            float[] src = x;
            if (phases != null) {
                split.split(x, image, g.inChannels(), phases, 0);
                src = phases;
                image = 0;
            }
            for (int row = 0; row < g.patch(); row++) {
                PlaneRow r = rows[row];
                int dst = (row * count + n) * outPlane;
                Arrays.fill(cols, dst, dst + r.oy0() * outW, 0f);
                Arrays.fill(cols, dst + r.oy1() * outW, dst + outPlane, 0f);
                ShiftedBlock block = r.block(image, dst, outW);
                if (block.length() > 0) System.arraycopy(src, block.source(), cols, block.target(), block.length());
                zeroOutsideColumns(cols, dst, r.oy0(), r.oy1(), r.qx(), outW);
            }
        }
    }

    /**
     * {@link #col2im} when {@link #phasePlanes}: the adjoint of {@link #im2colPlanes}. At a stride
     * above 1 an image's terms are summed from 0 in its phase planes, which are then added to x.
     */
    static void col2imPlanes(ConvGeometry g, float[] cols, int n0, int count, float[] x) {
        int outW = g.outWidth();
        int outPlane = g.outHeight() * outW;
        int imageSize = g.inChannels() * g.height() * g.width();
        PhasePlanes split = PhasePlanes.of(g);
        float[] phases = split == null ? null : new float[imageSize];
        PlaneRow[] rows = PlaneRow.all(g);
        for (int n = 0; n < count; n++) {
            float[] dstArray = x;
            int image = (n0 + n) * imageSize;
            if (phases != null) {
                Arrays.fill(phases, 0f);
                dstArray = phases;
                image = 0;
            }
            for (int row = 0; row < g.patch(); row++) {
                PlaneRow r = rows[row];
                int dst = (row * count + n) * outPlane;
                // the entries that wrapped around read the padding: they add nothing
                zeroOutsideColumns(cols, dst, r.oy0(), r.oy1(), r.qx(), outW);
                ShiftedBlock block = r.block(image, dst, outW);
                if (block.length() > 0) VectorKernels.axpyPart(block.length(), 1f, cols, block.target(), dstArray, block.source());
            }
            if (phases != null) split.addBack(phases, 0, g.inChannels(), x, (n0 + n) * imageSize);
        }
    }

    /**
     * Where patch row (c, ki, kj) reads when {@link #phasePlanes}: input row s·oy − p + ki is row
     * oy + qy of row phase ry, where ki − p = s·qy + ry and 0 ≤ ry &lt; s (likewise the columns), so
     * the row reads phase plane (c, ry, rx), which starts {@code plane} values into an image's
     * phase planes (at stride 1 the image itself), shifted by (qy, qx); its output rows [oy0, oy1)
     * have a source row.
     */
    record PlaneRow(int plane, int qy, int qx, int oy0, int oy1) {
        /** @return every patch-matrix row's, indexed (c·k + ki)·k + kj (computed once per call: a row's own work can be a few vectors) */
        static PlaneRow[] all(ConvGeometry g) {
            int k = g.kernel();
            int s = g.stride();
            int p = g.padding();
            int outH = g.outHeight();
            PlaneRow[] rows = new PlaneRow[g.patch()];
            int row = 0;
            for (int c = 0; c < g.inChannels(); c++) {
                for (int ki = 0; ki < k; ki++) {
                    int qy = Math.floorDiv(ki - p, s);
                    int oy0 = Math.min(outH, Math.max(0, -qy));
                    int oy1 = Math.max(oy0, Math.min(outH, outH - qy));
                    for (int kj = 0; kj < k; kj++, row++) {
                        int plane = ((c * s + Math.floorMod(ki - p, s)) * s + Math.floorMod(kj - p, s)) * outH * g.outWidth();
                        rows[row] = new PlaneRow(plane, qy, Math.floorDiv(kj - p, s), oy0, oy1);
                    }
                }
            }
            return rows;
        }

        /** @return the flat part of this row for the image whose phase planes start at {@code image}, its patch values at {@code dst} */
        ShiftedBlock block(int image, int dst, int outW) {
            return new ShiftedBlock(image + plane, dst, oy0, oy1, qy, qx, outW);
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
