package dev.regula.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM on the Vector API, organised like BLIS/GotoBLAS: C is scaled by beta
 * once (with beta = 0 it is neither cleared nor read: the first inner block stores its tiles),
 * then for every block of {@value #NC} columns and {@value #KC} inner indices a panel of op(B) is
 * packed into {@link #NR}-column strips, and an {@link #MR}×{@link #NR} register-tiled
 * fused multiply-add micro-kernel (8 vector accumulators, 4×16 floats, with 256-bit AVX2; 16, 8×32
 * floats, with AVX-512) runs over {@link #MR}-row strips of op(A) in blocks of {@value #MC} rows.
 * Packing handles the four transpose combinations and zero-pads the edges, so every m, n and k
 * is handled by the same kernel; edge tiles are added to C through a small per-thread buffer.
 * A transposed B is packed by in-register transposes of LANES×LANES blocks
 * ({@link BlockTranspose}), the last inner indices element by element (with vector gathers, one
 * element of each of the NR stored rows per index, at the widths BlockTranspose does not handle),
 * so the strip is written in order. op(A) is read where it is stored when
 * alpha = 1 (both layouts give the kernel {@link #MR} streams of constant stride) and packed,
 * scaled by alpha, otherwise and for a cut last strip.
 *
 * <p>Large products are split over the {@link WorkerTeam} (columns when n ≥ m, rows otherwise),
 * each thread packing into its own reusable buffers; small ones run on the calling thread.
 */
final class Gemm {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    /**
     * Rows of the micro-kernel tile, chosen at start-up from the vector width, which tells the
     * register file: {@value #MR_WIDE} with 512-bit vectors (AVX-512 has 32 vector registers, so
     * 2·{@value #MR_WIDE} accumulators, two B vectors and a broadcast fit), {@value #MR_NARROW}
     * otherwise (16 registers with AVX2: C2 spills a 6×2 tile, and 5×2 only runs fast in some
     * compilations). Two FMA ports with 4-cycle latency need at least 8 independent accumulators
     * in flight; 16 leave slack for the loads and halve the loads per FMA (10 per 16 instead of 6
     * per 8), which also lets the B strip stream from L2 without stalling the FMAs.
     * {@code -Dregula.gemm.mr=4|8} overrides the choice (8 needs 512-bit vectors).
     */
    static final int MR = rows(System.getProperty("regula.gemm.mr"));
    static final int MR_NARROW = 4;
    static final int MR_WIDE = 8;
    /** Columns of the micro-kernel tile: two vectors. */
    static final int NR = 2 * LANES;
    /**
     * Inner-dimension block. Larger than the L1-sized textbook value on purpose: every block ends
     * with a read-modify-write of C tiles whose rows are ldc apart (4 KiB aliasing for ldc = 1024),
     * and a larger block halves those passes (see docs/performance.md).
     */
    static final int KC = 512;
    /** Row block: an MC×KC panel of packed A (144 KiB) stays in L2. */
    static final int MC = 72;
    /** Column block: a KC×NC panel of packed B (4 MiB) stays in L3. */
    static final int NC = 2048;
    /** Below this many multiply-adds (m·n·k) the product runs on the calling thread. */
    static final long PARALLEL_THRESHOLD = 1L << 18;

    /** The caller and threads − 1 helpers; idle helpers exit on their own. */
    private final WorkerTeam team;
    private final ThreadLocal<Workspace> workspace = ThreadLocal.withInitial(Workspace::new);

    /** The tile rows for this JVM's vector width, or the ones a valid override asks for. */
    static int rows(String override) {
        boolean wide = LANES >= 16;
        if (override == null || override.isBlank()) return wide ? MR_WIDE : MR_NARROW;
        return switch (override.strip()) {
            case "4" -> MR_NARROW;
            case "8" -> {
                if (!wide) {
                    throw new IllegalArgumentException("regula.gemm.mr=8 needs 512-bit vectors, this JVM has "
                            + LANES * Float.SIZE + "-bit ones; allowed here: 4");
                }
                yield MR_WIDE;
            }
            default -> throw new IllegalArgumentException("regula.gemm.mr must be 4 or 8, got '" + override + "'");
        };
    }

    /** @param team the threads a large product is split over */
    Gemm(WorkerTeam team) {
        this.team = team;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc) {
        run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, null, beta, c, cOff, ldc);
    }

    /**
     * Writes panels of a k×n matrix B in the layout the micro-kernel reads, for products whose B
     * is never stored whole (a convolution's patch matrix, unfolded straight into the panels).
     * Called from the threads of the product, each with its own {@code dst}, so an implementation
     * only reads shared state.
     */
    interface Panels {
        /**
         * Writes B[pc:pc+kc, jc:jc+nc] into {@link #NR}-column strips: strip s holds (p, j) at
         * s·NR·kc + p·NR + j, and the columns of the last strip past nc are 0.
         */
        void pack(int pc, int kc, int jc, int nc, float[] dst);
    }

    /**
     * C = A·B + beta·C with A stored m×k (row-major, leading dimension lda) and B written panel by
     * panel by {@code panels}: the same blocks, kernel and order as {@link #gemm(boolean, boolean,
     * int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int) gemm}
     * with alpha 1, so the result is bit for bit that of B stored and packed.
     */
    void gemm(int m, int n, int k, float[] a, int aOff, int lda, Panels panels, float beta, float[] c, int cOff, int ldc) {
        run(false, false, m, n, k, 1f, a, aOff, lda, null, 0, 0, panels, beta, c, cOff, ldc);
    }

    private void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb, Panels panels,
                     float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm dimensions must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (m == 0 || n == 0) return;
        // beta = 0 with a product to add: the first inner block stores its tiles instead of adding
        // them, so C is neither cleared nor read (and stale NaNs in it do not matter)
        boolean overwrite = beta == 0f && k > 0 && alpha != 0f;
        if (!overwrite) scaleC(m, n, beta, c, cOff, ldc);
        if (k == 0 || alpha == 0f) return;
        long work = (long) m * n * k;
        boolean splitColumns = n >= m;
        int unit = splitColumns ? NR : MR;
        int extent = splitColumns ? n : m;
        // Column parts share nothing, so they are cut as finely as the team cuts any job
        // (WorkerTeam.PARTS_PER_THREAD) and claimed dynamically. Row parts each pack the whole of
        // op(B), so there is one per thread whatever that setting.
        int parts = work < PARALLEL_THRESHOLD ? 1
                : Math.min(Math.ceilDiv(extent, unit), team.threads() * (splitColumns ? WorkerTeam.PARTS_PER_THREAD : 1));
        if (parts <= 1) {
            compute(transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, panels, overwrite, c, cOff, ldc);
            return;
        }
        team.runRanges(extent, parts, unit, (from, to) -> {
            if (splitColumns) {
                compute(transA, transB, 0, m, from, to, k, alpha, a, aOff, lda, b, bOff, ldb, panels, overwrite, c, cOff, ldc);
            } else {
                compute(transA, transB, from, to, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, panels, overwrite, c, cOff, ldc);
            }
        });
    }

    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f || n == 0) return;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, ci, ci + n, 0f);
                continue;
            }
            int j = 0;
            for (int bound = F.loopBound(n); j < bound; j += LANES) {
                FloatVector.fromArray(F, c, ci + j).mul(beta).intoArray(c, ci + j);
            }
            for (; j < n; j++) c[ci + j] *= beta;
        }
    }

    /**
     * C[r0:r1, j0:j1] += alpha·op(A)[r0:r1, :]·op(B)[:, j0:j1] on the calling thread, or = when
     * {@code overwrite} (the first inner block stores, later ones add).
     */
    private void compute(boolean transA, boolean transB, int r0, int r1, int j0, int j1, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb, Panels panels,
                         boolean overwrite, float[] c, int cOff, int ldc) {
        Workspace ws = workspace.get();
        // With alpha = 1 the kernel reads full strips of op(A) where they are stored (both layouts
        // give MR streams of constant stride); only a cut last strip, or every strip when alpha
        // must be applied, is packed.
        boolean direct = alpha == 1f;
        int rowStride = transA ? 1 : lda;
        int step = transA ? lda : 1;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            int ncPadded = Math.ceilDiv(nc, NR) * NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean store = overwrite && pc == 0;
                float[] pb = ws.packB(kc * ncPadded);
                if (panels != null) {
                    panels.pack(pc, kc, jc, nc, pb);
                } else {
                    packB(transB, b, bOff, ldb, pc, kc, jc, nc, pb, transB && !BlockTranspose.supported() ? ws.rowStarts(ldb) : null);
                }
                for (int ic = r0; ic < r1; ic += MC) {
                    int mc = Math.min(MC, r1 - ic);
                    int packedFrom = direct ? mc - mc % MR : 0;
                    float[] pa = ws.packA(kc * Math.ceilDiv(mc - packedFrom, MR) * MR);
                    if (packedFrom < mc) packA(transA, a, aOff, lda, ic + packedFrom, mc - packedFrom, pc, kc, alpha, pa);
                    float[] tile = ws.tile;
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bi = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int cBase = cOff + (ic + ir) * ldc + jc + jr;
                            if (ir < packedFrom) {
                                int ai = aOff + (transA ? pc * lda + ic + ir : (ic + ir) * lda + pc);
                                kernel(kc, a, ai, rowStride, step, pb, bi, mr, nr, store, c, cBase, ldc, tile);
                            } else {
                                kernel(kc, pa, (ir - packedFrom) * kc, 1, MR, pb, bi, mr, nr, store, c, cBase, ldc, tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Packs alpha·op(A)[ic:ic+mc, pc:pc+kc] into MR-row strips: strip s holds (p, r) at s·MR·kc + p·MR + r. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc,
                              float alpha, float[] dst) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (transA) {
                // A is stored k×m: row p of the storage holds op(A)[:, p]
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic + ir;
                    int d = base + p * MR;
                    for (int r = 0; r < mr; r++) dst[d + r] = alpha * a[src + r];
                    for (int r = mr; r < MR; r++) dst[d + r] = 0f;
                }
            } else {
                for (int r = 0; r < mr; r++) {
                    int src = aOff + (ic + ir + r) * lda + pc;
                    int d = base + r;
                    for (int p = 0; p < kc; p++) dst[d + p * MR] = alpha * a[src + p];
                }
                for (int r = mr; r < MR; r++) {
                    for (int p = 0; p < kc; p++) dst[base + r + p * MR] = 0f;
                }
            }
        }
    }

    /** Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-column strips: strip s holds (p, j) at s·NR·kc + p·NR + j. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc,
                              float[] dst, int[] rowStarts) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (transB && nr == NR) {
                // B is stored n×k: row j of the storage holds op(B)[:, j]
                int src = bOff + (jc + jr) * ldb + pc;
                if (BlockTranspose.supported()) {
                    packTransposedStrip(b, src, ldb, kc, dst, base);
                } else {
                    // one gather of each of the NR rows per inner index, so the strip is written in order
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * NR;
                        FloatVector.fromArray(F, b, src + p, rowStarts, 0).intoArray(dst, d);
                        FloatVector.fromArray(F, b, src + p, rowStarts, LANES).intoArray(dst, d + LANES);
                    }
                }
            } else if (transB) {
                for (int j = 0; j < nr; j++) {
                    int src = bOff + (jc + jr + j) * ldb + pc;
                    int d = base + j;
                    for (int p = 0; p < kc; p++) dst[d + p * NR] = b[src + p];
                }
                for (int j = nr; j < NR; j++) {
                    for (int p = 0; p < kc; p++) dst[base + j + p * NR] = 0f;
                }
            } else if (nr == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int d = base + p * NR;
                    FloatVector.fromArray(F, b, src).intoArray(dst, d);
                    FloatVector.fromArray(F, b, src + LANES).intoArray(dst, d + LANES);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int d = base + p * NR;
                    for (int j = 0; j < nr; j++) dst[d + j] = b[src + j];
                    for (int j = nr; j < NR; j++) dst[d + j] = 0f;
                }
            }
        }
    }

    /**
     * Packs one full NR-column strip of a transposed B (NR rows of the storage from src, ldb apart,
     * kc inner indices each) at {@link BlockTranspose}'s widths: blocks of LANES rows × LANES inner
     * indices are transposed in registers, the last kc % LANES indices (fewer than LANES) are
     * copied one element at a time. Not gathered: two gathers per index, with their vector index
     * checks, made {@link #packB} (which inlines this method) about three times slower for C2 to
     * compile, early in a run when the compiler is what the first steps wait for.
     */
    private static void packTransposedStrip(float[] b, int src, int ldb, int kc, float[] dst, int base) {
        int p = 0;
        for (; p + LANES <= kc; p += LANES) {
            BlockTranspose.transpose(b, src + p, ldb, dst, base + p * NR, NR);
            BlockTranspose.transpose(b, src + LANES * ldb + p, ldb, dst, base + p * NR + LANES, NR);
        }
        for (; p < kc; p++) {
            int d = base + p * NR;
            for (int j = 0; j < NR; j++) dst[d + j] = b[src + j * ldb + p];
        }
    }

    /**
     * C[0:mr, 0:nr] += Σ_p A-strip(p, :)ᵀ·pb-strip(p, :) (= when {@code store}), accumulated as an
     * MR×NR block in 2·MR vector registers; full tiles go straight to C, edge tiles through {@code tile}. Element
     * (r, p) of the A strip is {@code a[ai + r·rowStride + p·step]}: (1, MR) for a packed strip,
     * (lda, 1) or (1, lda) for one read where it is stored.
     */
    private static void kernel(int kc, float[] a, int ai, int rowStride, int step, float[] pb, int bi,
                               int mr, int nr, boolean store, float[] c, int cBase, int ldc, float[] tile) {
        if (MR == MR_WIDE) {
            kernel8(kc, a, ai, rowStride, step, pb, bi, mr, nr, store, c, cBase, ldc, tile);
        } else {
            kernel4(kc, a, ai, rowStride, step, pb, bi, mr, nr, store, c, cBase, ldc, tile);
        }
    }

    /** The {@value #MR_NARROW}-row tile: 8 accumulators. */
    private static void kernel4(int kc, float[] a, int ai, int rowStride, int step, float[] pb, int bi,
                                int mr, int nr, boolean store, float[] c, int cBase, int ldc, float[] tile) {
        int r2 = 2 * rowStride;
        int r3 = 3 * rowStride;
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(F, pb, bi);
            FloatVector b1 = FloatVector.fromArray(F, pb, bi + LANES);
            FloatVector a0 = FloatVector.broadcast(F, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, a[ai + rowStride]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, a[ai + r2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, a[ai + r3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            ai += step;
            bi += NR;
        }
        if (mr == MR_NARROW && nr == NR && store) {
            int ci = cBase;
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + LANES);
            ci += ldc;
            c10.intoArray(c, ci);
            c11.intoArray(c, ci + LANES);
            ci += ldc;
            c20.intoArray(c, ci);
            c21.intoArray(c, ci + LANES);
            ci += ldc;
            c30.intoArray(c, ci);
            c31.intoArray(c, ci + LANES);
            return;
        }
        if (mr == MR_NARROW && nr == NR) {
            int ci = cBase;
            FloatVector.fromArray(F, c, ci).add(c00).intoArray(c, ci);
            FloatVector.fromArray(F, c, ci + LANES).add(c01).intoArray(c, ci + LANES);
            ci += ldc;
            FloatVector.fromArray(F, c, ci).add(c10).intoArray(c, ci);
            FloatVector.fromArray(F, c, ci + LANES).add(c11).intoArray(c, ci + LANES);
            ci += ldc;
            FloatVector.fromArray(F, c, ci).add(c20).intoArray(c, ci);
            FloatVector.fromArray(F, c, ci + LANES).add(c21).intoArray(c, ci + LANES);
            ci += ldc;
            FloatVector.fromArray(F, c, ci).add(c30).intoArray(c, ci);
            FloatVector.fromArray(F, c, ci + LANES).add(c31).intoArray(c, ci + LANES);
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        if (store) {
            for (int r = 0; r < mr; r++) System.arraycopy(tile, r * NR, c, cBase + r * ldc, nr);
        } else {
            addTile(tile, mr, nr, c, cBase, ldc);
        }
    }

    /**
     * The {@value #MR_WIDE}-row tile: 16 accumulators. Each accumulator sums its products over p in
     * the same order as {@link #kernel4}, so both shapes give the same bits.
     */
    private static void kernel8(int kc, float[] a, int ai, int rowStride, int step, float[] pb, int bi,
                                int mr, int nr, boolean store, float[] c, int cBase, int ldc, float[] tile) {
        int r2 = 2 * rowStride, r3 = 3 * rowStride, r4 = 4 * rowStride;
        int r5 = 5 * rowStride, r6 = 6 * rowStride, r7 = 7 * rowStride;
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(F, pb, bi);
            FloatVector b1 = FloatVector.fromArray(F, pb, bi + LANES);
            FloatVector a0 = FloatVector.broadcast(F, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, a[ai + rowStride]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, a[ai + r2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, a[ai + r3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, a[ai + r4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, a[ai + r5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(F, a[ai + r6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(F, a[ai + r7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            ai += step;
            bi += NR;
        }
        // full tiles go straight to C, written out row by row (a helper taking the vectors would
        // not always be inlined in this large method, and a vector passed to a call is boxed)
        if (mr == MR_WIDE && nr == NR && store) {
            c00.intoArray(c, cBase + ldc * 0);
            c01.intoArray(c, cBase + ldc * 0 + LANES);
            c10.intoArray(c, cBase + 1 * ldc);
            c11.intoArray(c, cBase + 1 * ldc + LANES);
            c20.intoArray(c, cBase + 2 * ldc);
            c21.intoArray(c, cBase + 2 * ldc + LANES);
            c30.intoArray(c, cBase + 3 * ldc);
            c31.intoArray(c, cBase + 3 * ldc + LANES);
            c40.intoArray(c, cBase + 4 * ldc);
            c41.intoArray(c, cBase + 4 * ldc + LANES);
            c50.intoArray(c, cBase + 5 * ldc);
            c51.intoArray(c, cBase + 5 * ldc + LANES);
            c60.intoArray(c, cBase + 6 * ldc);
            c61.intoArray(c, cBase + 6 * ldc + LANES);
            c70.intoArray(c, cBase + 7 * ldc);
            c71.intoArray(c, cBase + 7 * ldc + LANES);
            return;
        }
        if (mr == MR_WIDE && nr == NR) {
            int ci0 = cBase + 0 * ldc;
            FloatVector.fromArray(F, c, ci0).add(c00).intoArray(c, ci0);
            FloatVector.fromArray(F, c, ci0 + LANES).add(c01).intoArray(c, ci0 + LANES);
            int ci1 = cBase + 1 * ldc;
            FloatVector.fromArray(F, c, ci1).add(c10).intoArray(c, ci1);
            FloatVector.fromArray(F, c, ci1 + LANES).add(c11).intoArray(c, ci1 + LANES);
            int ci2 = cBase + 2 * ldc;
            FloatVector.fromArray(F, c, ci2).add(c20).intoArray(c, ci2);
            FloatVector.fromArray(F, c, ci2 + LANES).add(c21).intoArray(c, ci2 + LANES);
            int ci3 = cBase + 3 * ldc;
            FloatVector.fromArray(F, c, ci3).add(c30).intoArray(c, ci3);
            FloatVector.fromArray(F, c, ci3 + LANES).add(c31).intoArray(c, ci3 + LANES);
            int ci4 = cBase + 4 * ldc;
            FloatVector.fromArray(F, c, ci4).add(c40).intoArray(c, ci4);
            FloatVector.fromArray(F, c, ci4 + LANES).add(c41).intoArray(c, ci4 + LANES);
            int ci5 = cBase + 5 * ldc;
            FloatVector.fromArray(F, c, ci5).add(c50).intoArray(c, ci5);
            FloatVector.fromArray(F, c, ci5 + LANES).add(c51).intoArray(c, ci5 + LANES);
            int ci6 = cBase + 6 * ldc;
            FloatVector.fromArray(F, c, ci6).add(c60).intoArray(c, ci6);
            FloatVector.fromArray(F, c, ci6 + LANES).add(c61).intoArray(c, ci6 + LANES);
            int ci7 = cBase + 7 * ldc;
            FloatVector.fromArray(F, c, ci7).add(c70).intoArray(c, ci7);
            FloatVector.fromArray(F, c, ci7 + LANES).add(c71).intoArray(c, ci7 + LANES);
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + LANES);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + LANES);
        if (store) {
            for (int r = 0; r < mr; r++) System.arraycopy(tile, r * NR, c, cBase + r * ldc, nr);
        } else {
            addTile(tile, mr, nr, c, cBase, ldc);
        }
    }

    /** C[0:mr, 0:nr] += tile[0:mr, 0:nr], C starting at cBase with row stride ldc. */
    private static void addTile(float[] tile, int mr, int nr, float[] c, int cBase, int ldc) {
        for (int r = 0; r < mr; r++) {
            int ci = cBase + r * ldc;
            int ti = r * NR;
            if (nr == NR) { // only rows are cut
                FloatVector.fromArray(F, c, ci).add(FloatVector.fromArray(F, tile, ti)).intoArray(c, ci);
                FloatVector.fromArray(F, c, ci + LANES).add(FloatVector.fromArray(F, tile, ti + LANES))
                        .intoArray(c, ci + LANES);
            } else {
                for (int j = 0; j < nr; j++) c[ci + j] += tile[ti + j];
            }
        }
    }

    /** Per-thread packing buffers, grown on demand and reused across calls. */
    private static final class Workspace {
        private float[] a = new float[0];
        private float[] b = new float[0];
        final float[] tile = new float[MR * NR];
        /** (0, ldb, 2·ldb, …) for the NR rows a transposing pack gathers from. */
        private final int[] rowStarts = new int[NR];
        private int rowStartsLd = -1;

        int[] rowStarts(int ldb) {
            if (rowStartsLd != ldb) {
                for (int j = 0; j < NR; j++) rowStarts[j] = j * ldb;
                rowStartsLd = ldb;
            }
            return rowStarts;
        }

        float[] packA(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        float[] packB(int size) {
            if (b.length < size) b = new float[size];
            return b;
        }
    }
}
