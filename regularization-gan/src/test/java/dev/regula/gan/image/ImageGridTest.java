package dev.regula.gan.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
    @TempDir
    Path dir;

    /** Five 2x2 RGB images; image k has red = value k, green = -value k, blue = pixel-dependent. */
    private static Tensor images() {
        Tensor t = Tensor.zeros(5, 3, 2, 2);
        float[] d = t.data();
        float[] reds = {-1, -0.5f, 0, 0.5f, 1};
        for (int k = 0; k < 5; k++) {
            for (int p = 0; p < 4; p++) {
                d[k * 12 + p] = reds[k];
                d[k * 12 + 4 + p] = -reds[k];
                d[k * 12 + 8 + p] = p == 3 ? 1 : -1;
            }
        }
        return t;
    }

    @Test
    void laysImagesOutInAGridWithBorders() {
        BufferedImage img = ImageGrid.toImage(images(), 3, 4);
        int cell = 2 * 4 + ImageGrid.BORDER;
        assertEquals(3 * cell + ImageGrid.BORDER, img.getWidth());
        assertEquals(2 * cell + ImageGrid.BORDER, img.getHeight());
        assertEquals(ImageGrid.BORDER_RGB, img.getRGB(0, 0) & 0xFFFFFF);
        // image 4 sits at row 1, column 1; its top-left pixel: red 1 -> 255, green -1 -> 0, blue -1 -> 0
        int x0 = ImageGrid.BORDER + cell;
        int y0 = ImageGrid.BORDER + cell;
        assertEquals(0xFF0000, img.getRGB(x0, y0) & 0xFFFFFF);
        assertEquals(0xFF0000, img.getRGB(x0 + 3, y0 + 3) & 0xFFFFFF, "nearest-neighbour upscale");
        // its bottom-right pixel has blue 1
        assertEquals(0xFF00FF, img.getRGB(x0 + 4, y0 + 4) & 0xFFFFFF);
        assertEquals(0xFF00FF, img.getRGB(x0 + 7, y0 + 7) & 0xFFFFFF);
        assertEquals(ImageGrid.BORDER_RGB, img.getRGB(x0 + 8, y0) & 0xFFFFFF);
        // image 2 (value 0) maps to the middle grey 128 (round(127.5))
        int x2 = ImageGrid.BORDER + 2 * cell;
        assertEquals((128 << 16) | (128 << 8), img.getRGB(x2, ImageGrid.BORDER) & 0xFFFFFF);
        // the unused sixth cell stays border-coloured
        assertEquals(ImageGrid.BORDER_RGB, img.getRGB(x2 + 1, y0 + 1) & 0xFFFFFF);
    }

    @Test
    void clampsOutOfRangeValuesAndDrawsNaNBlack() {
        Tensor t = Tensor.wrap(new float[] {3f, -7f, Float.NaN}, 1, 3, 1, 1);
        BufferedImage img = ImageGrid.toImage(t, 8, 1);
        assertEquals(1 + 2 * ImageGrid.BORDER, img.getWidth(), "columns capped at the image count");
        assertEquals(0xFF0000, img.getRGB(ImageGrid.BORDER, ImageGrid.BORDER) & 0xFFFFFF);
    }

    @Test
    void greyImagesUseOneChannel() {
        Tensor t = Tensor.wrap(new float[] {1f}, 1, 1, 1, 1);
        assertEquals(0xFFFFFF, ImageGrid.toImage(t, 1, 1).getRGB(ImageGrid.BORDER, ImageGrid.BORDER) & 0xFFFFFF);
    }

    @Test
    void writesAPngAtomicallyCreatingParents() throws IOException {
        Path png = dir.resolve("a/b/grid.png");
        ImageGrid.writePng(images(), 5, 3, png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(5 * (2 * 3 + ImageGrid.BORDER) + ImageGrid.BORDER, back.getWidth());
        assertEquals(2 * 3 + 2 * ImageGrid.BORDER, back.getHeight());
        assertEquals(0xFF0000, back.getRGB(ImageGrid.BORDER + 4 * (6 + ImageGrid.BORDER), ImageGrid.BORDER) & 0xFFFFFF);

        // overwriting replaces the file and leaves no temporary files behind
        ImageGrid.writePng(images(), 1, 1, png);
        assertEquals(2 + 2 * ImageGrid.BORDER, ImageIO.read(png.toFile()).getWidth());
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList());
        }
        if (png.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Path plain = Files.createFile(dir.resolve("plain"));
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(png),
                    "the PNG gets the permissions of any new file, not a temporary file's 0600");
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(ShapeMismatchException.class, () -> ImageGrid.toImage(Tensor.zeros(2, 2, 4, 4), 1, 1));
        assertThrows(ShapeMismatchException.class, () -> ImageGrid.toImage(Tensor.zeros(2, 48), 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.toImage(Tensor.zeros(0, 3, 4, 4), 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.toImage(images(), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.toImage(images(), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.toImage(images(), 1, 65));
    }
}
