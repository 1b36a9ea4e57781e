package dev.regula.vector;

import dev.regula.api.kernels.ConvGeometry;

/**
 * The convolution kernels of {@link VectorKernels}: a batch is cut into chunks of a few images
 * and each chunk is unfolded into a small patch matrix (at most about {@value #CHUNK_FLOATS}
 * floats, so it stays in the core's cache) that feeds {@link Gemm} at once, instead of unfolding
 * the whole batch into one matrix hundreds of megabytes large (128 Fashion-MNIST images through a
 * 32-to-64-channel 3×3 layer: 115 MB, streamed from memory three times a step). Where the
 * patch rows are shifted phase planes and the output plane is a whole number of vectors (the
 * DCGAN discriminator's 4×4 convolutions at stride 2, 3×3 "same" convolutions on 28×28 maps), the
 * forward pass and the weight gradient do not store the patch matrix at all: {@link PatchPanels}
 * unfolds it straight into the product's panels (transposed in registers for the weight
 * gradient), with the same values, so the same bits.
 *
 * <p>Threads: with at least two chunks per thread, the chunks are shared by the team (each one
 * computed on one thread, its products single-threaded); with fewer, chunks run one after the
 * other and each product is split over the team. The forward and input-gradient passes cut the
 * batch into at least two chunks per thread (their results do not depend on the chunking); the
 * chunks of the weight gradient, and so the order in which it sums its terms, depend only on the
 * geometry: every chunk's product is computed by the
 * same code in the same order either way, and the weight gradient is summed per fixed group of
 * chunks ({@value #WEIGHT_GROUPS} at most) into partial sums added in group order, so results are
 * bit-identical for every thread count.
 */
final class Convolution {
    /** Target size of one chunk's patch matrix, in floats (1 MiB). */
    static final int CHUNK_FLOATS = 1 << 18;
    /** Target number of columns (images × output pixels) of a chunk's product: enough for full GEMM tiles. */
    static final int CHUNK_COLUMNS = 512;
    /**
     * Largest patch matrix of one weight-gradient chunk, in floats (4 MiB). Every extra chunk
     * group adds a pass over the weight gradient and a partial sum, so the GAN's small feature
     * maps take a single chunk (no partial sums); a chunk is unfolded and multiplied in cache-sized
     * pieces where that leaves its sums unchanged ({@link #pieceImages}).
     */
    static final int WEIGHT_CHUNK_FLOATS = 1 << 20;
    /** Most partial sums the weight gradient is split into. */
    static final int WEIGHT_GROUPS = 8;

    private final WorkerTeam team;
    private final Gemm gemm;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    Convolution(WorkerTeam team, Gemm gemm) {
        this.team = team;
        this.gemm = gemm;
    }

    /**
     * @param g a geometry
     * @return images per chunk: enough for {@value #CHUNK_COLUMNS} output columns, at most
     *     {@value #CHUNK_FLOATS} patch values (at least one image), at most the batch
     */
    static int chunkImages(ConvGeometry g) {
        int plane = g.outHeight() * g.outWidth();
        long perImage = (long) g.patch() * plane;
        int byColumns = Math.ceilDiv(CHUNK_COLUMNS, plane);
        int byMemory = (int) Math.max(1, CHUNK_FLOATS / perImage);
        return Math.max(1, Math.min(g.batch(), Math.min(byColumns, byMemory)));
    }

    /** Body of one chunk: images [n0, n0 + count). */
    private interface ChunkBody {
        void run(int n0, int count);
    }

    /**
     * Runs every chunk of the forward or input-gradient pass, shared by the team when there are
     * enough of them, else in order on the caller. These two passes' results do not depend on the
     * chunking (each output value is one product over the patch or the output channels, summed in
     * the same order whatever the number of columns, and col2im adds image by image), so with
     * several threads the chunks are made small enough for two per thread.
     */
    private void forChunks(ConvGeometry g, ChunkBody body) {
        int per = team.threads() == 1 ? chunkImages(g)
                : Math.min(chunkImages(g), Math.max(1, Math.ceilDiv(g.batch(), 2 * team.threads())));
        int chunks = Math.ceilDiv(g.batch(), per);
        if (chunks >= 2 * team.threads() && team.threads() > 1) {
            team.runRanges(chunks, chunks, 1, (from, to) -> {
                for (int q = from; q < to; q++) body.run(q * per, Math.min(per, g.batch() - q * per));
            });
        } else {
            for (int q = 0; q < chunks; q++) body.run(q * per, Math.min(per, g.batch() - q * per));
        }
    }

