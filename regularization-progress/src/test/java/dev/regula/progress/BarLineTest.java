package dev.regula.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BarLineTest {
    @Test
    void redrawsInPlaceAndErasesItselfWithoutLeavingANewline() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BarLine bar = new BarLine(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        bar.accept("epoch 1/2  10% [==] 1/10");
        bar.accept("epoch 1/2  20% [====] 2/10");
        bar.clear();
        bar.close();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("\repoch 1/2  10% [==] 1/10\u001b[K\repoch 1/2  20% [====] 2/10\u001b[K\r\u001b[K", text);
        assertFalse(text.contains("\n"), "the next line printed starts where the bar was");
        assertTrue(bar.getMaxRenderedLength() > 0);
    }

    @Test
    void aDrawingAfterTheClearIsDroppedAndASecondClearDoesNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BarLine bar = new BarLine(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        bar.accept("epoch 1/2 100% [====] 10/10");
        bar.clear();
        bar.accept("epoch 1/2 100% [====] 10/10"); // the library's refresh thread, late
        bar.clear();
        assertEquals("\repoch 1/2 100% [====] 10/10\u001b[K\r\u001b[K", bytes.toString(StandardCharsets.UTF_8));
    }
}
