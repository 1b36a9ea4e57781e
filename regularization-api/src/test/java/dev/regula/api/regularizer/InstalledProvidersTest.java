package dev.regula.api.regularizer;

import static org.junit.jupiter.api.Assertions.assertSame;

import dev.regula.api.model.Models;
import dev.regula.api.optim.Optimizers;
import org.junit.jupiter.api.Test;

/** The installed providers are looked up once per JVM, as the JDK's installedProviders() are. */
class InstalledProvidersTest {
    @Test
    void installedIsLookedUpOnce() {
        assertSame(Regularizers.installed(), Regularizers.installed());
        assertSame(Optimizers.installed(), Optimizers.installed());
        assertSame(Models.installed(), Models.installed());
    }
}
