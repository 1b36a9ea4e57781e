package dev.regula.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An earlier run set aside, dropped or put back, and every state a kill can leave settled without losing its files. */
class EarlierRunTest {
    private static final String CKPT = "checkpoint.safetensors";
    private static final List<String> NAMES = List.of(CKPT, "metrics.csv", "curves.png", "tensorboard");

    @TempDir
    Path dir;

    private void earlierRun() throws IOException {
        Files.writeString(dir.resolve(CKPT), "earlier checkpoint");
        Files.writeString(dir.resolve("metrics.csv"), "earlier metrics");
        Files.writeString(dir.resolve("notes.txt"), "the user's own file");
    }

    private void assertEarlierRunWhole() throws IOException {
        assertEquals("earlier checkpoint", Files.readString(dir.resolve(CKPT)));
        assertEquals("earlier metrics", Files.readString(dir.resolve("metrics.csv")));
        assertEquals("the user's own file", Files.readString(dir.resolve("notes.txt")));
        assertFalse(Files.exists(dir.resolve(EarlierRun.ASIDE)) || Files.exists(dir.resolve(EarlierRun.PARTIAL)));
    }

    @Test
    void aFreshRunThatSavedACheckpointReplacesTheEarlierOne() throws IOException {
        earlierRun();
        EarlierRun e = EarlierRun.setAside(dir, NAMES, CKPT);
        assertFalse(Files.exists(dir.resolve(CKPT)));
        Files.writeString(dir.resolve(CKPT), "fresh checkpoint");
        Files.createDirectories(dir.resolve("tensorboard"));
        e.finish();
        assertEquals("fresh checkpoint", Files.readString(dir.resolve(CKPT)));
        assertFalse(Files.exists(dir.resolve("metrics.csv")), "the earlier metrics go with the earlier run");
        assertTrue(Files.exists(dir.resolve("tensorboard")) && Files.exists(dir.resolve("notes.txt")));
        assertFalse(Files.exists(dir.resolve(EarlierRun.ASIDE)));
    }

    @Test
    void aFreshRunWithoutACheckpointLeavesTheEarlierRunAndNothingOfItsOwn() throws IOException {
        earlierRun();
        EarlierRun e = EarlierRun.setAside(dir, NAMES, CKPT);
        Files.writeString(dir.resolve("metrics.csv"), "fresh metrics");
        Files.createDirectories(dir.resolve("tensorboard").resolve("run"));
        Files.writeString(dir.resolve("tensorboard").resolve("run").resolve("events"), "fresh events");
        e.finish();
        assertEarlierRunWhole();
        assertFalse(Files.exists(dir.resolve("tensorboard")), "a name the earlier run lacked: the fresh run's, removed");
    }

    @Test
    void aSetAsideCutShortIsUndoneAndDeletesNothing() throws IOException {
        earlierRun();
        // killed after the list and the checkpoint moved, before the metrics and the rename
        Path partial = Files.createDirectories(dir.resolve(EarlierRun.PARTIAL));
        Files.write(partial.resolve(EarlierRun.MANIFEST), List.of(CKPT, "metrics.csv"), StandardCharsets.UTF_8);
        Files.move(dir.resolve(CKPT), partial.resolve(CKPT));
        assertEquals(EarlierRun.Recovery.PUT_BACK, EarlierRun.recover(dir, dir.resolve(CKPT), NAMES));
        assertEarlierRunWhole();
    }

    @Test
    void aPutBackCutShortIsContinuedWithoutDeletingWhatIsBackAlready() throws IOException {
        earlierRun();
        EarlierRun.setAside(dir, NAMES, CKPT);
        // the fresh run wrote metrics and events, then the put-back moved the metrics back and was killed
        Files.createDirectories(dir.resolve("tensorboard"));
        Path aside = dir.resolve(EarlierRun.ASIDE);
        Files.move(aside.resolve("metrics.csv"), dir.resolve("metrics.csv"));
        assertEquals(EarlierRun.Recovery.PUT_BACK, EarlierRun.recover(dir, dir.resolve(CKPT), NAMES));
        assertEarlierRunWhole();
        assertFalse(Files.exists(dir.resolve("tensorboard")));
        // the checkpoint goes back last: once it is back, only the empty aside is left, and dropping it loses nothing
        EarlierRun.setAside(dir, NAMES, CKPT);
        Files.move(aside.resolve("metrics.csv"), dir.resolve("metrics.csv"));
        Files.move(aside.resolve(CKPT), dir.resolve(CKPT));
        EarlierRun.recover(dir, dir.resolve(CKPT), NAMES);
        assertEarlierRunWhole();
    }

