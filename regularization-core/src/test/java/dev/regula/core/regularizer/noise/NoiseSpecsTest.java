package dev.regula.core.regularizer.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.regularizer.RegularizerProvider;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.SpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery through ServiceLoader and spec validation for the soft and noise families. */
class NoiseSpecsTest {
    private static final List<String> NAMES = List.of("soft-decay", "soft-anchor", "soft-weight-sharing", "soft-constraint",
            "dropout", "gaussian-dropout", "gaussian-noise", "alpha-dropout", "spatial-dropout", "drop-block", "drop-connect");

    @Test
    void everyProviderIsFoundAndItsCanonicalSpecRoundTrips() {
        Regularizers installed = Regularizers.installed();
        List<String> found = installed.providers().stream().map(RegularizerProvider::name).toList();
        assertTrue(found.containsAll(NAMES), "found " + found);
        for (String name : NAMES) {
            RegularizerProvider provider = installed.provider(name);
            String example = provider.schema().example().replaceAll("<[^>]*>", "0.5"); // required keys
            var r = installed.parse(example);
            assertEquals(name, r.name());
            assertEquals(r.spec(), installed.parse(r.spec()).spec(), name);
            assertTrue(!provider.description().isBlank());
        }
    }

    @Test
    void dropProbabilityOfOneIsRejectedNamingTheAllowedRange() {
        for (String name : List.of("dropout", "gaussian-dropout", "alpha-dropout", "spatial-dropout", "drop-block", "drop-connect")) {
            for (String p : List.of("1", "-0.1", "linear(from=0, to=1, steps=10)")) {
                SpecException e = assertThrows(SpecException.class, () -> Regularizers.installed().parse(name + "(p=" + p + ")"));
                assertTrue(e.getMessage().contains("[0, 1)") && e.getMessage().contains(name) && e.getMessage().contains("p"),
                        e.getMessage());
            }
        }
        SpecException e = assertThrows(SpecException.class, () -> Regularizers.installed().parse("dropout(rate=0.5)"));
        assertTrue(e.getMessage().contains("'p'") || e.getMessage().contains("p,") || e.getMessage().contains("allowed keys"), e.getMessage());
    }
}
