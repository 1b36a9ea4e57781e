package dev.regula.api.param;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ParameterSelectorTest {
    private final Parameter w1 = new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.zeros(2));
    private final Parameter b1 = new Parameter("dense1", "bias", ParameterRole.BIAS, Tensor.zeros(2));
    private final Parameter out = new Parameter("out", "weight", ParameterRole.WEIGHT, Tensor.zeros(2));
    private final Parameter gamma = new Parameter("bn1", "gamma", ParameterRole.NORM_SCALE, Tensor.zeros(2));

    @Test
    void formsSelectWhatTheySay() {
        assertTrue(ParameterSelector.parse("weights").test(w1));
        assertFalse(ParameterSelector.parse("weights").test(b1));
        assertFalse(ParameterSelector.parse("weights").test(gamma));
        assertTrue(ParameterSelector.parse("biases").test(b1));
        assertTrue(ParameterSelector.parse("all").test(gamma));
        assertTrue(ParameterSelector.parse("role:norm_scale").test(gamma));
        assertTrue(ParameterSelector.parse("layer:dense*").test(b1));
        assertFalse(ParameterSelector.parse("layer:dense*").test(out));
        assertTrue(ParameterSelector.parse("name:out.weight").test(out));
        assertFalse(ParameterSelector.parse("name:out.weight").test(w1));
        ParameterSelector union = ParameterSelector.parse("biases|layer:out");
        assertTrue(union.test(b1) && union.test(out) && !union.test(w1));
    }

    @Test
    void badSelectorsListTheAllowedForms() {
        for (String bad : new String[] {"", "weightz", "role:WHEELS", "layer:", "weights|"}) {
            SpecException e = assertThrows(SpecException.class, () -> ParameterSelector.parse(bad), bad);
            assertTrue(e.getMessage().contains("allowed"), e.getMessage());
        }
    }
}
