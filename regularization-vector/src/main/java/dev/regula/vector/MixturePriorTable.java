package dev.regula.vector;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link dev.regula.api.kernels.Kernels#mixturePriorGradient} for many values through a table.
 * The weight's gradient f(x) = Σ_j r_j(x)·τ_j·(x − μ_j) is a function of the value alone, the
 * same for every weight, so it is computed once per node of a fine grid ({@link MixtureNodes})
 * and interpolated linearly; the per-component sums Σ_i T_j(x_i) are taken over the values'
 * linear binning on the same grid (each value split between its cell's two nodes in proportion to
 * its place in the cell, as binned kernel density estimates do). Per call: a pass that reads the
 * values' range (from which the call decides), a pass for their cells, a histogram, the table
 * over the cells that hold values, a check, and one gather per value, instead of an exponential
 * per value and component within reach.
 *
 * <p><b>The grid</b> is anchored at 0 with a spacing h that is a power of two, so a value's cell
 * is exact in float (x/h only moves the exponent), and so is its place t in it (in the cell just
 * below 0, t − 1 = x/h, interpolated from the node at 0: a value far closer to 0 than a cell
 * keeps its gradient's relative precision). The spacing is the largest not above
 * σ_min/{@value #CELLS_PER_SIGMA} (σ_min of the narrowest component), or up to
 * 2^{@value #FINER_FOR_HAND_OVERS} times finer where the responsibility passes from one component
 * to another more sharply within the values' range ({@link HandOvers}: components many σ apart),
 * at a crossing near which the mixture holds at least {@code 1/256} of its mass: at most
 * 1/{@value #CELLS_PER_HAND_OVER} of that hand-over's width. The table covers at most one cell per
 * {@value #VALUES_PER_CELL} values: where the values span more, the window of that many cells
 * that holds the most of them, the rest computed directly.
 *
 * <p><b>The check.</b> For every cell holding values, the linear interpolation's error mid-cell,
 * f''·h²/8, is estimated from the second differences of the gradient at the cell's two nodes (the
 * larger); where it exceeds 2^−18 (2.6 times less than the contract's 1e-5) of Σ_j r_j·τ_j·|d_j|
 * at either node, the cell's values are computed directly (their share taken out of the binned
 * sums) instead. A second difference sees any feature a few cells wide; a hand-over sharper than
 * the grid shows as a large second difference at the cells around it, whose values then go
 * directly. Linear binning puts h_j·h²·t(1 − t) too much into Σ r_j·h_j·d_j² for each value
 * (the chord above the parabola); Σ t(1 − t) per cell, from the cell's Σ t and Σ t², takes it
 * back exactly, so weights piled at a component's mean (quantised) or spread within a cell or two
 * of it are counted right. What remains is the binning of the
 * responsibilities' own curvature, of the order of the gradient's interpolation error (the tests
 * hold the sums to the contract's 1e-5 of the sum of the absolute terms).
 *
 * <p>The call declines (nothing written, the caller computes it directly) with fewer than
 * {@value #LEAST_VALUES} values, a value that is not finite or lies beyond 2^29 cells, more than
 * one value in {@value #OUTSIDE} outside the window, or a window whose cells would cost more than
 * the exponentials the table saves ({@link #pays}): where the components are narrow and far apart
 * (after retraining), the weights spread over many cells each, and each meets one or two
 * components, which the direct kernel's sorted buckets compute cheaply. Once the table is made,
 * the cells that fail its check go directly however many they are: declining then would only add
 * the table's cost to the direct computation of every value.
 *
 * <p>Determinism: each value's cell and place are computed per value (the vector loop and its
 * scalar tail agree bit for bit); the histogram is kept in {@value #PARTS} fixed parts of the
 * values, added in part order; the table's blocks keep their sums apart and add them in block
 * order; so a call's result depends on its values and their order alone, neither on the thread
 * count nor on the array offset.
 */
final class MixturePriorTable {
    /** Fewer values than this go to the direct kernel: the table's fixed cost would not pay. */
    static final int LEAST_VALUES = 16_384;
    /** Cells per σ of the narrowest component, at least (the spacing is a power of two below). */
    static final int CELLS_PER_SIGMA = 256;
    /** Cells per width 1/|a_j' − a_l'| of the sharpest hand-over between two components, at least. */
    static final int CELLS_PER_HAND_OVER = 64;
    /** The share of the mixture's mass near a hand-over from which the grid resolves it. */
    static final double HAND_OVER_SHARE = 1.0 / 256;
    /** The spacing is made at most 2^this times finer for a hand-over. */
    static final int FINER_FOR_HAND_OVERS = 2;
    /** At most one cell per this many values. */
    static final int VALUES_PER_CELL = 2;
    /** The table's cells at most (its working arrays take some 60 bytes a cell). */
    static final int MOST_CELLS = 1 << 20;
    /** More than one value in this many outside the window, and the call declines. */
    static final int OUTSIDE = 4;
    /** The interpolation error allowed mid-cell, relative to Σ_j r_j·τ_j·|d_j| at the cell's nodes. */
    static final double CHECK = 0x1p-18;
    /** Fixed parts of the values for the histogram (the thread split cannot change its sums). */
    static final int PARTS = 2;
    /**
     * A cell's cost (its nodes, histogram, check) in units of one component's exponential for one
     * value in the direct kernel; measured on AVX-512 (Zen 4) from the mixture training starts
     * from to the narrow, separated one of {@code regula compress}'s late retraining.
     */
    static final double CELL_COST = 14;
    /** What the table saves per value beside the exponentials, in the same units. */
    static final double VALUE_SAVING = 2;
    /**
     * The table entry of a cell whose values are computed directly (one that failed the check, and
     * the extra cell of the values outside the window): value +0, slope −0, so the interpolation adds
     * a zero for them, and it finds them by this entry as it goes. A checked cell whose entry would
     * have these bits gets +0 for its slope instead (the same interpolation).
     */
    static final long DIRECT = 0x8000_0000_0000_0000L;
    /** Values at or beyond this many cells from 0 (and NaN) make a call decline. */
    private static final float FAR = 0x1p29f;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class).withShape(F.vectorShape());
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    /** Ints and floats in the lane count of {@link #L}. */
    private static final VectorSpecies<Integer> I_OF_L = VectorSpecies.of(int.class, VectorShape.forBitSize(L.vectorBitSize() / 2));
    private static final VectorSpecies<Float> F_OF_L = VectorSpecies.of(float.class, VectorShape.forBitSize(L.vectorBitSize() / 2));
    /** Values per part of the thread split of the passes over values (a multiple of every lane count). */
    private static final int ALIGN = 64;

    private MixturePriorTable() {
    }

    /**
     * The direct computation, for the values the table does not serve. It may call {@link #apply}
     * again: the nested call declines, this thread's arrays being in use.
     */
    @FunctionalInterface
    interface Direct {
        void apply(int n, float[] x, int xOff, float[] g, int gOff, double scale, int k, double[] mu, double[] halfTau,
                   double[] logWeight, double[] sums);
    }

    /** The calling thread's working arrays, kept between calls and grown when a call needs more. */
    private static final class Scratch {
        int[] cell = new int[0];
        float[] place = new float[0];
        /** The values computed directly: their indices and a compact copy of them. */
        int[] directIndex = new int[0];
        float[] directValue = new float[0];
        /** Per part of the interpolation (by its first value / {@link #ALIGN}), the values it found for the direct kernel. */
        int[] directFound = new int[0];
        int[][] count = new int[PARTS][0];
        /**
         * Per part, for cell c the sum of its values' places Σ t at 2c and Σ t² at 2c + 1 (Σ t(1 − t)
         * = Σ t − Σ t²), side by side so that a value updates one cache line.
         */
        double[][] moments = new double[PARTS][0];
        double[] share = new double[0];
        double[] bendShare = new double[0];
        double[] gradient = new double[0];
        double[] scale = new double[0];
        long[] table = new long[0];
        /** Whether a call of this thread holds the arrays (one whose direct computation calls the table again gets none). */
        boolean busy;

        Scratch fit(int n, int cells) {
            if (cell.length < n) {
                cell = new int[n];
                place = new float[n];
                directIndex = new int[n];
                directValue = new float[n];
                directFound = new int[n / ALIGN + 1];
            }
            if (table.length < cells + 1) {
                for (int p = 0; p < PARTS; p++) {
                    count[p] = new int[cells + 1];
                    moments[p] = new double[2 * (cells + 1)];
                }
                table = new long[cells + 1];
                int nodes = cells + 1 + MixtureNodes.BLOCK; // padded to whole blocks
                share = new double[nodes];
                bendShare = new double[nodes];
                gradient = new double[nodes];
                scale = new double[nodes];
            }
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Adds the gradient and the sums of {@link dev.regula.api.kernels.Kernels#mixturePriorGradient}
     * through the table, or declines and writes nothing.
     *
     * @param team splits the passes over values and the table's blocks; null: the calling thread
     * @param reach the components the direct kernel would meet per value, on average (asked only
     *     where the answer matters); the call declines where the table would cost more
     *     ({@link #pays}); +∞: wherever it can
     * @param direct computes the values the table does not serve
     * @return false if the call is declined: then g and sums are untouched
     */
    static boolean apply(int n, float[] x, int xOff, float[] g, int gOff, float scale, int k, double[] mu,
                         double[] halfTau, double[] logWeight, double[] sums, WorkerTeam team,
                         DoubleSupplier reach, Direct direct) {
        if (n < LEAST_VALUES || D.length() < 4) return false;
        double hMax = 0;
        for (int j = 0; j < k; j++) hMax = Math.max(hMax, halfTau[j]);
        if (!(hMax > 0) || Double.isInfinite(hMax)) return false;
        int e = Math.getExponent(1 / Math.sqrt(2 * hMax) / CELLS_PER_SIGMA); // h = 2^e ≤ σ_min/256
        if (e < -100 || e > 100) return false;
        Scratch s = SCRATCH.get();
        if (s.busy) return false; // called again from the direct computation of this thread's call: its arrays are in use
        s.busy = true;
        try {
            return onGrid(n, x, xOff, g, gOff, scale, k, mu, halfTau, logWeight, sums, team, reach, direct, e, s.fit(n, 0));
        } finally {
            s.busy = false;
        }
    }

    /** {@link #apply} from the first grid on, with this thread's arrays. */
    private static boolean onGrid(int n, float[] x, int xOff, float[] g, int gOff, float scale, int k, double[] mu,
                                  double[] halfTau, double[] logWeight, double[] sums, WorkerTeam team,
                                  DoubleSupplier reach, Direct direct, int e, Scratch s) {
        // a sample's range spans no more cells than all the values' range, and a window of more
        // cells never pays where fewer do not: where the sample's does not pay (as late in a run),
        // decline before reading every value
        if (!samplePays(n, x, xOff, e, reach)) return false;
        // the values' range, read only: where the table declines nothing is written
        Range range = range(n, x, xOff, team);
        Extent extent = range.cells(e);
        if (extent.bad) return false;
        // a finer grid below only adds cells: a window that does not pay at this spacing, no finer one does
        if (!pays(n, windowCells(n, extent), reach)) return false;
        // a hand-over from one component to another sharper than σ_min where the mixture (fitted to
        // the values) has mass: a grid that resolves it, at most 4 times finer
        double width = HandOvers.narrowest(k, mu, halfTau, logWeight, Math.scalb((double) extent.lowest, e),
                Math.scalb(extent.highest + 1.0, e), HAND_OVER_SHARE);
        int sharper = Math.max(e - FINER_FOR_HAND_OVERS, Math.getExponent(width / CELLS_PER_HAND_OVER));
        if (width < Double.POSITIVE_INFINITY && sharper < e) {
            e = sharper;
            extent = range.cells(e);
            if (extent.bad || !pays(n, windowCells(n, extent), reach)) return false;
        }
        locateAll(n, x, xOff, e, s, team);
        return onThisGrid(n, x, xOff, g, gOff, scale, k, mu, halfTau, logWeight, sums, team, direct, e, extent, s);
    }

    /**
     * @return false where the cells spanned by a sample of the values (every (n/{@value
     *     MixturePriorKernel#SAMPLE})th) at spacing 2^e already cost more than the table saves
     *     ({@link #pays}); true where they do not, or the sample holds a value that is not finite
     *     or lies too far out (the pass over all values then decides)
     */
    private static boolean samplePays(int n, float[] x, int xOff, int e, DoubleSupplier reach) {
        Range sample = new Range();
        int stride = Math.max(1, n / MixturePriorKernel.SAMPLE);
        for (int t = 0; t < n; t += stride) {
            sample.least = Math.min(sample.least, x[xOff + t]);
            sample.most = Math.max(sample.most, x[xOff + t]);
        }
        sample.bad = !Float.isFinite(sample.least) || !Float.isFinite(sample.most);
        Extent extent = sample.cells(e);
        return extent.bad || pays(n, windowCells(n, extent), reach);
    }

    /**
     * @return whether a table of {@code cells} cells for n values costs less than the direct
     *     kernel meeting {@code reach} components per value: CELL_COST·cells ≤ (VALUE_SAVING + reach)·n
     */
    static boolean pays(int n, int cells, DoubleSupplier reach) {
        // a value meets at least one component: below that bound the answer needs no reach
        return CELL_COST * cells <= (VALUE_SAVING + 1) * (double) n
                || CELL_COST * cells <= (VALUE_SAVING + reach.getAsDouble()) * n;
    }

    /**
     * @return the cells of the window over values located at {@code extent}: their span, but at
     *     most one per {@value #VALUES_PER_CELL} values and {@value #MOST_CELLS} in all
     */
    private static int windowCells(int n, Extent extent) {
        return Math.min(extent.highest - extent.lowest + 1, Math.min(n / VALUES_PER_CELL, MOST_CELLS));
    }

    /** The call on the grid of spacing 2^e, the values located on it ({@code extent}); false: declined, nothing written. */
    private static boolean onThisGrid(int n, float[] x, int xOff, float[] g, int gOff, float scale, int k, double[] mu,
                                   double[] halfTau, double[] logWeight, double[] sums, WorkerTeam team,
                                   Direct direct, int e, Extent extent, Scratch s) {
        double h = Math.scalb(1.0, e);
        int span = extent.highest - extent.lowest + 1;
        int cells = windowCells(n, extent); // (it pays: checked before the values were located)
        s.fit(n, cells);
        int start = window(n, extent.lowest, span, cells, s.cell);
        if (start < 0) return false;
        int cmin = extent.lowest + start;
        boolean whole = span == cells;
        int outside = histogram(n, cmin, cells, whole, s, team);
        if (outside > n / OUTSIDE) return false;
        double[] local = new double[3 * k];
        table(cells, cmin, h, k, mu, halfTau, logWeight, s, local, team);
        int failed = checked(cells, s, team);
        fromZero(cmin, cells, s);
        if (failed > 0) unbin(cells, cmin, h, k, mu, halfTau, logWeight, s, local);
        int base = whole ? -cmin : 0; // the cells are counted from 0, or (rewritten) from the window's first
        long[] table = s.table;
        int[] found = s.directFound;
        Arrays.fill(found, 0, n / ALIGN + 1, 0);
        split(team, n, ALIGN, (from, to) -> found[from / ALIGN] =
                interpolate(from, to, g, gOff, scale, s.cell, base, s.place, table, s.directIndex));
        if (outside + failed > 0) directly(n, x, xOff, g, gOff, scale, k, mu, halfTau, logWeight, local, s, direct);
        for (int t = 0; t < 3 * k; t++) sums[t] += local[t];
        return true;
    }

    /** Every value's cell and place at spacing 2^e (their extent is {@link Range#cells}'s). */
    private static void locateAll(int n, float[] x, int xOff, int e, Scratch s, WorkerTeam team) {
        float invH = Math.scalb(1f, -e);
        split(team, n, ALIGN, (from, to) -> locate(from, to, x, xOff, invH, s.cell, s.place));
    }

    /** The least and largest of a call's values, from one pass that reads them only. */
    private static Range range(int n, float[] x, int xOff, WorkerTeam team) {
        Range range = new Range();
        split(team, n, ALIGN, (from, to) -> range.add(from, to, x, xOff));
        return range;
    }

    /** The least and largest value of a call, and whether one is NaN or infinite. */
    private static final class Range {
        float least = Float.POSITIVE_INFINITY;
        float most = Float.NEGATIVE_INFINITY;
        boolean bad;

        /** Takes in the values x[xOff + from, xOff + to). */
        void add(int from, int to, float[] x, int xOff) {
            if (from >= to) return;
            int i = from;
            int bound = from + F.loopBound(to - from);
            FloatVector lo = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
            FloatVector hi = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (; i < bound; i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, x, xOff + i);
                lo = lo.min(v); // NaN stays NaN
                hi = hi.max(v);
            }
            float l = lo.reduceLanes(VectorOperators.MIN);
            float m = hi.reduceLanes(VectorOperators.MAX);
            for (; i < to; i++) {
                l = Math.min(l, x[xOff + i]);
                m = Math.max(m, x[xOff + i]);
            }
            synchronized (this) {
                least = Math.min(least, l);
                most = Math.max(most, m);
                bad |= !Float.isFinite(l) || !Float.isFinite(m);
            }
        }

        /**
         * @return the lowest and highest cell at spacing 2^e, floor(x/h) of the least and the
         *     largest value (x/h rounds monotonically, exact but for subnormals, and floor is
         *     monotonic: every value's cell lies between, computed as {@link #locate} does), bad
         *     where a value is NaN or infinite or one lies {@link #FAR} cells or more from 0
         */
        Extent cells(int e) {
            float invH = Math.scalb(1f, -e);
            float lo = least * invH;
            float hi = most * invH;
            Extent extent = new Extent();
            extent.bad = bad || !(Math.abs(lo) < FAR) || !(Math.abs(hi) < FAR);
            if (!extent.bad) {
                extent.lowest = cellOf(lo);
                extent.highest = cellOf(hi);
            }
            return extent;
        }
    }

    /** floor(v) for |v| below {@link #FAR}: a value's cell, in {@link #locate} and for the extent. */
    private static int cellOf(float v) {
        int c = (int) v;
        return (float) c > v ? c - 1 : c;
    }

    /** body over [0, extent), split over the team in parts of a multiple of align, or on this thread. */
    private static void split(WorkerTeam team, int extent, int align, WorkerTeam.Range body) {
        if (team == null || team.threads() == 1 || extent <= align) body.run(0, extent);
        else team.runRanges(extent, team.threads(), align, body);
    }

    /** The lowest and highest cell of a call's values, and whether any is NaN, infinite or too far out. */
    private static final class Extent {
        int lowest;
        int highest;
        boolean bad;
    }

    /**
     * Each value's cell floor(x/h) and its place in it, t = x/h − floor(x/h), exact in float (x/h
     * is): in the cell just below 0, where 1 + x/h would be rounded, t − 1 = x/h itself, which the
     * cell's table entry takes from its right node, 0 ({@link #fromZero}), so that a value a
     * millionth of a cell below 0 keeps its gradient's relative precision ({@link #belowZero} turns
     * the cell's sums into those of t).
     */
    private static void locate(int from, int to, float[] x, int xOff, float invH, int[] cell, float[] place) {
        int i = from;
        int bound = from + F.loopBound(to - from);
        FloatVector inv = FloatVector.broadcast(F, invH);
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i).mul(inv);
            IntVector c = (IntVector) v.convert(VectorOperators.F2I, 0);
            FloatVector cf = (FloatVector) c.convert(VectorOperators.I2F, 0);
            VectorMask<Float> above = cf.compare(VectorOperators.GT, v);
            c = c.sub(1, above.cast(I));
            cf = cf.sub(1f, above);
            v.sub(cf).blend(v, cf.compare(VectorOperators.EQ, -1f)).intoArray(place, i);
            c.intoArray(cell, i);
        }
        for (; i < to; i++) { // the vector loop's result, lane by lane: the same bits (−0.0 too)
            float v = x[xOff + i] * invH;
            int c = cellOf(v);
            cell[i] = c;
            // exact float of c: below 2^24 every int has one, beyond it v is whole, c = (int) v
            place[i] = c == -1 ? v : v - (float) c;
        }
    }

    /**
     * The start (in cells from the lowest) of the window of {@code cells} cells holding the most
     * values, counted in groups of 64 cells; 0 if the window is the whole span, -1 if the span is
     * too wide even for that count.
     */
    private static int window(int n, int lowest, int span, int cells, int[] cell) {
        if (span == cells) return 0;
        int groups = (span >> 6) + 1;
        if (groups > Math.min(4 * n, MOST_CELLS)) return -1;
        int[] perGroup = new int[groups];
        for (int i = 0; i < n; i++) perGroup[(cell[i] - lowest) >> 6]++;
        int wide = Math.max(1, cells >> 6);
        long inside = 0;
        for (int q = 0; q < Math.min(wide, groups); q++) inside += perGroup[q];
        long best = inside;
        int bestStart = 0;
        for (int q = wide; q < groups; q++) {
            inside += perGroup[q] - perGroup[q - wide];
            if (inside > best) {
                best = inside;
                bestStart = q - wide + 1;
            }
        }
        return Math.min(bestStart << 6, span - cells);
    }

    /**
     * Values per cell of the window and the sums of their places and of their squares, per fixed part of the values and
     * then added in part order (cell by cell, the cells split over the team); then each node's
     * share of the values, (1 − t) of its cell's and t of the cell before's. Unless the window is
     * the values' whole span ({@code whole}), each value's cell is rewritten counted from the
     * window's first (a value outside it gets the extra cell {@code cells}, whose table entry is
     * {@link #DIRECT}).
     *
     * @return the number of values outside the window
     */
    private static int histogram(int n, int cmin, int cells, boolean whole, Scratch s, WorkerTeam team) {
        AtomicInteger outside = new AtomicInteger();
        int part = Math.ceilDiv(Math.ceilDiv(n, PARTS), ALIGN) * ALIGN;
        WorkerTeam.Range parts = (from, to) -> {
            for (int p = from; p < to; p++) {
                int out = histogramPart(p * part, Math.min(n, p * part + part), cmin, cells, whole, s.count[p],
                        s.moments[p], s.cell, s.place);
                outside.addAndGet(out);
            }
        };
        split(team, PARTS, 1, parts);
        split(team, cells, ALIGN, (from, to) -> { // the parts added into the first, in part order
            for (int p = 1; p < PARTS; p++) {
                int[] count = s.count[0];
                double[] moments = s.moments[0];
                for (int c = from; c < to; c++) {
                    count[c] += s.count[p][c];
                    moments[2 * c] += s.moments[p][2 * c];
                    moments[2 * c + 1] += s.moments[p][2 * c + 1];
                }
            }
        });
        belowZero(cmin, cells, s);
        Arrays.fill(s.share, cells + 1, cells + 1 + MixtureNodes.BLOCK, 0);
        Arrays.fill(s.bendShare, cells + 1, cells + 1 + MixtureNodes.BLOCK, 0);
        split(team, cells + 1, ALIGN, (from, to) -> shares(from, to, cells, s));
        return outside.get();
    }

    /**
     * The cell just below 0 summed its values' stored places t − 1 ({@link #locate}): its Σ t and
     * Σ t² from those, Σ t = Σ (t − 1) + n and Σ t² = Σ (t − 1)² + 2·Σ (t − 1) + n, once per call
     * instead of per value.
     */
    private static void belowZero(int cmin, int cells, Scratch s) {
        int c = -1 - cmin;
        if (c < 0 || c >= cells) return;
        double[] moments = s.moments[0];
        double n = s.count[0][c];
        double shifted = moments[2 * c];
        moments[2 * c] = shifted + n;
        moments[2 * c + 1] = moments[2 * c + 1] + 2 * shifted + n;
    }

    /** The nodes' shares of the values for nodes [from, to), from the cells' counts and place sums. */
    private static void shares(int from, int to, int cells, Scratch s) {
        int[] count = s.count[0];
        double[] moments = s.moments[0];
        double[] w = s.share;
        double[] b = s.bendShare;
        double previous = from > 0 ? moments[2 * (from - 1)] : 0;
        double previousSpread = from > 0 ? previous - moments[2 * (from - 1) + 1] : 0;
        for (int c = from; c < to; c++) {
            double own = c < cells ? moments[2 * c] : 0;
            double ownSpread = c < cells ? own - moments[2 * c + 1] : 0;
            w[c] = (c < cells ? count[c] : 0) - own + previous;
            b[c] = 0.5 * (ownSpread + previousSpread);
            previous = own;
            previousSpread = ownSpread;
        }
    }

    private static int histogramPart(int from, int to, int cmin, int cells, boolean whole, int[] count,
                                     double[] moments, int[] cell, float[] place) {
        Arrays.fill(count, 0, cells + 1, 0);
        Arrays.fill(moments, 0, 2 * (cells + 1), 0);
        int outside = 0;
        if (whole) {
            for (int i = from; i < to; i++) {
                int c = cell[i] - cmin;
                double t = place[i]; // t − 1 in the cell just below 0 ({@link #belowZero})
                count[c]++;
                moments[2 * c] += t;
                moments[2 * c + 1] += t * t;
            }
            return 0;
        }
        for (int i = from; i < to; i++) {
            int c = cell[i] - cmin;
            if (Integer.compareUnsigned(c, cells) >= 0) {
                c = cells;
                outside++;
            } else {
                double t = place[i]; // t − 1 in the cell just below 0 ({@link #belowZero})
                count[c]++;
                moments[2 * c] += t;
                moments[2 * c + 1] += t * t;
            }
            cell[i] = c;
        }
        return outside;
    }

    /** The gradient, its scale and the sums on the nodes of the blocks next to cells holding values. */
    private static void table(int cells, int cmin, double h, int k, double[] mu, double[] halfTau, double[] logWeight,
                              Scratch s, double[] sums, WorkerTeam team) {
        MixtureNodes nodes = new MixtureNodes(cmin, h, k, mu, halfTau, logWeight);
        int blocks = MixtureNodes.blocks(cells + 1);
        double[] partial = new double[3 * k * blocks];
        int[] count = s.count[0];
        split(team, blocks, 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                int b0 = b * MixtureNodes.BLOCK;
                // node p serves the checks of cells p − 2 to p + 1
                if (occupied(b0 - 2, b0 + MixtureNodes.BLOCK, cells, count)) {
                    nodes.block(b, cells + 1, s.share, s.bendShare, s.gradient, s.scale, partial);
                }
            }
        });
        for (int b = 0; b < blocks; b++) {
            for (int t = 0; t < 3 * k; t++) sums[t] += partial[3 * k * b + t];
        }
    }

    /** Whether a cell in [from, to] holds values. */
    private static boolean occupied(int from, int to, int cells, int[] count) {
        for (int c = Math.max(0, from); c <= Math.min(cells - 1, to); c++) if (count[c] > 0) return true;
        return false;
    }

    /**
     * The check of every cell that holds values; fills the table entries of those that pass and
     * gives those that fail (and the extra cell of the values outside the window) the entry
     * {@link #DIRECT}. The entries of empty cells are unspecified (some are written, some left from
     * an earlier call): no value reads them. A
     * node's second difference is |(f[p − 1] + f[p + 1]) − 2·f[p]|, the same bits in the vector and
     * the scalar path; the end nodes take their neighbour's (one cell alone fails).
     *
     * @return the number of values in cells that failed
     */
    private static int checked(int cells, Scratch s, WorkerTeam team) {
        double[] f = s.gradient;
        int[] count = s.count[0];
        AtomicInteger failed = new AtomicInteger();
        split(team, cells, ALIGN, (from, to) -> {
            int part = 0;
            int l = D.length();
            int c = from;
            for (; c < to && c < 1; c++) part += checkCell(c, cells, f, count, s);
            // a vector's cells have inner nodes on both sides: c − 1 >= 0 and c + l + 1 <= cells
            for (; c + l <= to && c + l + 1 <= cells; c += l) {
                if (!IntVector.fromArray(I_OF_L, count, c).compare(VectorOperators.NE, 0).anyTrue()) continue;
                DoubleVector before = DoubleVector.fromArray(D, f, c - 1);
                DoubleVector left = DoubleVector.fromArray(D, f, c);
                DoubleVector right = DoubleVector.fromArray(D, f, c + 1);
                DoubleVector after = DoubleVector.fromArray(D, f, c + 2);
                DoubleVector bendLeft = before.add(right).sub(left.add(left)).abs();
                DoubleVector bendRight = left.add(after).sub(right.add(right)).abs();
                DoubleVector error = bendLeft.max(bendRight).mul(0.125);
                DoubleVector limit = DoubleVector.fromArray(D, s.scale, c).min(DoubleVector.fromArray(D, s.scale, c + 1))
                        .mul(CHECK);
                VectorMask<Double> good = error.compare(VectorOperators.LE, limit);
                LongVector low = ((FloatVector) left.convertShape(VectorOperators.D2F, F_OF_L, 0)).reinterpretAsInts()
                        .convertShape(VectorOperators.I2L, L, 0).reinterpretAsLongs().and(0xFFFF_FFFFL);
                LongVector high = ((FloatVector) right.sub(left).convertShape(VectorOperators.D2F, F_OF_L, 0))
                        .reinterpretAsInts().convertShape(VectorOperators.I2L, L, 0).reinterpretAsLongs()
                        .lanewise(VectorOperators.LSHL, 32);
                LongVector entry = low.or(high);
                VectorMask<Long> bad = good.cast(L).not();
                entry.blend(0L, entry.compare(VectorOperators.EQ, DIRECT)).blend(DIRECT, bad).intoArray(s.table, c);
                if (bad.anyTrue()) {
                    for (int lane = 0; lane < l; lane++) if (bad.laneIsSet(lane)) part += count[c + lane];
                }
            }
            for (; c < to; c++) part += checkCell(c, cells, f, count, s);
            failed.addAndGet(part);
        });
        s.table[cells] = DIRECT;
        return failed.get();
    }

    /**
     * The entry of the cell just below 0, if the window holds it and it passed its check: its value
     * at its right node, 0, with the same slope, for the places {@link #locate} stores there
     * (t − 1, from −1 to 0).
     */
    private static void fromZero(int cmin, int cells, Scratch s) {
        int c = -1 - cmin;
        if (c < 0 || c >= cells || s.count[0][c] == 0 || s.table[c] == DIRECT) return;
        double[] f = s.gradient;
        s.table[c] = checkedEntry((float) f[c + 1], (float) (f[c + 1] - f[c]));
    }

    /** {@link #checked} for cell c alone; returns its count if it failed, else 0. */
    private static int checkCell(int c, int cells, double[] f, int[] count, Scratch s) {
        if (count[c] == 0) return 0;
        // the linear interpolation's error mid-cell, f''·h²/8
        double error = Math.max(bend(f, c, cells), bend(f, c + 1, cells)) * 0.125;
        boolean good = error <= CHECK * Math.min(s.scale[c], s.scale[c + 1]);
        s.table[c] = good ? checkedEntry((float) f[c], (float) (f[c + 1] - f[c])) : DIRECT;
        return good ? 0 : count[c];
    }

    /** The second difference at node p of a table of {@code cells} cells (see {@link #checked}). */
    private static double bend(double[] f, int p, int cells) {
        if (cells < 2) return Double.NaN;
        p = Math.max(1, Math.min(cells - 1, p));
        return Math.abs((f[p - 1] + f[p + 1]) - (f[p] + f[p]));
    }

    /** {@link #entry} of a cell that passed its check: never {@link #DIRECT} (+0 then takes the slope's place). */
    static long checkedEntry(float value, float slope) {
        long entry = entry(value, slope);
        return entry == DIRECT ? 0 : entry;
    }

    /** A cell's table entry: its value at the left node in the low 32 bits, the slope in the high. */
    private static long entry(float value, float slope) {
        return (long) Float.floatToRawIntBits(slope) << 32 | Float.floatToRawIntBits(value) & 0xFFFF_FFFFL;
    }

    /**
     * Takes the values of the cells that failed the check out of the sums: their shares at the
     * cell's two nodes, times the nodes' terms computed afresh (all components, from each node's
     * largest exponent), subtracted; the direct computation adds them back exactly.
     */
    private static void unbin(int cells, int cmin, double h, int k, double[] mu, double[] halfTau, double[] logWeight,
                              Scratch s, double[] sums) {
        double[] a = new double[k];
        for (int c = 0; c < cells; c++) {
            if (s.table[c] != DIRECT || s.count[0][c] == 0) continue; // (an empty cell's entry is left from before)
            double right = s.moments[0][2 * c];
            double bend = 0.5 * (right - s.moments[0][2 * c + 1]); // ½ Σ t(1 − t)
            subtractTerms((double) (cmin + c) * h, s.count[0][c] - right, bend * h * h, k, mu, halfTau, logWeight, a, sums);
            subtractTerms((double) (cmin + c + 1) * h, right, bend * h * h, k, mu, halfTau, logWeight, a, sums);
        }
    }

    private static void subtractTerms(double x, double share, double bend, int k, double[] mu, double[] halfTau,
                                      double[] logWeight, double[] a, double[] sums) {
        if (share == 0 && bend == 0) return;
        double z = MixtureExponents.exponentials(x, k, mu, halfTau, logWeight, a); // dropping what the table drops
        for (int j = 0; j < k; j++) {
            double w = a[j] / z * share;
            double d = x - mu[j];
            sums[j] -= w * 2 * halfTau[j] * d;
            sums[k + j] -= w * halfTau[j] * d * d - a[j] / z * bend * halfTau[j];
            sums[2 * k + j] -= w;
        }
    }

    /**
     * g[i] += scale·(value[c] + t·slope[c]) for each value's cell c (base + its entry in cell) and
     * place t; value and slope of a cell are one long of the table (the slope's bits high), so one
     * gather of longs serves as many values as a long vector has lanes. The values whose entry is
     * {@link #DIRECT} (they get +0 here) go, in order, to {@code direct} from index {@code from}.
     *
     * @return how many values went to {@code direct}
     */
    private static int interpolate(int from, int to, float[] g, int gOff, float scale, int[] cell, int base,
                                   float[] place, long[] table, int[] direct) {
        int found = 0;
        int i = from;
        int bound = from + L.loopBound(to - from);
        for (; i < bound; i += L.length()) {
            LongVector entry = LongVector.fromArray(L, table, base, cell, i);
            FloatVector v = entry.convertShape(VectorOperators.L2I, I_OF_L, 0).reinterpretAsFloats();
            FloatVector sl = entry.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, I_OF_L, 0)
                    .reinterpretAsFloats();
            FloatVector t = FloatVector.fromArray(F_OF_L, place, i);
            FloatVector gv = FloatVector.fromArray(F_OF_L, g, gOff + i);
            gv.add(t.fma(sl, v).mul(scale)).intoArray(g, gOff + i);
            for (long marked = entry.compare(VectorOperators.EQ, DIRECT).toLong(); marked != 0; marked &= marked - 1) {
                direct[from + found++] = i + Long.numberOfTrailingZeros(marked); // lanes in order
            }
        }
        for (; i < to; i++) {
            long entry = table[base + cell[i]];
            float v = Float.intBitsToFloat((int) entry);
            float sl = Float.intBitsToFloat((int) (entry >>> 32));
            g[gOff + i] += Math.fma(place[i], sl, v) * scale;
            if (entry == DIRECT) direct[from + found++] = i;
        }
        return found;
    }

    /**
     * The values outside the window and those in cells that failed the check: computed directly
     * on a compact copy, their gradients added back (the table gave them 0), their sums into
     * {@code local}. The interpolation has listed them, part by part ({@code directFound}); the
     * parts' lists are joined in order, so the copy is the same for any thread count. Called
     * after the interpolation: the places' array holds their gradients.
     */
    private static void directly(int n, float[] x, int xOff, float[] g, int gOff, float scale, int k, double[] mu,
                                 double[] halfTau, double[] logWeight, double[] local, Scratch s, Direct direct) {
        int[] index = s.directIndex;
        int m = 0;
        for (int part = 0; part <= n / ALIGN; part++) {
            int found = s.directFound[part];
            if (found > 0) {
                System.arraycopy(index, part * ALIGN, index, m, found); // down or in place
                m += found;
            }
        }
        float[] xo = s.directValue;
        for (int q = 0; q < m; q++) xo[q] = x[xOff + index[q]];
        float[] go = s.place;
        Arrays.fill(go, 0, m, 0f);
        direct.apply(m, xo, 0, go, 0, scale, k, mu, halfTau, logWeight, local);
        for (int q = 0; q < m; q++) g[gOff + index[q]] += go[q];
    }
}
