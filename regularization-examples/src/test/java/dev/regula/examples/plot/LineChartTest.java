package dev.regula.examples.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
    @TempDir
    Path dir;

    @Test
    void writesAPngOfTheGivenSizeWithTheSeriesColours() throws IOException {
        LineChart chart = LineChart.builder("acc").xLabel("epoch").yLabel("accuracy").integerX()
                .series(Series.ofEpochs("a", new double[] {0.5, 0.7, 0.8}))
                .series(Series.ofEpochs("a", new double[] {0.4, Double.NaN, 0.9})).build();
        Path png = dir.resolve("sub/acc.png");
        chart.writePng(png, 400, 300);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(400, img.getWidth());
        assertEquals(300, img.getHeight());
        assertTrue(countColour(img, 0x1f77b4) > 50, "the first series is drawn in the first palette colour");
        assertTrue(countColour(img, 0xff7f0e) > 20, "the second series (same name, NaN gap) is drawn too");
        try (var files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void aRowOfChartsIsAsWideAsAllOfThem() throws IOException {
        LineChart c = LineChart.builder("x").series(Series.ofEpochs("s", new double[] {1, 2})).build();
        Path png = dir.resolve("row.png");
        LineChart.writePngRow(png, List.of(c, c), 300, 200);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(600, img.getWidth());
        assertEquals(200, img.getHeight());
        assertNotEquals(img.getRGB(10, 10), 0, "painted, not transparent black");
    }

    @Test
    void badInputIsRefusedWithAMessage() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Series("s", new double[2], new double[3]))
                .getMessage().contains("2 x values but 3 y values"));
        LineChart c = LineChart.builder("x").build();
        assertThrows(IllegalArgumentException.class, () -> c.render(50, 50));
    }

    @Test
    void metricsCsvColumnsBecomeCurves() throws IOException {
        Path csv = dir.resolve("metrics.csv");
        Files.writeString(csv, "epoch,train_loss,train_accuracy,val_loss,val_accuracy\n1,0.9,0.6,1.0,0.55\n2,0.5,0.8,null,0.7\n");
        MetricsTable t = MetricsTable.read(csv);
        assertEquals(2, t.rows());
        assertTrue(Double.isNaN(t.column("val_loss")[1]));
        Path png = dir.resolve("curves.png");
        t.writeCurves(png);
        assertEquals(1280, ImageIO.read(png.toFile()).getWidth());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.column("nope")).getMessage().contains("columns:"));
        Files.writeString(csv, "epoch,a\n1,x\n");
        assertTrue(assertThrows(IOException.class, () -> MetricsTable.read(csv)).getMessage().contains("'x' is not a number"));
    }

    private static int countColour(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == rgb) n++;
            }
        }
        return n;
    }
}
