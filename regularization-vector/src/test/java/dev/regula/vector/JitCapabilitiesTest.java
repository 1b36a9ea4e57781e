package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JitCapabilitiesTest {
    private static JitCapabilities with(Map<String, String> flags, String vmInfo) {
        return JitCapabilities.of(name -> Optional.ofNullable(flags.get(name)), vmInfo);
    }

    private static final Map<String, String> C2_WITH_FMA =
            Map.of("UseCompiler", "true", "TieredCompilation", "true", "TieredStopAtLevel", "4", "UseFMA", "true");

    @Test
    void c2WithHardwareFmaIsFast() {
        JitCapabilities c = with(C2_WITH_FMA, "mixed mode, sharing");
        assertTrue(c.fast());
        assertEquals(Optional.empty(), c.problem());
    }

    @Test
    void interpretedJvmIsRefusedNamingTheOption() {
        JitCapabilities c = with(C2_WITH_FMA, "interpreted mode, sharing");
        assertFalse(c.fast());
        assertTrue(c.problem().orElseThrow().contains("-Xint"), c.problem().orElseThrow());
        Map<String, String> noCompiler = new java.util.HashMap<>(C2_WITH_FMA);
        noCompiler.put("UseCompiler", "false");
        assertTrue(with(noCompiler, "mixed mode").problem().orElseThrow().contains("-XX:-UseCompiler"));
    }

    @Test
    void tieredStopBelowC2IsRefusedButNotWithoutTiering() {
        for (String level : new String[] {"0", "1", "2", "3"}) {
            Map<String, String> flags = new java.util.HashMap<>(C2_WITH_FMA);
            flags.put("TieredStopAtLevel", level);
            JitCapabilities c = with(flags, "mixed mode");
            assertFalse(c.fast(), level);
            assertTrue(c.problem().orElseThrow().contains("-XX:TieredStopAtLevel=" + level), c.problem().orElseThrow());
            // with tiering off the level is ignored and C2 compiles everything
            flags.put("TieredCompilation", "false");
            assertTrue(with(flags, "mixed mode").fast(), level);
        }
    }

    @Test
    void noHardwareFmaIsRefused() {
        Map<String, String> flags = new java.util.HashMap<>(C2_WITH_FMA);
        flags.put("UseFMA", "false");
        JitCapabilities c = with(flags, "mixed mode");
        assertFalse(c.fast());
        assertTrue(c.problem().orElseThrow().contains("UseFMA"), c.problem().orElseThrow());
    }

    @Test
    void flagsTheJvmDoesNotHaveAreGivenTheBenefitOfTheDoubt() {
        assertTrue(with(Map.of(), "").fast());
        assertTrue(with(Map.of("TieredStopAtLevel", "not a number"), "mixed mode").fast());
    }

    @Test
    void theRunningJvmExposesTheFlags() {
        // the test JVM runs with C2 (no TieredStopAtLevel in the Surefire argLine); its UseFMA is
        // whatever the CPU has, so only the C2 part is asserted
        JitCapabilities live = JitCapabilities.ofThisJvm();
        assertTrue(live.problem().map(p -> p.contains("FMA")).orElse(true), live.problem().orElse(""));
    }
}
