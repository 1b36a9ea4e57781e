package dev.regula.gan.celeba;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.CorruptDataException;
import dev.regula.core.data.DataNotFoundException;
import dev.regula.gan.faces.FaceDataset;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CelebaLoaderTest {
    private static final String ATTRS = """
            4
            5_o_Clock_Shadow Smiling Eyeglasses Black_Hair Pale_Skin Young
            000001.jpg -1  1 -1  1 -1  1
            000002.jpg  1 -1  1 -1  1  1
            000003.jpg -1 -1 -1 -1 -1 -1
            000004.jpg  1  1  1  1  1 -1
            """;

    @TempDir
    Path root;

    private static byte[] jpeg(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "jpg", out));
        return out.toByteArray();
    }

    private static BufferedImage solid(int w, int h, Color c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    /** An aligned-CelebA-sized image: blue, with its centred 140x140 square red. */
    private static BufferedImage redCentre() {
        BufferedImage img = solid(178, 218, Color.BLUE);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(19, 39, 140, 140);
        g.dispose();
        return img;
    }

    /** Writes the four fixture images and the attribute table in the given layout. */
    private Path fixture(String attrDir, String imageDir) throws IOException {
        Path images = Files.createDirectories(root.resolve(imageDir));
        Files.write(images.resolve("000001.jpg"), jpeg(redCentre()));
        Files.write(images.resolve("000002.jpg"), jpeg(solid(60, 40, new Color(200, 150, 100))));
        Files.write(images.resolve("000003.jpg"), jpeg(solid(30, 50, Color.GRAY)));
        Files.write(images.resolve("000004.jpg"), jpeg(solid(16, 16, Color.WHITE)));
        Path attr = (attrDir.isEmpty() ? root : Files.createDirectories(root.resolve(attrDir))).resolve("list_attr_celeba.txt");
        Files.writeString(attr, ATTRS);
        return attr;
    }

    private static void assertPixels(FaceDataset d, int image, float r, float g, float b, float tolerance) {
        int plane = d.imageSize() * d.imageSize();
        float[] x = Arrays.copyOfRange(d.images().data(), image * 3 * plane, (image + 1) * 3 * plane);
        float[] expected = {r, g, b};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                assertEquals(expected[c], x[c * plane + i], tolerance, "image " + image + " channel " + c + " pixel " + i);
            }
        }
    }

    @Test
    void loadsImagesAndLabels() throws IOException {
        fixture("", "img_align_celeba");
        FaceDataset d = CelebaLoader.load(root, 8, 0);
        assertArrayEquals(new int[] {4, 3, 8, 8}, d.images().shape());
        assertTrue(d.attributes().isEmpty());
        // Smiling, Eyeglasses, Black_Hair, Pale_Skin as 0/1
        assertArrayEquals(new float[] {
            1, 0, 1, 0,
            0, 1, 0, 1,
            0, 0, 0, 0,
            1, 1, 1, 1}, d.labels().data());
        // the crop is the centred 140x140 of 178x218: all red, none of the blue border
        assertPixels(d, 0, 1, -1, -1, 0.3f); // JPEG chroma blur at the red/blue edge; a 178 crop would give +1 blue
        assertPixels(d, 1, 200 / 127.5f - 1, 150 / 127.5f - 1, 100 / 127.5f - 1, 0.04f);
        assertPixels(d, 2, 128 / 127.5f - 1, 128 / 127.5f - 1, 128 / 127.5f - 1, 0.04f);
        assertPixels(d, 3, 1, 1, 1, 0.04f); // upsampled from 16x16: crop 12.6 px to 8
    }

    @Test
    void limitKeepsTheFirstImages() throws IOException {
        fixture("", "img_align_celeba");
        FaceDataset all = CelebaLoader.load(root, 4, 0);
        FaceDataset two = CelebaLoader.load(root, 4, 2);
        assertEquals(2, two.size());
        assertArrayEquals(Arrays.copyOf(all.images().data(), 2 * 48), two.images().data());
        assertEquals(4, CelebaLoader.load(root, 4, 100).size());
    }

    @Test
    void acceptsTheOfficialAndNestedLayouts() throws IOException {
        fixture("Anno", "Img/img_align_celeba");
        assertEquals(4, CelebaLoader.load(root, 4, 0).size());
        Path nested = Files.createDirectories(root.resolve("nested"));
        Files.move(root.resolve("Anno"), nested.resolve("Anno"));
        Files.createDirectories(nested.resolve("img_align_celeba"));
        Files.move(root.resolve("Img/img_align_celeba"), nested.resolve("img_align_celeba/img_align_celeba"));
        assertEquals(4, CelebaLoader.load(nested, 4, 0).size());
    }

    @Test
    void missingDataSaysWhatAndWhere() throws IOException {
        Path nowhere = root.resolve("nowhere");
        String m = assertThrows(DataNotFoundException.class, () -> CelebaLoader.load(nowhere, 8, 0)).getMessage();
        assertTrue(m.contains(nowhere.toString()) && m.contains("img_align_celeba/") && m.contains("list_attr_celeba.txt"), m);

        m = assertThrows(DataNotFoundException.class, () -> CelebaLoader.load(root, 8, 0)).getMessage();
        assertTrue(m.contains("attribute file") && m.contains(root.resolve("Anno").resolve("list_attr_celeba.txt").toString()), m);

        Files.writeString(root.resolve("list_attr_celeba.txt"), ATTRS);
        m = assertThrows(DataNotFoundException.class, () -> CelebaLoader.load(root, 8, 0)).getMessage();
        assertTrue(m.contains("image directory") && m.contains(root.resolve("img_align_celeba").toString()), m);

        fixture("", "img_align_celeba");
        Files.delete(root.resolve("img_align_celeba/000003.jpg"));
        m = assertThrows(DataNotFoundException.class, () -> CelebaLoader.load(root, 8, 0)).getMessage();
        assertTrue(m.contains("000003.jpg"), m);
        assertEquals(2, CelebaLoader.load(root, 8, 2).size(), "images past the limit are not needed");
        // something other than a file in an image's place is named for what it is, not as missing
        Files.createDirectories(root.resolve("img_align_celeba/000003.jpg"));
        m = assertThrows(dev.regula.api.CorruptDataException.class, () -> CelebaLoader.load(root, 8, 0)).getMessage();
        assertTrue(m.contains("000003.jpg is a directory, not a regular file"), m);
    }

    @Test
    void corruptImagesAreNamed() throws IOException {
        fixture("", "img_align_celeba");
        Path bad = root.resolve("img_align_celeba/000002.jpg");
        Files.write(bad, "this is not a JPEG at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String m = assertThrows(CorruptDataException.class, () -> CelebaLoader.load(root, 8, 0)).getMessage();
        assertTrue(m.contains(bad.toString()), m);

        byte[] good = jpeg(redCentre());
        Files.write(bad, Arrays.copyOf(good, good.length / 2));
        m = assertThrows(CorruptDataException.class, () -> CelebaLoader.load(root, 8, 0)).getMessage();
        assertTrue(m.contains(bad.toString()), m);

        byte[] scrambled = good.clone();
        for (int i = 200; i < scrambled.length - 2; i += 7) scrambled[i] = (byte) 0xFF;
        Files.write(bad, scrambled);
        m = assertThrows(CorruptDataException.class, () -> CelebaLoader.load(root, 8, 0)).getMessage();
        assertTrue(m.contains(bad.toString()), m);
    }

    @Test
    void badAttributeTablesAreCorruptData() throws IOException {
        Path attr = fixture("", "img_align_celeba");
        Files.writeString(attr, ATTRS.replace("000003.jpg -1 -1", "000003.jpg -1 2"));
        String m = assertThrows(CorruptDataException.class, () -> CelebaLoader.load(root, 8, 0)).getMessage();
        assertTrue(m.startsWith(attr + ":5:"), m);

        Files.writeString(attr, ATTRS.replace("Pale_Skin", "Pale"));
        m = assertThrows(CorruptDataException.class, () -> CelebaLoader.load(root, 8, 0)).getMessage();
        assertTrue(m.contains("'Pale_Skin'") && m.contains("pale_skin"), m);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> CelebaLoader.load(root, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> CelebaLoader.load(root, 2048, 0));
        assertThrows(IllegalArgumentException.class, () -> CelebaLoader.load(root, 8, -1));
    }

    /** A few hundred bytes whose header claims 30000 x 30000 pixels are refused before any decoding. */
    @Test
    void anImageWhoseHeaderClaimsAHugeSizeIsRefusedBeforeDecoding(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", png);
        byte[] b = png.toByteArray();
        java.nio.ByteBuffer.wrap(b, 16, 8).putInt(30000).putInt(30000); // IHDR width and height
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 12, 17); // "IHDR" and its 13 data bytes
        java.nio.ByteBuffer.wrap(b, 29, 4).putInt((int) crc.getValue());
        Path file = dir.resolve("000001.png");
        Files.write(file, b);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> CelebaLoader.decode(file));
        assertTrue(e.getMessage().contains("30000 x 30000") && e.getMessage().contains("1 to " + CelebaLoader.MAX_SIDE), e.getMessage());
    }
}
