package dev.regula.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SettingTest {
    @Test
    void specsAreSplitAtSemicolonsOutsideParenthesesAndQuotes() {
        Setting s = Setting.parse(" l2(lambda=1e-4) ; dropout(p=0.2);soft-anchor(lambda=0.01, to='a;b') ");
        assertEquals(List.of("l2(lambda=1e-4)", "dropout(p=0.2)", "soft-anchor(lambda=0.01, to='a;b')"), s.specs());
        assertEquals("l2(lambda=1e-4) + dropout(p=0.2) + soft-anchor(lambda=0.01, to='a;b')", s.label());
    }

    @Test
    void aLabelIsTheTextBeforeAColonThatPrecedesAnyParenthesis() {
        Setting s = Setting.parse("wd: weight-decay(lambda=5e-4)");
        assertEquals("wd", s.label());
        assertEquals(List.of("weight-decay(lambda=5e-4)"), s.specs());
        Setting selector = Setting.parse("l2(lambda=1e-4, on=layer:dense1)");
        assertEquals(List.of("l2(lambda=1e-4, on=layer:dense1)"), selector.specs(), "a selector's colon is not a label");
        assertEquals("l2(lambda=1e-4, on=layer:dense1)", selector.label());
    }

    @Test
    void noneMeansNoRegularizerAndAnEmptySettingIsRefused() {
        assertEquals(new Setting("none", List.of()), Setting.parse("none"));
        assertEquals(new Setting("baseline", List.of()), Setting.parse("baseline: none"));
        for (String empty : new String[] {"", " ", ";", " ; ", "wd:", "wd: ;"}) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.parse(empty)).getMessage()
                    .contains("empty; give regularizer specs, or none"), "'" + empty + "'");
        }
    }

    @Test
    void unclosedParenthesisOrQuoteAndEmptyLabelAreUsageErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.parse("l2(lambda=1e-4; dropout(p=0.2)"))
                .getMessage().contains("unclosed parenthesis"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.parse("soft-anchor(to='x)"))
                .getMessage().contains("unclosed quote"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.parse(": l2(lambda=1)")).getMessage().contains("empty label"));
    }

    @Test
    void aModelPartReplacesTheCommandsModel() {
        Setting s = Setting.parse("deep: model=mlp(hidden=8x8, activation=sigmoid, batchnorm=true); clip-norm(max=1)");
        assertEquals("deep", s.label());
        assertEquals("mlp(hidden=8x8, activation=sigmoid, batchnorm=true)", s.model());
        assertEquals(List.of("clip-norm(max=1)"), s.specs());
        assertEquals("mlp(hidden=8x8, activation=sigmoid, batchnorm=true)", s.modelOr("mlp(hidden=4)"));
        assertEquals("mlp(hidden=4)", Setting.parse("l2(lambda=1)").modelOr("mlp(hidden=4)"));
        assertEquals(null, Setting.parse("l2(lambda=1)").model());
        assertEquals("mlp(hidden=4) + l2(lambda=1)", Setting.parse("MODEL= mlp(hidden=4); l2(lambda=1)").label(), "default label names the model");
        assertEquals("mlp(hidden=4)", Setting.parse("model=mlp(hidden=4)").label());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.parse("model=mlp; model=cnn")).getMessage().contains("two model="));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.parse("x: model= ; l2(lambda=1)")).getMessage()
                .contains("needs a model spec"));
    }

    @Test
    void slugsAreSafeFolderNames() {
        assertEquals("l2-lambda-1e-4-dropout-p-0.2", Setting.parse("l2(lambda=1e-4); dropout(p=0.2)").slug());
        assertEquals("setting", new Setting("!!!", List.of()).slug());
    }

    @Test
    void csvCellsWithCommasOrQuotesAreQuoted() {
        assertEquals("plain", Report.csvCell("plain"));
        assertEquals("\"a, b\"", Report.csvCell("a, b"));
        assertEquals("\"say \"\"hi\"\"\"", Report.csvCell("say \"hi\""));
    }
}
