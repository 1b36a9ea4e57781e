package dev.regula.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecSchemaTest {
    private final SpecSchema schema = SpecSchema.of("regularizer", "demo",
            SpecKey.schedule("lambda", null, 0, Double.POSITIVE_INFINITY, "strength"),
            SpecKey.number("p", "0.5", 0, true, 1, false, "drop probability"),
            SpecKey.integer("k", "3", 1, 10, "count"),
            SpecKey.bool("flag", false, "a flag"),
            SpecKey.choice("axis", "rows", List.of("rows", "columns"), "axis"),
            SpecKey.selector("weights"));

    private String error(String text) {
        return assertThrows(SpecException.class, () -> schema.bind(Spec.parse(text))).getMessage();
    }

    @Test
    void defaultsAreFilledAndTypedGettersWork() {
        SpecArguments a = schema.bind(Spec.parse("demo(lambda=2)"));
        assertEquals(2, a.schedule("lambda").valueAt(0, 0));
        assertEquals(0.5, a.number("p"));
        assertEquals(3, a.integer("k"));
        assertEquals(false, a.bool("flag"));
        assertEquals("rows", a.text("axis"));
        Parameter w = new Parameter("d", "weight", ParameterRole.WEIGHT, Tensor.zeros(1));
        Parameter b = new Parameter("d", "bias", ParameterRole.BIAS, Tensor.zeros(1));
        assertTrue(a.selector("on").test(w));
        assertTrue(!a.selector("on").test(b));
        assertEquals("demo(lambda=2, p=0.5, k=3, flag=false, axis=rows, on=weights)", a.toSpec().toString());
    }

    @Test
    void unknownKeyNamesProviderKeyAllowedKeysAndTheNearest() {
        String m = error("demo(lamda=1)");
        assertTrue(m.contains("regularizer 'demo' has no key 'lamda'"), m);
        assertTrue(m.contains("allowed keys: lambda, p, k, flag, axis, on"), m);
        assertTrue(m.contains("Did you mean 'lambda'?"), m);
    }

    @Test
    void missingRequiredKeyIsNamedWithAnExample() {
        String m = error("demo()");
        assertTrue(m.contains("needs lambda"), m);
        assertTrue(m.contains("e.g. demo(lambda="), m);
    }

    @Test
    void outOfRangeValuesNameTheRange() {
        assertTrue(error("demo(lambda=-1)").contains("lambda=-1 is out of range; allowed: [0, +inf)"), error("demo(lambda=-1)"));
        assertTrue(error("demo(lambda=1, p=1)").contains("allowed: [0, 1)"));
        assertTrue(error("demo(lambda=1, k=2.5)").contains("whole number"));
        assertTrue(error("demo(lambda=1, k=11)").contains("[1, 10]"));
        assertTrue(error("demo(lambda=linear(from=1, to=-1, steps=5))").contains("out of range"));
    }

    @Test
    void wrongTypesNameWhatIsAllowed() {
        assertTrue(error("demo(lambda=1, flag=yes)").contains("true or false"));
        assertTrue(error("demo(lambda=1, axis=diagonal)").contains("rows | columns"));
        assertTrue(error("demo(lambda=1, p=high)").contains("allowed: [0, 1)"));
        assertTrue(error("demo(lambda=much)").contains("not a number or schedule"));
        assertTrue(error("demo(lambda=1, on=everything)").contains("bad parameter selector 'everything'"));
        assertTrue(error("demo(lambda=wobble(a=1))").contains("unknown schedule 'wobble'"));
    }

    @Test
    void nanIsNeverInRange() {
        assertTrue(!SpecKey.number("x", null, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "").inRange(Double.NaN));
    }

    /** A name or key no spec can write (specs are read in lower case) is refused when the plugin declares it. */
    @org.junit.jupiter.api.Test
    void namesAndKeysASpecCannotWriteAreRefusedWhenDeclared() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SpecSchema.of("regularizer", "Acme-Case"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("regularizer provider name 'Acme-Case' cannot be written"),
                e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SpecKey.number("Lambda", "1", 0, 1, "strength"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("key 'Lambda' cannot be written"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertEquals("acme-case", SpecSchema.of("regularizer", "acme-case").name());
    }

    /** A number written in quotes is text: the message says so, instead of refusing "3" as if 3 were out of range. */
    @Test
    void aQuotedNumberIsReportedAsQuotedText() {
        String e = error("demo(lambda=1, p=\"0.5\")");
        org.junit.jupiter.api.Assertions.assertTrue(e.contains("p=\"0.5\" is quoted text, not a number"), e);
        e = error("demo(lambda=\"1e-4\")"); // a schedule key
        org.junit.jupiter.api.Assertions.assertTrue(e.contains("\"1e-4\" is quoted text, not a number"), e);
        e = error("demo(lambda=1, p=1f)"); // a word the parser does not read as a number: not called quoted
        org.junit.jupiter.api.Assertions.assertFalse(e.contains("quoted"), e);
    }
}