    @Test
    void anotherCommandSettlesTheAsideAsTheCommandThatMadeItWould() throws IOException {
        // a compare-like run (its report the marker, its setting folder a name) killed while its earlier run was aside
        Files.writeString(dir.resolve("report.md"), "earlier report");
        Files.createDirectories(dir.resolve("01-none"));
        Files.writeString(dir.resolve("01-none").resolve("metrics.csv"), "earlier setting");
        Files.writeString(dir.resolve(CKPT), "a train run's checkpoint, not compare's");
        List<String> compareNames = List.of("report.md", "01-none", "02-l2");
        EarlierRun.setAside(dir, compareNames, "report.md");
        Files.createDirectories(dir.resolve("02-l2")); // the killed run's half-written setting
        // a train command recovers: with compare's names and marker, not its own (its checkpoint is no marker here)
        assertEquals(EarlierRun.Recovery.PUT_BACK, EarlierRun.recover(dir, dir.resolve(CKPT), NAMES));
        assertEquals("earlier report", Files.readString(dir.resolve("report.md")));
        assertEquals("earlier setting", Files.readString(dir.resolve("01-none").resolve("metrics.csv")));
        assertFalse(Files.exists(dir.resolve("02-l2")), "the killed run's own folder");
        assertEquals("a train run's checkpoint, not compare's", Files.readString(dir.resolve(CKPT)));
    }

    @Test
    void aDropCutShortIsFinishedNotTakenForAPutBack() throws IOException {
        earlierRun();
        EarlierRun.setAside(dir, NAMES, CKPT);
        Files.writeString(dir.resolve(CKPT), "fresh checkpoint");
        Files.writeString(dir.resolve("metrics.csv"), "fresh metrics");
        // killed while deleting the renamed aside: half of it gone
        Files.move(dir.resolve(EarlierRun.ASIDE), dir.resolve(EarlierRun.DROP));
        Files.delete(dir.resolve(EarlierRun.DROP).resolve(CKPT));
        assertEquals(EarlierRun.Recovery.DROPPED, EarlierRun.recover(dir, dir.resolve(CKPT), NAMES));
        assertEquals("fresh checkpoint", Files.readString(dir.resolve(CKPT)));
        assertEquals("fresh metrics", Files.readString(dir.resolve("metrics.csv")));
        assertFalse(Files.exists(dir.resolve(EarlierRun.DROP)));
    }

    @Test
    void aListOfPlainNamesOrAnEmptyAsideNeverDeletesTheEarlierRun() throws IOException {
        earlierRun();
        // the previous version's list: plain names, one per line
        Path aside = Files.createDirectories(dir.resolve(EarlierRun.ASIDE));
        Files.move(dir.resolve(CKPT), aside.resolve(CKPT));
        Files.move(dir.resolve("metrics.csv"), aside.resolve("metrics.csv"));
        Files.write(aside.resolve(EarlierRun.MANIFEST), List.of(CKPT, "metrics.csv"), StandardCharsets.UTF_8);
        assertEquals(EarlierRun.Recovery.PUT_BACK, EarlierRun.recover(dir, dir.resolve(CKPT), NAMES));
        assertEarlierRunWhole();
        // an empty aside (a put-back cut short at its very end, in an older version): nothing to settle, nothing deleted
        Files.createDirectories(dir.resolve(EarlierRun.ASIDE));
        Files.delete(dir.resolve(CKPT)); // as a kill before the first checkpoint leaves a folder
        EarlierRun.recover(dir, dir.resolve(CKPT), NAMES);
        assertEquals("earlier metrics", Files.readString(dir.resolve("metrics.csv")));
        assertFalse(Files.exists(dir.resolve(EarlierRun.ASIDE)));
    }

