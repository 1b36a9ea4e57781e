package dev.regula.api.kernels;

/**
 * The compute SPI: every numeric loop of a training step goes through it, so that core's scalar
 * implementation and the SIMD one in {@code dev.regula.vector} are interchangeable.
 *
 * <p>Arrays are passed with offsets (and leading dimensions for matrices, row-major) so kernels
 * work on parts of tensors without copying. Implementations must be thread-safe and allocate
 * nothing per call in their hot loops. Results of a SIMD implementation may differ from the scalar
 * one only by floating-point reassociation (documented tolerance: relative 1e-5 for reductions
 * and GEMM on the sizes used in tests) and, for {@link #tanh} and {@link #sigmoid}, by the one ulp
 * their documentation allows; random masks must be bit-identical. Whatever an implementation
 * computes must not depend on the thread count, on where an element sits in its array, or on
 * whether the JIT has compiled the kernel yet, so that a run is reproducible from its seed.
 */
public interface Kernels {
    /** @return a short name, e.g. {@code scalar} or {@code vector(AVX2 256-bit)} */
    String name();

    /**
     * C = alpha·op(A)·op(B) + beta·C, row-major, op(X) = X or Xᵀ. op(A) is m×k, op(B) is k×n, C is m×n.
     * With beta = 0, C is overwritten (NaN in C is not propagated).
     *
     * @param transA use Aᵀ (A is stored k×m)
     * @param transB use Bᵀ (B is stored n×k)
     * @param m rows of C
     * @param n columns of C
     * @param k inner dimension
     * @param alpha scale of the product
     * @param a A's array
     * @param aOff A's offset
     * @param lda A's row stride
     * @param b B's array
     * @param bOff B's offset
     * @param ldb B's row stride
     * @param beta scale of the existing C
     * @param c C's array
     * @param cOff C's offset
     * @param ldc C's row stride
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /** y[i] += alpha·x[i]. @param n count @param alpha scale @param x source @param xOff offset @param y target @param yOff offset */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** x[i] *= alpha. @param n count @param alpha scale @param x array @param off offset */
    void scale(int n, float alpha, float[] x, int off);

    /**
     * @param n count @param x first @param xOff offset @param y second @param yOff offset
     * @return Σ x[i]·y[i], accumulated in double or pairwise; finite in double range for finite
     *     inputs (never an overflow of float partial sums), NaN or ±Inf only where an input is
     */
    double dot(int n, float[] x, int xOff, float[] y, int yOff);

    /**
     * @param n count @param x array @param off offset
     * @return Σ x[i]²; NaN or +Inf if any x[i] is NaN or ±Inf (NaN and infinity propagate, as in
     *     plain arithmetic), so the training pipeline's finite check after backward rides on the
     *     gradient norms' pass; finite values give a finite sum (their squares are summed in double
     *     range: a float accumulator that overflows is summed again in double)
     */
    double sumSquares(int n, float[] x, int off);

    /** @param n count @param x array @param off offset @return Σ |x[i]|, finite for finite inputs (summed in double range) */
    double sumAbs(int n, float[] x, int off);

    /**
     * @param n count @param x array @param off offset
     * @return max |x[i]|, 0 for n = 0; NaN if any x[i] is NaN, else +Inf if any is ±Inf (as
     *     {@link Math#max} propagates them), so one call tells whether an array is all finite
     */
    float maxAbs(int n, float[] x, int off);

