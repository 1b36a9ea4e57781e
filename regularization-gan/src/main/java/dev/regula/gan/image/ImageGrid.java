package dev.regula.gan.image;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Lays a batch of images out in a grid and writes it as a PNG, to look at generator samples.
 *
 * <p>Images are {@code [n, c, s, s]} tensors in CHW order with {@code c} = 3 (RGB) or 1 (grey)
 * and values in {@code [-1, 1]} (the range of a tanh generator): {@code v} maps to
 * {@code round((v + 1) / 2 · 255)}, values outside the range are clamped and NaN is drawn black.
 * Each image is enlarged {@code upscale} times by nearest neighbour, and a border of
 * {@value #BORDER} pixels separates the images and surrounds the grid.
 */
public final class ImageGrid {
    /** Width in pixels of the border around and between images. */
    public static final int BORDER = 2;

    /** The border colour (dark grey), as {@code 0xRRGGBB}. */
    public static final int BORDER_RGB = 0x303030;

    private ImageGrid() {}

    /**
     * Builds the grid image.
     *
     * @param images {@code [n, 3, s, s]} or {@code [n, 1, s, s]} with {@code n >= 1}, values in {@code [-1, 1]}
     * @param columns the number of images per row, >= 1 (fewer when there are fewer images)
     * @param upscale the enlargement factor, in {@code [1, 64]}
     * @return an RGB image of {@code columns'·(s·upscale + BORDER) + BORDER} by
     *     {@code rows·(s·upscale + BORDER) + BORDER} pixels, {@code columns' = min(columns, n)}
     */
    public static BufferedImage toImage(Tensor images, int columns, int upscale) {
        Objects.requireNonNull(images, "images");
        int[] shape = images.shape();
        if (shape.length != 4 || (shape[1] != 3 && shape[1] != 1) || shape[2] < 1 || shape[3] < 1) {
            throw new ShapeMismatchException("images must have shape [n, 3, h, w] or [n, 1, h, w] with h, w >= 1, got "
                    + Arrays.toString(shape));
        }
        int n = shape[0];
        if (n < 1) throw new IllegalArgumentException("images must hold at least one image, got shape " + Arrays.toString(shape));
        if (columns < 1) throw new IllegalArgumentException("columns must be >= 1, got " + columns);
        if (upscale < 1 || upscale > 64) throw new IllegalArgumentException("upscale must be in [1, 64], got " + upscale);
        int channels = shape[1];
        int h = shape[2];
        int w = shape[3];
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        long width = (long) cols * (w * upscale + BORDER) + BORDER;
        long height = (long) rows * (h * upscale + BORDER) + BORDER;
        if (width * height > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a grid of " + cols + "x" + rows + " images of " + h + "x" + w
                    + " at upscale " + upscale + " is " + width + "x" + height + " pixels, too large for one image");
        }
        BufferedImage img = new BufferedImage((int) width, (int) height, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[(int) (width * height)];
        Arrays.fill(px, BORDER_RGB);
        float[] d = images.data();
        int plane = h * w;
        for (int k = 0; k < n; k++) {
            int x0 = BORDER + (k % cols) * (w * upscale + BORDER);
            int y0 = BORDER + (k / cols) * (h * upscale + BORDER);
            int base = k * channels * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = base + y * w + x;
                    int r = toByte(d[i]);
                    int g = channels == 3 ? toByte(d[i + plane]) : r;
                    int b = channels == 3 ? toByte(d[i + 2 * plane]) : r;
                    int rgb = (r << 16) | (g << 8) | b;
                    for (int dy = 0; dy < upscale; dy++) {
                        int row = (y0 + y * upscale + dy) * (int) width + x0 + x * upscale;
                        Arrays.fill(px, row, row + upscale, rgb);
                    }
                }
            }
        }
        img.setRGB(0, 0, (int) width, (int) height, px, 0, (int) width);
        return img;
    }

    /**
     * Writes the grid of {@link #toImage} as a PNG. Missing parent directories are created; the
     * file is written to a temporary file in the same directory and renamed over {@code png}
     * atomically, so a reader never sees a half-written image.
     *
     * @param images {@code [n, 3, s, s]} or {@code [n, 1, s, s]}, values in {@code [-1, 1]}
     * @param columns the number of images per row, >= 1
     * @param upscale the enlargement factor, in {@code [1, 64]}
     * @param png the file to write
     * @throws IOException if the file cannot be written or the file system cannot rename atomically
     */
    public static void writePng(Tensor images, int columns, int upscale, Path png) throws IOException {
        Objects.requireNonNull(png, "png");
        BufferedImage img = toImage(images, columns, upscale);
        try {
            AtomicFiles.write(png, out -> {
                if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer is available in javax.imageio");
            });
        } catch (javax.imageio.IIOException e) {
            // ImageIO says only "I/O error writing PNG file!": name the file and the cause (a full disk, say).
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("cannot write " + png + ": " + cause.getMessage(), e);
        }
    }

    private static int toByte(float v) {
        if (!(v > -1f)) return 0; // also NaN
        if (v >= 1f) return 255;
        return Math.round((v + 1f) * 127.5f);
    }
}
