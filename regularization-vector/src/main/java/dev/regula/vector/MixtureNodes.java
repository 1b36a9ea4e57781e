package dev.regula.vector;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The mixture prior's gradient and per-component terms on the nodes x_c = (c0 + c)·h of a grid,
 * in double lanes of consecutive nodes, for {@link MixturePriorTable}: at each node the gradient
 * f = Σ_j r_j·τ_j·d_j and Σ_j r_j·τ_j·|d_j| (for the check), and the sums Σ_j-wise of the node's
 * terms r_j·τ_j·d_j, r_j·h_j·d_j² and r_j, each weighted by the node's share of the values.
 *
 * <p>Per block of {@value #BLOCK} nodes, s bounds every exponent a_j = w_j − h_j·d_j² from above
 * and each component's e^(a_j − s) is stepped from node to node by two multiplications (the ratio
 * of a Gaussian between equally spaced points is itself geometric), seeded by one
 * {@link StrictMath#exp} pair per block and component; components whose exponent stays more than
 * 24·ln 2 + 1 below the block's least largest exponent are left out (their responsibilities are
 * below 2^−24, which the kernels' contract lets a float provider drop). A block whose in-reach
 * exponents span more than {@value #SLOW} natural orders (where e^(a − s) could underflow) is
 * computed node by node. Blocks are independent: they may run on several threads, each block's
 * sums kept apart and added in block order, so the result does not depend on the thread count.
 */
final class MixtureNodes {
    /** Nodes per block (a multiple of every lane count). */
    static final int BLOCK = 1024;
    /** A block whose in-reach exponents span more than this (natural orders) goes node by node. */
    static final double SLOW = 600;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private final double origin;
    private final double h;
    private final int k;
    private final double[] mu;
    private final double[] halfTau;
    private final double[] logWeight;
    /** A lane's ratio changes by this from one group of lanes to the next, per component. */
    private final double[] rhoGroup;
    /** The ratio e(x + h)/e(x) changes by this from node to node, per component. */
    private final double[] rho;
    private final double[] laneOffsets;

    /**
     * @param origin c0: node c lies at (c0 + c)·h
     * @param h the spacing
     */
    MixtureNodes(double origin, double h, int k, double[] mu, double[] halfTau, double[] logWeight) {
        this.origin = origin;
        this.h = h;
        this.k = k;
        this.mu = mu;
        this.halfTau = halfTau;
        this.logWeight = logWeight;
        int l = D.length();
        rho = new double[k];
        rhoGroup = new double[k];
        for (int j = 0; j < k; j++) {
            rho[j] = StrictMath.exp(-2 * halfTau[j] * h * h);
            rhoGroup[j] = 1;
            for (int i = 0; i < l * l; i++) rhoGroup[j] *= rho[j];
        }
        laneOffsets = new double[l];
        for (int lane = 0; lane < l; lane++) laneOffsets[lane] = lane * h;
    }

    /** One thread's working arrays for a block, kept between calls. */
    private static final class Scratch {
        double[] normaliser = new double[BLOCK];
        double[] share = new double[BLOCK];
        double[] bendShare = new double[BLOCK];
        double[] lanes = new double[0];
        double[] acc = new double[0];
        double[] terms = new double[0];
        double[] peak = new double[0];
        double[] least = new double[0];
        int[] reach = new int[0];

        Scratch fit(int k) {
            if (reach.length < k) {
                int l = D.length();
                reach = new int[k];
                lanes = new double[2 * k * l];
                acc = new double[3 * k * l];
                terms = new double[k];
                peak = new double[k];
                least = new double[k];
            }
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** @return the number of blocks over {@code nodes} nodes */
    static int blocks(int nodes) {
        return Math.ceilDiv(nodes, BLOCK);
    }

    /**
     * Computes block b of {@code nodes} nodes into gradient, scale (at least b·BLOCK + BLOCK long)
     * and its 3k sums into partial[3k·b, 3k·b + 3k).
     *
     * @param share each node's share of the values (its sums' weight)
     * @param bend each node's share of Σ t(1 − t) of the values around it: linear binning puts
     *     h_j·h²·t(1 − t) too much into Σ r_j·h_j·d_j² per value, which this takes back
     */
    void block(int b, int nodes, double[] share, double[] bend, double[] gradient, double[] scale, double[] partial) {
        int b0 = b * BLOCK;
        int b1 = Math.min(nodes, b0 + BLOCK);
        Scratch s = SCRATCH.get().fit(k);
        double xa = (origin + b0) * h;
        // the lanes run to whole vectors past b1: bound the exponents there too, so none overflows or all underflow
        double xb = (origin + b0 + Math.ceilDiv(b1 - b0, D.length()) * D.length() - 1) * h;
        double[] peak = s.peak; // each component's largest and least exponent over the block
        double[] least = s.least;
        double top = Double.NEGATIVE_INFINITY;
        double floor = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double aa = MixtureExponents.exponent(xa, mu[j], halfTau[j], logWeight[j]);
            double ab = MixtureExponents.exponent(xb, mu[j], halfTau[j], logWeight[j]);
            peak[j] = mu[j] >= xa && mu[j] <= xb ? logWeight[j] : Math.max(aa, ab);
            least[j] = Math.min(aa, ab);
            top = Math.max(top, peak[j]);
            floor = Math.max(floor, least[j]);
        }
        int m = 0;
        boolean slow = false;
        for (int j = 0; j < k; j++) {
            if (peak[j] < floor - MixtureExponents.REACH) continue;
            s.reach[m++] = j;
            if (least[j] < top - SLOW) slow = true;
        }
        int out = 3 * k * b;
        if (slow) {
            nodeByNode(b0, b1, share, bend, gradient, scale, partial, out, s.terms);
            return;
        }
        seed(m, xa, top, s);
        run(b0, b1, m, xa, share, bend, gradient, scale, s);
        int l = D.length();
        for (int j = 0; j < k; j++) {
            for (int t = 0; t < 3; t++) {
                double sum = 0;
                for (int lane = 0; lane < l; lane++) sum += s.acc[3 * j * l + t * l + lane];
                partial[out + t * k + j] = sum;
            }
        }
    }


    /**
     * Per reached component q, lanes [2ql, 2ql + l): e^(a_j − top) at the block's first l nodes;
     * [2ql + l, 2ql + 2l): each lane's ratio to the node l further on.
     */
    private void seed(int m, double xa, double top, Scratch s) {
        int l = D.length();
        double[] ratio = new double[2 * l];
        for (int q = 0; q < m; q++) {
            int j = s.reach[q];
            double d0 = xa - mu[j];
            double e = StrictMath.exp(MixtureExponents.exponent(xa, mu[j], halfTau[j], logWeight[j]) - top);
            ratio[0] = StrictMath.exp(-halfTau[j] * h * (2 * d0 + h)); // e(x + h)/e(x) at xa
            for (int i = 1; i < 2 * l; i++) ratio[i] = ratio[i - 1] * rho[j];
            int o = 2 * q * l;
            for (int lane = 0; lane < l; lane++) {
                s.lanes[o + lane] = e;
                e *= ratio[lane];
                double r = 1;
                for (int i = lane; i < lane + l; i++) r *= ratio[i];
                s.lanes[o + l + lane] = r;
            }
        }
    }

    /**
     * The block from its seeds, component by component with each component's terms in registers:
     * first the normaliser, Σ e·τd and Σ e·τ|d| per node, then (where the block's nodes hold
     * values) each component's sums over the nodes, weighted by their shares, into the lane sums.
     */
    private void run(int b0, int b1, int m, double xa, double[] weights, double[] bends, double[] num, double[] abs,
                     Scratch s) {
        int l = D.length(); // a constant to C2: the loops below are counted, their range checks hoisted
        double[] lanes = s.lanes;
        double[] z = s.normaliser;
        double[] share = s.share;
        double[] bendShare = s.bendShare;
        int end = b0 + Math.ceilDiv(b1 - b0, l) * l;
        Arrays.fill(z, 0, end - b0, 0);
        Arrays.fill(num, b0, end, 0);
        Arrays.fill(abs, b0, end, 0);
        Arrays.fill(s.acc, 0, 3 * k * l, 0);
        DoubleVector first = DoubleVector.broadcast(D, xa).add(DoubleVector.fromArray(D, laneOffsets, 0));
        double stride = l * h;
        for (int q = 0; q < m; q++) {
            int j = s.reach[q];
            DoubleVector e = DoubleVector.fromArray(D, lanes, 2 * q * l);
            DoubleVector r = DoubleVector.fromArray(D, lanes, 2 * q * l + l);
            double muj = mu[j];
            double tau = 2 * halfTau[j];
            double rhoj = rhoGroup[j];
            DoubleVector x = first;
            for (int p = b0; p < end; p += l) {
                DoubleVector td = x.sub(muj).mul(tau);
                e.add(DoubleVector.fromArray(D, z, p - b0)).intoArray(z, p - b0);
                e.fma(td, DoubleVector.fromArray(D, num, p)).intoArray(num, p);
                e.fma(td.abs(), DoubleVector.fromArray(D, abs, p)).intoArray(abs, p);
                e = e.mul(r);
                r = r.mul(rhoj);
                x = x.add(stride);
            }
        }
        boolean shared = false;
        for (int p = b0; p < end; p += l) {
            DoubleVector zinv = DoubleVector.broadcast(D, 1).div(DoubleVector.fromArray(D, z, p - b0));
            DoubleVector.fromArray(D, num, p).mul(zinv).intoArray(num, p);
            DoubleVector.fromArray(D, abs, p).mul(zinv).intoArray(abs, p);
            DoubleVector w = DoubleVector.fromArray(D, weights, p).mul(zinv);
            w.intoArray(share, p - b0);
            DoubleVector.fromArray(D, bends, p).mul(zinv).intoArray(bendShare, p - b0);
            shared |= w.compare(VectorOperators.NE, 0).anyTrue();
        }
        if (!shared) return;
        for (int q = 0; q < m; q++) {
            int j = s.reach[q];
            DoubleVector e = DoubleVector.fromArray(D, lanes, 2 * q * l);
            DoubleVector r = DoubleVector.fromArray(D, lanes, 2 * q * l + l);
            double muj = mu[j];
            double rhoj = rhoGroup[j];
            DoubleVector x = first;
            DoubleVector sumD = DoubleVector.zero(D);
            DoubleVector sumD2 = DoubleVector.zero(D);
            DoubleVector sumW = DoubleVector.zero(D);
            DoubleVector sumBend = DoubleVector.zero(D);
            for (int p = b0; p < end; p += l) {
                DoubleVector w = e.mul(DoubleVector.fromArray(D, share, p - b0));
                DoubleVector d = x.sub(muj);
                DoubleVector wd = w.mul(d);
                sumD = sumD.add(wd);
                sumD2 = wd.fma(d, sumD2);
                sumW = sumW.add(w);
                sumBend = e.fma(DoubleVector.fromArray(D, bendShare, p - b0), sumBend);
                e = e.mul(r);
                r = r.mul(rhoj);
                x = x.add(stride);
            }
            int a = 3 * j * l;
            sumD.mul(2 * halfTau[j]).intoArray(s.acc, a);
            sumD2.sub(sumBend.mul(h * h)).mul(halfTau[j]).intoArray(s.acc, a + l);
            sumW.intoArray(s.acc, a + 2 * l);
        }
    }

    /** A block whose exponents span too far for one shift: every node from its own largest exponent. */
    private void nodeByNode(int b0, int b1, double[] weights, double[] bends, double[] gradient, double[] scale,
                            double[] partial, int out, double[] a) {
        Arrays.fill(partial, out, out + 3 * k, 0);
        for (int p = b0; p < b1; p++) {
            double x = (origin + p) * h;
            double z = MixtureExponents.exponentials(x, k, mu, halfTau, logWeight, a);
            double num = 0;
            double abs = 0;
            double share = weights[p] / z;
            double bend = bends[p] / z * h * h;
            for (int j = 0; j < k; j++) {
                double d = x - mu[j];
                double td = 2 * halfTau[j] * d;
                num += a[j] * td;
                abs += a[j] * Math.abs(td);
                double w = a[j] * share;
                partial[out + j] += w * td;
                partial[out + k + j] += (w * d * d - a[j] * bend) * halfTau[j];
                partial[out + 2 * k + j] += w;
            }
            gradient[p] = num / z;
            scale[p] = abs / z;
        }
    }
}