    /**
     * Whether every value is finite: the training pipeline asks this of parameters and
     * gradients after the stages of a step, so providers should make it as fast as a memory scan.
     *
     * @param n count @param x array @param off offset
     * @return true if no x[i] is NaN or ±Inf (true for n = 0)
     */
    default boolean allFinite(int n, float[] x, int off) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x[off + i])) return false;
        }
        return true;
    }

    /**
     * Gathers rows: row r of {@code dst} becomes row {@code index[indexOff + r]} of {@code src},
     * for r in [0, rows), rows being {@code rowSize} floats long. It assembles shuffled training
     * batches, whose rows come from all over a data set too large for the caches, so providers
     * may split it over threads to have more memory reads in flight.
     *
     * @param rows rows to gather
     * @param rowSize floats per row
     * @param src the rows to gather from
     * @param index row numbers in {@code src}
     * @param indexOff first entry of {@code index} used
     * @param dst receives {@code rows × rowSize} floats
     * @throws IndexOutOfBoundsException if a row lies outside {@code src} or {@code dst}
     */
    default void gatherRows(int rows, int rowSize, float[] src, int[] index, int indexOff, float[] dst) {
        for (int r = 0; r < rows; r++) System.arraycopy(src, index[indexOff + r] * rowSize, dst, r * rowSize, rowSize);
    }

    /** L1 gradient: g[i] += alpha·sign(x[i]) (sign(0) = 0). @param n count @param alpha λ @param x values @param xOff offset @param g gradient @param gOff offset */
    void addScaledSign(int n, float alpha, float[] x, int xOff, float[] g, int gOff);

    /** Soft-thresholding, the proximal operator of t·‖x‖₁: x ← sign(x)·max(|x| − t, 0), exact zeros. @param n count @param t threshold ≥ 0 @param x array @param off offset */
    void softThreshold(int n, float t, float[] x, int off);

    /** x ← min(max(x, lo), hi). @param n count @param lo lower bound @param hi upper bound @param x array @param off offset */
    void clamp(int n, float lo, float hi, float[] x, int off);

    /** y = max(x, 0) (may alias). @param n count @param x input @param xOff offset @param y output @param yOff offset */
    void relu(int n, float[] x, int xOff, float[] y, int yOff);

    /** gIn = x &gt; 0 ? gOut : 0. @param n count @param x the forward input @param gOut ∂L/∂y @param gIn receives ∂L/∂x (may alias gOut) */
    void reluBackward(int n, float[] x, float[] gOut, float[] gIn);

    /**
     * The leaky rectifier y = x &gt; 0 ? x : slope·x (may alias). The default is the scalar
     * reference; providers must give the same bits.
     *
     * @param n count
     * @param slope the slope for x ≤ 0
     * @param x input
     * @param y output
     */
    default void leakyRelu(int n, float slope, float[] x, float[] y) {
        for (int i = 0; i < n; i++) {
            float v = x[i];
            y[i] = v > 0f ? v : slope * v;
        }
    }

    /**
     * gIn = x &gt; 0 ? gOut : slope·gOut (gIn may alias gOut). The default is the scalar reference;
     * providers must give the same bits.
     *
     * @param n count
     * @param slope the slope for x ≤ 0
     * @param x the forward input
     * @param gOut ∂L/∂y
     * @param gIn receives ∂L/∂x
     */
    default void leakyReluBackward(int n, float slope, float[] x, float[] gOut, float[] gIn) {
        for (int i = 0; i < n; i++) gIn[i] = x[i] > 0f ? gOut[i] : slope * gOut[i];
    }

    /**
     * y = tanh(x) (may alias). The default rounds {@link Math#tanh} to float; a provider may
     * differ from it by one ulp, keeping ±0 and ±1 at ±∞ exactly; NaN gives NaN.
     *
     * @param n count
     * @param x input
     * @param y output
     */
    default void tanh(int n, float[] x, float[] y) {
        for (int i = 0; i < n; i++) y[i] = (float) Math.tanh(x[i]);
    }

    /**
     * gIn = gOut·(1 − y²), the derivative of tanh from its output (gIn may alias gOut). The default
     * is the scalar reference; providers must give the same bits.
     *
     * @param n count
     * @param y the forward output tanh(x)
     * @param gOut ∂L/∂y
     * @param gIn receives ∂L/∂x
     */
    default void tanhBackward(int n, float[] y, float[] gOut, float[] gIn) {
        for (int i = 0; i < n; i++) gIn[i] = gOut[i] * (1f - y[i] * y[i]);
    }

    /**
     * The logistic function y = σ(x) = 1/(1 + e^−x) (may alias), in the form that never overflows:
     * with e = e^−|x|, 1/(1 + e) for x ≥ 0 and e/(1 + e) below. The default computes it in double
     * and rounds to float; a provider may differ from that by one ulp, keeping 0 at −∞ and 1 at +∞
     * exactly; NaN gives NaN.
     *
     * @param n count
     * @param x input
     * @param y output
     */
    default void sigmoid(int n, float[] x, float[] y) {
        for (int i = 0; i < n; i++) {
            float v = x[i];
            double e = Math.exp(-Math.abs((double) v));
            y[i] = (float) (v >= 0f ? 1.0 / (1.0 + e) : e / (1.0 + e));
        }
    }

    /**
     * gIn = gOut·y·(1 − y), the derivative of σ from its output (gIn may alias gOut). The default
     * is the scalar reference; providers must give the same bits.
     *
     * @param n count
     * @param y the forward output σ(x)
     * @param gOut ∂L/∂y
     * @param gIn receives ∂L/∂x
     */
    default void sigmoidBackward(int n, float[] y, float[] gOut, float[] gIn) {
        for (int i = 0; i < n; i++) gIn[i] = gOut[i] * y[i] * (1f - y[i]);
    }

    /**
     * The gradient of a Gaussian-mixture log-prior over n values (soft weight sharing, Nowlan &amp;
     * Hinton 1992, Ullrich et al. 2017). With d_ij = x_i − μ_j, the component exponents
     * a_ij = w_j − h_j·d_ij² (w_j = log π_j + log √(τ_j/2π), h_j = τ_j/2) and the
     * responsibilities r_ij = exp(a_ij)/Σ_l exp(a_il), it adds
     * <pre>
     * g[gOff + i] += scale·Σ_j r_ij·2h_j·d_ij          (= −scale·∂ log p(x_i)/∂x_i)
     * sums[j]      += Σ_i r_ij·2h_j·d_ij
     * sums[k + j]  += Σ_i r_ij·h_j·d_ij²
     * sums[2k + j] += Σ_i r_ij
     * </pre>
     * from which the caller forms the gradients of the means (−sums[j]), log-precisions
     * (−(sums[2k + j]/2 − sums[k + j])) and mixing logits. The responsibilities come from
     * exp(a_ij − max_l a_il), so any exponents a double holds are safe.
     *
     * <p>The default is the scalar reference, in double: blocks of 256 values, components whose
     * exponent lies more than 50 below the largest skipped (responsibility under 2e-22, beneath
     * double rounding of a normaliser ≥ 1). A provider may compute in float lanes: its g must
     * agree with the reference within 1e-5 of scale·max_j 2h_j·|d_ij| per value and its sums within
     * 1e-5 of the sums of the absolute terms, except that it may drop, from g and from the sums,
     * the terms whose responsibility is below 2^−24 (float resolution: a component whose exponent
     * lies more than 24·ln 2 below the value's largest), and that where a value lies far from every
     * component its responsibilities may carry the float rounding of its exponents (a relative
     * error of about 6e-8·|a_ij|, which passes 1e-5 only some 18 standard deviations out). Float
     * lanes have a narrower domain than the reference: a call whose |λ| is 2^100 or more, or one of
     * whose h_j lies outside [2^−100, 2^100], is computed as the reference computes it; a value
     * with |d_ij|·√h_j ≥ 2^50 from every mean (a weight no training keeps) may get a NaN gradient.
     * A value's bits may depend on the other values of the call (which terms a vector drops),
     * never on the thread count nor on where the call's values sit in their arrays. With a NaN or
     * infinite value, that value's gradient is NaN and the sums are unspecified.
     *
     * @param n values
     * @param x the values (weights)
     * @param xOff offset of the first value
     * @param g receives the scaled gradient
     * @param gOff offset in g
     * @param scale factor of the added gradient (λ)
     * @param k components, ≥ 1
     * @param mu the means, k values
     * @param halfTau h_j = τ_j/2 &gt; 0, k values
     * @param logWeight w_j, k values
     * @param sums 3k accumulators, added to
     * @throws IllegalArgumentException if n &lt; 0, k &lt; 1, or mu, halfTau, logWeight or sums hold
     *     fewer values than stated, before anything is written
     * @throws IndexOutOfBoundsException if x or g hold fewer than offset + n values, before anything
     *     is written
     */
    default void mixturePriorGradient(int n, float[] x, int xOff, float[] g, int gOff, double scale, int k,
                                      double[] mu, double[] halfTau, double[] logWeight, double[] sums) {
        MixturePrior.checkArguments(n, x, xOff, g, gOff, k, mu, halfTau, logWeight, sums);
        MixturePrior.reference(n, x, xOff, g, gOff, scale, k, mu, halfTau, logWeight, sums);
    }

    /** out[r][c] += bias[c] for every row. @param rows rows @param cols columns @param bias vector of cols @param out matrix */
    void addRowVector(int rows, int cols, float[] bias, float[] out);

    /** acc[c] += Σ_r x[r][c]. @param rows rows @param cols columns @param x matrix @param acc accumulator of cols */
    void addColumnSums(int rows, int cols, float[] x, float[] acc);

    /**
     * SGD with momentum, fused: v ← μ·v + g; θ ← θ − lr·(nesterov ? g + μ·v : v). With μ = 0, plain
     * SGD, and v is neither read nor written.
     *
     * @param n count
     * @param lr learning rate
     * @param momentum μ
     * @param nesterov use Nesterov momentum
     * @param p parameters
     * @param g gradients
     * @param v velocity
     */
    void sgdMomentum(int n, float lr, float momentum, boolean nesterov, float[] p, float[] g, float[] v);

    /**
     * Coupled weight decay, SGD with momentum and a finiteness check, as one step: g ← g + decay·θ
     * (written back, exactly as {@link #axpy}; skipped when decay = 0), then the
     * {@link #sgdMomentum} update, then whether every updated θ is finite. One test of θ suffices:
     * a NaN or Inf in g, in v or in g + decay·θ always reaches θ (0·Inf is NaN, so even with lr = 0).
     * The default makes the three calls; a provider may fuse them into one pass over the arrays.
     *
     * @param n count
     * @param lr learning rate
     * @param momentum μ
     * @param nesterov use Nesterov momentum
     * @param decay the decay coefficient added to the gradient, 0 for none
     * @param p parameters
     * @param g gradients (receive g + decay·θ)
     * @param v velocity (not read or written when μ = 0; may then be null)
     * @return true if every updated parameter is finite
     */
    default boolean sgdMomentumWithDecay(int n, float lr, float momentum, boolean nesterov, float decay,
                                         float[] p, float[] g, float[] v) {
        if (decay != 0f) axpy(n, decay, p, 0, g, 0);
        sgdMomentum(n, lr, momentum, nesterov, p, g, v);
        return allFinite(n, p, 0);
    }

    /**
     * Adam, fused: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; θ ← θ − lr·(m/bc1)/(√(v/bc2) + ε).
     *
     * @param n count
     * @param lr learning rate
     * @param beta1 β1
     * @param beta2 β2
     * @param eps ε
     * @param bc1 bias correction 1 − β1^t
     * @param bc2 bias correction 1 − β2^t
     * @param p parameters
     * @param g gradients
     * @param m first moment
     * @param v second moment
     */
    void adam(int n, float lr, float beta1, float beta2, float eps, float bc1, float bc2,
              float[] p, float[] g, float[] m, float[] v);

    /**
     * Inverted dropout with a counter-based mask: element i is dropped when
     * {@link CounterRng#uniform(long, long)}(key, i) &lt; p, kept ones are scaled by 1/(1−p).
     * mask[i] receives the factor applied (0 or 1/(1−p)) so backward multiplies by it.
     *
     * @param n count
     * @param p drop probability in [0, 1)
     * @param key the stream key, {@link CounterRng#key(long, long, long)}
     * @param x input
     * @param y output (may alias x)
     * @param mask receives the factors
     */
    void dropout(int n, float p, long key, float[] x, float[] y, float[] mask);

    /** z[i] = x[i]·y[i] (may alias). @param n count @param x first @param y second @param z output */
    void multiply(int n, float[] x, float[] y, float[] z);

    /**
     * Row-wise softmax: out[r] = exp(x[r] − max)/Σ (may alias).
     *
     * @param rows rows
     * @param cols columns
     * @param x logits
     * @param out probabilities
     */
    void softmaxRows(int rows, int cols, float[] x, float[] out);

    /**
     * The convolution y = conv(x, w) + bias of {@code g}: y[n, o, oy, ox] = bias[o] + Σ over c, ki, kj
     * of w[o, c, ki, kj]·x[n, c, oy·s − p + ki, ox·s − p + kj], terms in the padding being 0.
     * {@code y} (g.outputSize() values) is overwritten; {@code bias} may be null (no bias). The
     * order in which the terms are summed is the implementation's, but it must not depend on the
     * thread count (results agree with the scalar reference within a relative 1e-5 of Σ|terms|).
     *
     * @param g the geometry
     * @param x the input batch, g.inputSize() values
     * @param w the weight [outChannels, inChannels, kernel, kernel]
     * @param bias the bias [outChannels] or null
     * @param y the output batch, overwritten
     */
    void conv2d(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y);

    /**
     * The adjoint of {@link #conv2d} in its input (the input gradient of a convolution, and the
     * forward pass of a transposed convolution): gx[n, c, iy, ix] = Σ of w[o, c, ki, kj]·gy[n, o, oy, ox]
     * over every (o, ki, kj, oy, ox) with oy·s − p + ki = iy and ox·s − p + kj = ix, plus
     * {@code bias[c]} when {@code bias} (of inChannels values) is not null. {@code gx}
     * (g.inputSize() values) is overwritten.
     *
     * @param g the geometry of the convolution
     * @param gy a batch shaped like its output, g.outputSize() values
     * @param w the weight [outChannels, inChannels, kernel, kernel]
     * @param bias [inChannels] added to the result, or null
     * @param gx the result, overwritten
     */
    void conv2dBackwardInput(ConvGeometry g, float[] gy, float[] w, float[] bias, float[] gx);

    /**
     * The weight gradient of {@link #conv2d}: gw = beta·gw + Σ over n, oy, ox of
     * gy[n, o, oy, ox]·x[n, c, oy·s − p + ki, ox·s − p + kj] at [o, c, ki, kj]. With beta = 0,
     * {@code gw} is overwritten (NaN in it is not propagated).
     *
     * @param g the geometry
     * @param x the input batch, g.inputSize() values
     * @param gy the output gradient, g.outputSize() values
     * @param beta scale of the existing gw
     * @param gw the weight gradient [outChannels, inChannels, kernel, kernel]
     */
    void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] gy, float beta, float[] gw);
    /**
     * Max pooling of {@code g}: y[n, c, oy, ox] is the largest of x[n, c, oy·s + ki, ox·s + kj]
     * over the window (0 ≤ ki, kj &lt; kernel), compared with {@code >}, so that the first maximum in
     * row-major window order wins ties (also +0 against −0) and the first NaN wins over any number.
     * When {@code argmax} is not null, argmax[i] receives the index in {@code x} of the value
     * y[i] came from (always in the same plane as y[i]). Max pooling computes no new values, so
     * every implementation gives the same bits and the same indices as the scalar reference.
     *
     * @param g the geometry
     * @param x the input batch, g.inputSize() values
     * @param y the output batch, g.outputSize() values, overwritten
     * @param argmax g.outputSize() indices, overwritten, or null
     */
    void maxPool2d(PoolGeometry g, float[] x, float[] y, int[] argmax);

    /**
     * The input gradient of {@link #maxPool2d}: gx is set to zero and gy[i] is added to
     * gx[argmax[i]] for i in increasing order (overlapping windows add up in that order), so every
     * implementation gives the scalar reference's bits.
     *
     * @param g the geometry of the forward pass
     * @param gy the output gradient, g.outputSize() values
     * @param argmax the indices {@link #maxPool2d} wrote for the same geometry
     * @param gx the input gradient, g.inputSize() values, overwritten
     */
    void maxPool2dBackward(PoolGeometry g, float[] gy, int[] argmax, float[] gx);

    /**
     * Average pooling of {@code g}: y[n, c, oy, ox] is the float sum, from 0 and in row-major window
     * order, of x[n, c, oy·s + ki, ox·s + kj], times the float 1/kernel², so every implementation
     * gives the scalar reference's bits.
     *
     * @param g the geometry
     * @param x the input batch, g.inputSize() values
     * @param y the output batch, g.outputSize() values, overwritten
     */
    void avgPool2d(PoolGeometry g, float[] x, float[] y);

    /**
     * The input gradient of {@link #avgPool2d}: gx is set to zero, then for every output i in
     * increasing order gy[i]·(1/kernel²) is added to each input of its window in row-major window
     * order (overlapping windows add up in that order), so every implementation gives the scalar
     * reference's bits.
     *
     * @param g the geometry of the forward pass
     * @param gy the output gradient, g.outputSize() values
     * @param gx the input gradient, g.inputSize() values, overwritten
     */
    void avgPool2dBackward(PoolGeometry g, float[] gy, float[] gx);
}