    @Test
    void aPartialAsideBesideAFileWrittenMeanwhileKeepsBoth() throws IOException {
        earlierRun();
        Path partial = Files.createDirectories(dir.resolve(EarlierRun.PARTIAL));
        Files.move(dir.resolve("metrics.csv"), partial.resolve("metrics.csv"));
        Files.writeString(dir.resolve("metrics.csv"), "written meanwhile by another command");
        assertEquals(EarlierRun.Recovery.PUT_BACK, EarlierRun.recover(dir, dir.resolve(CKPT), NAMES));
        assertEquals("written meanwhile by another command", Files.readString(dir.resolve("metrics.csv")));
        assertEquals("earlier metrics", Files.readString(dir.resolve("metrics.csv.earlier")));
    }

    @Test
    void aListNamingAPathOutsideTheFolderIsRefused() throws IOException {
        earlierRun();
        EarlierRun.setAside(dir, NAMES, CKPT);
        Files.write(dir.resolve(EarlierRun.ASIDE).resolve(EarlierRun.MANIFEST), List.of("marker " + CKPT, "name ..", "moved " + CKPT),
                StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> EarlierRun.recover(dir, dir.resolve(CKPT), NAMES));
        assertTrue(Files.exists(dir.resolve(EarlierRun.ASIDE).resolve(CKPT)), "left for a person to look at");
    }

    @Test
    void anAsideOfAnOlderVersionWithoutAListIsPutBackFromWhatItHolds() throws IOException {
        earlierRun();
        Path aside = Files.createDirectories(dir.resolve(EarlierRun.ASIDE));
        Files.move(dir.resolve(CKPT), aside.resolve(CKPT));
        Files.move(dir.resolve("metrics.csv"), aside.resolve("metrics.csv"));
        assertEquals(EarlierRun.Recovery.PUT_BACK, EarlierRun.recover(dir, dir.resolve(CKPT), NAMES));
        assertEarlierRunWhole();
        assertEquals(EarlierRun.Recovery.NOTHING_ASIDE, EarlierRun.recover(dir, dir.resolve(CKPT), NAMES));
    }

    @Test
    void anUnsettledAsideIsNeverOverwrittenAndAnEmptyFolderSetsNothingAside() throws IOException {
        earlierRun();
        EarlierRun.setAside(dir, NAMES, CKPT);
        assertThrows(IOException.class, () -> EarlierRun.setAside(dir, NAMES, CKPT));
        assertEquals(EarlierRun.Recovery.PUT_BACK, EarlierRun.recover(dir, dir.resolve(CKPT), NAMES));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        EarlierRun none = EarlierRun.setAside(empty, NAMES, CKPT);
        assertFalse(Files.exists(empty.resolve(EarlierRun.PARTIAL)) || Files.exists(empty.resolve(EarlierRun.ASIDE)));
        none.finish();
    }

    @Test
    void aFileOfTheUsersUnderAnAsideNameIsNamedAndNeverMovedOrDeleted() throws IOException {
        earlierRun();
        for (String name : List.of(EarlierRun.ASIDE, EarlierRun.PARTIAL, EarlierRun.DROP)) {
            Path mine = Files.writeString(dir.resolve(name), "notes of mine");
            IOException e = assertThrows(IOException.class, () -> EarlierRun.recover(dir, dir.resolve(CKPT), NAMES));
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("move or rename it"), e.getMessage());
            e = assertThrows(IOException.class, () -> EarlierRun.setAside(dir, NAMES, CKPT));
            assertTrue(e.getMessage().contains("is in the way"), e.getMessage());
            assertEquals("notes of mine", Files.readString(mine));
            Files.delete(mine);
            assertEarlierRunWhole();
        }
        Path target = Files.createDirectories(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve(EarlierRun.ASIDE), target);
        assertThrows(IOException.class, () -> EarlierRun.recover(dir, dir.resolve(CKPT), NAMES), "a link to a folder is not an aside");
        assertTrue(Files.isSymbolicLink(link) && Files.isDirectory(target));
    }
}
