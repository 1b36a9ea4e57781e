package dev.regula.examples.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecipesArgumentsTest {
    @Test
    void theExampleCountIsAWholeNumberInRangeOrTheDefault() {
        assertEquals(3000, Recipes.exampleCount(new String[0], 3000));
        assertEquals(500, Recipes.exampleCount(new String[] {" 500 "}, 3000));
        for (String bad : new String[] {"ten", "0", "-5", "60001", "1e3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Recipes.exampleCount(new String[] {bad}, 3000));
            assertTrue(e.getMessage().contains("[1, 60000]") && e.getMessage().contains(bad), e.getMessage());
        }
    }
}