    void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        int out = g.outChannels();
        int patch = g.patch();
        int plane = g.outHeight() * g.outWidth();
        PatchPanels.Layout layout = PatchPanels.applies(g) ? PatchPanels.Layout.of(g) : null;
        boolean padded = layout == null && PaddedPanels.applies(g);
        forChunks(g, (n0, count) -> {
            Scratch s = scratch.get();
            int cols = count * plane;
            // one image: straight into y; several: into rows [out, cols], then moved image by image
            float[] target = count == 1 ? y : s.rows(out * cols);
            int at = count == 1 ? n0 * out * plane : 0;
            if (layout != null || padded) {
                gemm.gemm(out, cols, patch, w, 0, patch, unfolded(g, layout, x, n0, count, s, false), 0f, target, at, cols);
            } else {
                float[] c = s.cols(patch * cols);
                Patches.im2col(g, x, n0, count, c);
                gemm.gemm(false, false, out, cols, patch, 1f, w, 0, patch, c, 0, cols, 0f, target, at, cols);
            }
            if (count == 1) {
                Patches.addBias(y, n0, 1, out, plane, bias);
            } else {
                Patches.toBatchMajor(target, n0, count, out, plane, bias, y);
            }
        });
    }

    /**
     * The output gradient of images n0 .. n0+count−1 as rows of one matrix [channels, count·plane]:
     * for one image its own rows in {@code gy} (at offset n0·channels·plane), for several a copy in
     * channel-major order in the scratch's row buffer (at offset 0).
     */
    private static float[] gradientRows(Scratch s, float[] gy, int n0, int count, int channels, int plane) {
        if (count == 1) return gy;
        float[] rows = s.rows(channels * count * plane);
        Patches.toChannelMajor(gy, n0, count, channels, plane, rows);
        return rows;
    }

    void backwardInput(ConvGeometry g, float[] gy, float[] w, float[] bias, float[] gx) {
        int out = g.outChannels();
        int patch = g.patch();
        int plane = g.outHeight() * g.outWidth();
        int inPlane = g.height() * g.width();
        PatchPanels.Layout layout = g.stride() > 1 && PatchPanels.applies(g) ? PatchPanels.Layout.of(g) : null;
        boolean padded = PaddedPanels.applies(g);
        forChunks(g, (n0, count) -> {
            Scratch s = scratch.get();
            int cols = count * plane;
            float[] src = gradientRows(s, gy, n0, count, out, plane);
            int srcOff = src == gy ? n0 * out * plane : 0;
            float[] c = s.cols(patch * cols);
            gemm.gemm(true, false, patch, cols, out, 1f, w, 0, patch, src, srcOff, cols, 0f, c, 0, cols);
            Patches.fillChannels(gx, n0, count, g.inChannels(), inPlane, bias);
            if (layout != null) {
                PatchPanels.col2im(layout, c, n0, count, gx, s.grid(layout.bufferSize(1)));
            } else if (padded) {
                PaddedPanels.col2im(g, c, n0, count, gx, s.grid(PaddedPanels.bufferSize(g, count)));
            } else {
                Patches.col2im(g, c, n0, count, gx);
            }
        });
    }

    /**
     * @param g a geometry
     * @return images per chunk of the weight gradient: as many as fit in
     *     {@value #WEIGHT_CHUNK_FLOATS} patch values (at least one), at most the batch, but never
     *     fewer than {@link #chunkImages} gives
     */
    static int weightChunkImages(ConvGeometry g) {
        long perImage = (long) g.patch() * g.outHeight() * g.outWidth();
        int byMemory = (int) Math.max(1, WEIGHT_CHUNK_FLOATS / perImage);
        return Math.max(chunkImages(g), Math.min(g.batch(), byMemory));
    }

    /**
     * Images of one piece of a weight-gradient chunk: the chunk's patch matrix is unfolded and
     * multiplied piece by piece, so that it stays in cache instead of being written out whole
     * (the GAN's discriminator: 3 to 4 MiB per layer) and read back by the product. A piece spans
     * a whole number of the product's inner blocks ({@link Gemm#KC} columns): the product sums its
     * inner dimension block by block, each block's terms added to C once, so the pieces' products
     * added one after the other give bit for bit the chunk's single product. When no whole number
     * of images makes whole blocks (output planes that neither divide nor are multiples of
     * {@link Gemm#KC}), the piece is the whole chunk.
     *
     * @param g a geometry
     * @param per images per chunk
     * @return images per piece, between 1 and {@code per}
     */
    static int pieceImages(ConvGeometry g, int per) {
        int plane = g.outHeight() * g.outWidth();
        if (plane % Gemm.KC == 0) return 1;
        if (Gemm.KC % plane == 0) return Math.min(per, Gemm.KC / plane);
        return per;
    }

    void backwardWeight(ConvGeometry g, float[] x, float[] gy, float beta, float[] gw) {
        int out = g.outChannels();
        int patch = g.patch();
        int plane = g.outHeight() * g.outWidth();
        int per = weightChunkImages(g);
        int chunks = Math.ceilDiv(g.batch(), per);
        int groups = Math.min(chunks, WEIGHT_GROUPS);
        int size = out * patch;
        int piece = pieceImages(g, per);
        Scratch caller = scratch.get();
        float[] partials = groups == 1 ? null : caller.partials(groups * size);
        PatchPanels.Layout layout = PatchPanels.transposes(g) ? PatchPanels.Layout.of(g) : null;
        boolean padded = layout == null && PaddedPanels.applies(g) && BlockTranspose.supported();
        WorkerTeam.Range body = (from, to) -> {
            for (int grp = from; grp < to; grp++) {
                Scratch s = scratch.get();
                int q0 = (int) ((long) grp * chunks / groups);
                int q1 = (int) ((long) (grp + 1) * chunks / groups);
                for (int q = q0; q < q1; q++) {
                    int chunkEnd = Math.min((q + 1) * per, g.batch());
                    float[] dst = partials == null ? gw : partials;
                    int dstOff = partials == null ? 0 : grp * size;
                    if (layout != null || padded) { // the chunk's single product on panels unfolded from the images
                        int n0 = q * per;
                        int count = chunkEnd - n0;
                        int cols = count * plane;
                        Gemm.Panels panels = unfolded(g, layout, x, n0, count, s, true);
                        float[] src = gradientRows(s, gy, n0, count, out, plane);
                        int srcOff = src == gy ? n0 * out * plane : 0;
                        float b = q > q0 ? 1f : partials == null ? beta : 0f;
                        gemm.gemm(out, patch, cols, src, srcOff, cols, panels, b, dst, dstOff, patch);
                        continue;
                    }
                    // the chunk's product, unfolded in pieces of whole inner blocks (same sums: see pieceImages)
                    for (int n0 = q * per; n0 < chunkEnd; n0 += piece) {
                        int count = Math.min(piece, chunkEnd - n0);
                        int cols = count * plane;
                        float[] c = s.cols(patch * cols);
                        Patches.im2col(g, x, n0, count, c);
                        float[] src = gradientRows(s, gy, n0, count, out, plane);
                        int srcOff = src == gy ? n0 * out * plane : 0;
                        float b = q > q0 || n0 > q * per ? 1f : partials == null ? beta : 0f;
                        gemm.gemm(false, true, out, patch, cols, 1f, src, srcOff, cols, c, 0, cols, b, dst, dstOff, patch);
                    }
                }
            }
        };
        if (groups >= 2 * team.threads() && team.threads() > 1) {
            team.runRanges(groups, groups, 1, body);
        } else {
            body.run(0, groups);
        }
        if (partials != null) {
            for (int i = 0; i < size; i++) {
                float sum = beta == 0f ? 0f : beta * gw[i];
                for (int grp = 0; grp < groups; grp++) sum += partials[grp * size + i];
                gw[i] = sum;
            }
        }
    }

    /**
     * The patch matrix of images [n0, n0 + count) as panels unfolded from the images: by
     * {@link PatchPanels} when {@code layout} is given, else by {@link PaddedPanels} (the caller
     * checked that one of them applies), transposed for the weight gradient.
     */
    private static Gemm.Panels unfolded(ConvGeometry g, PatchPanels.Layout layout, float[] x, int n0, int count, Scratch s,
                                        boolean transposed) {
        if (layout != null) {
            PatchPanels panels = new PatchPanels(layout, x, n0, count, s.grid(layout.bufferSize(count)));
            return transposed ? panels.transposed() : panels;
        }
        PaddedPanels panels = new PaddedPanels(g, x, n0, count, s.grid(PaddedPanels.bufferSize(g, count)));
        return transposed ? panels.transposed() : panels;
    }

    /** Per-thread buffers, grown on demand and reused across calls. */
    private static final class Scratch {
        private float[] cols = new float[0];
        private float[] rows = new float[0];
        private float[] partials = new float[0];
        /** The chunk's images laid out for panels ({@link PatchPanels}, {@link PaddedPanels}). */
        private float[] grid = new float[0];

        float[] cols(int size) {
            if (cols.length < size) cols = new float[size];
            return cols;
        }

        float[] rows(int size) {
            if (rows.length < size) rows = new float[size];
            return rows;
        }

        float[] grid(int size) {
            if (grid.length < size) grid = new float[size];
            return grid;
        }

        float[] partials(int size) {
            if (partials.length < size) partials = new float[size];
            return partials;
        }
    }
}
