package dev.regula.gan.prior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class FacePriorTest {
    @Test
    void parsesNamesCaseInsensitivelyInOrder() {
        assertEquals(List.of("pale_skin", "smiling"), FacePrior.parseAttributes("Pale_Skin + smiling"));
    }

    @Test
    void rejectsUnknownRepeatedAndEmptyNamesNamingTheAllowedOnes() {
        SpecException unknown = assertThrows(SpecException.class, () -> FacePrior.parseAttributes("smiling+hat"));
        assertTrue(unknown.getMessage().contains("'hat'") && unknown.getMessage().contains("smiling, glasses, dark_hair, pale_skin"),
                unknown.getMessage());
        assertThrows(SpecException.class, () -> FacePrior.parseAttributes("glasses+glasses"));
        assertThrows(SpecException.class, () -> FacePrior.parseAttributes(""));
        assertThrows(SpecException.class, () -> FacePrior.parseAttributes("smiling+"));
    }

    @Test
    void conditionsAreTheNamedLabelColumns() {
        Tensor labels = Tensor.wrap(new float[] {1, 0, 1, 0, 0, 1, 0, 1}, 2, 4);
        Tensor c = FacePrior.conditions(labels, List.of("pale_skin", "smiling"));
        assertArrayEquals(new float[] {0, 1, 1, 0}, c.data());
    }
}
