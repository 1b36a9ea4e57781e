package dev.regula.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of an earlier run in a folder that a fresh run replaces. They are set aside (moved
 * into {@value #ASIDE} in the folder) just before the fresh run writes anything; once the fresh
 * run has saved its first checkpoint they are deleted, and if it ends without one (refused by a
 * regularizer at its first step, a NaN in its first epoch) they are put back, and whatever the
 * fresh run wrote under any of the run's names is removed (a TensorBoard folder the earlier run
 * did not have included), so a failed command leaves the earlier run as it was, its metrics
 * beside its own checkpoint, and nothing of its own. A run is defined by the names of the files
 * and folders it writes and by its checkpoint, whose presence says the fresh run got far enough
 * to be resumed; {@code regula train} and {@code regula train --spark} use it.
 */
public final class EarlierRun {
    /** The folder the earlier run's files wait in. */
    public static final String ASIDE = ".earlier-run";

    private final Path folder;
    private final List<String> names;
    private final List<String> moved;

    private EarlierRun(Path folder, List<String> names, List<String> moved) {
        this.folder = folder;
        this.names = List.copyOf(names);
        this.moved = moved;
    }

    /**
     * Moves those of {@code names} that exist in {@code folder} aside (a stale {@value #ASIDE}
     * left by a killed command is dropped first).
     *
     * @param folder the run folder
     * @param names every file (and subfolder) a run writes into the folder
     * @return what was set aside
     * @throws IOException if a file cannot be moved
     */
    public static EarlierRun setAside(Path folder, List<String> names) throws IOException {
        Path aside = folder.resolve(ASIDE);
        delete(aside);
        List<String> moved = new ArrayList<>();
        for (String name : names) {
            Path p = folder.resolve(name);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) continue;
            Files.createDirectories(aside);
            Files.move(p, aside.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            moved.add(name);
        }
        return new EarlierRun(folder, names, moved);
    }

    /**
     * Settles what a killed command left aside: if the folder has no checkpoint, the earlier run is
     * put back (the fresh run never reached its first checkpoint); if it has one, the earlier run
     * is dropped (the fresh run got that far). Called when a command claims the folder.
     *
     * @param folder the run folder
     * @param checkpoint the folder's checkpoint
     * @param names every file (and subfolder) a run writes into the folder
     * @return whether there was anything aside
     * @throws IOException if a file cannot be moved or deleted
     */
    public static boolean recover(Path folder, Path checkpoint, List<String> names) throws IOException {
        Path aside = folder.resolve(ASIDE);
        if (!Files.isDirectory(aside, LinkOption.NOFOLLOW_LINKS)) return false;
        List<String> moved = new ArrayList<>();
        try (var s = Files.list(aside)) {
            s.forEach(p -> moved.add(p.getFileName().toString()));
        }
        new EarlierRun(folder, names, moved).finish(checkpoint);
        return true;
    }

    /**
     * Ends the replacement: the earlier run is dropped if the fresh one saved {@code checkpoint},
     * else put back, after whatever the fresh one wrote under any of the run's names is removed.
     *
     * @param checkpoint the fresh run's checkpoint
     * @throws IOException if a file cannot be moved or deleted
     */
    public void finish(Path checkpoint) throws IOException {
        Path aside = folder.resolve(ASIDE);
        if (Files.exists(checkpoint, LinkOption.NOFOLLOW_LINKS)) {
            delete(aside);
            return;
        }
        for (String name : names) delete(folder.resolve(name));
        for (String name : moved) Files.move(aside.resolve(name), folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        delete(aside);
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.walk(p)) {
                for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
            }
        } else {
            Files.delete(p);
        }
    }
}
