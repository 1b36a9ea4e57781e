package dev.regula.core.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of an earlier run in a folder that a fresh run replaces. They are set aside (moved
 * into {@value #ASIDE} in the folder) before the fresh run writes anything, and stay there until
 * the fresh run ends ({@link #finish}): if it saved a checkpoint (it can be resumed) they are
 * deleted; if not (refused by a regularizer at its first step, a NaN in its first epoch, killed
 * before its first checkpoint) they are put back, and whatever the fresh run wrote under the run's
 * names is removed (a TensorBoard folder the earlier run did not have included), so a failed
 * command leaves the earlier run as it was, its metrics beside its own checkpoint. A run is the
 * names of the files and folders it writes and its checkpoint, whose presence says the fresh run
 * got far enough to be resumed; {@code regula train} and {@code regula train --spark} use it.
 *
 * <p>A kill at any moment leaves a state the next command on the folder settles ({@link #recover}),
 * without losing a file of the earlier run:
 * <ul>
 *   <li>The files are moved into {@value #PARTIAL}, after a list of their names ({@value #MANIFEST});
 *       only once all are there is that folder renamed {@value #ASIDE}. A partial set-aside is
 *       undone (the fresh run has written nothing yet): its files go back, nothing is deleted.
 *   <li>A put-back removes the fresh run's files of names the earlier run did not have, then moves
 *       each set-aside file over the fresh run's of its name, the checkpoint last. Cut short, it
 *       continues: a listed file no longer aside is back already and stays.
 * </ul>
 */
public final class EarlierRun {
    /** The folder the earlier run's files wait in. */
    public static final String ASIDE = ".earlier-run";
    /** The folder they are moved into, renamed {@link #ASIDE} once all are there. */
    public static final String PARTIAL = ".earlier-run.partial";
    /** The list of the names set aside, one per line, in the aside folder. */
    static final String MANIFEST = ".names";

    private final Path folder;
    private final List<String> names;
    private final List<String> moved;

    private EarlierRun(Path folder, List<String> names, List<String> moved) {
        this.folder = folder;
        this.names = List.copyOf(names);
        this.moved = List.copyOf(moved);
    }

    /**
     * Moves those of {@code names} that exist in {@code folder} aside. A failure midway puts back
     * what was moved before it is reported.
     *
     * @param folder the run folder, settled by {@link #recover} first
     * @param names every file (and subfolder) a run writes into the folder
     * @return what was set aside
     * @throws IOException if a file cannot be moved, or the folder still holds an unsettled aside
     */
    public static EarlierRun setAside(Path folder, List<String> names) throws IOException {
        Path partial = folder.resolve(PARTIAL);
        Path aside = folder.resolve(ASIDE);
        if (exists(partial) || exists(aside)) {
            throw new IOException(folder + " still holds the files of a run set aside before (" + ASIDE + "); settle them first");
        }
        List<String> present = new ArrayList<>();
        for (String name : names) if (exists(folder.resolve(name))) present.add(name);
        if (present.isEmpty()) return new EarlierRun(folder, names, List.of());
        Files.createDirectories(partial);
        try {
            Files.write(partial.resolve(MANIFEST), present, StandardCharsets.UTF_8);
            for (String name : present) Files.move(folder.resolve(name), partial.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            Files.move(partial, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                undoPartial(folder);
            } catch (IOException | RuntimeException f) {
                e.addSuppressed(f);
            }
            throw e;
        }
        return new EarlierRun(folder, names, present);
    }

    /**
     * Settles what a killed command left aside: a partial set-aside is undone; a complete one is
     * ended as {@link #finish} ends it (dropped if the folder has a checkpoint, else put back).
     * Called when a command claims the folder.
     *
     * @param folder the run folder
     * @param checkpoint the folder's checkpoint
     * @param names every file (and subfolder) a run writes into the folder
     * @return what was found and done
     * @throws IOException if a file cannot be moved or deleted
     */
    public static Recovery recover(Path folder, Path checkpoint, List<String> names) throws IOException {
        Recovery done = Recovery.NOTHING_ASIDE;
        if (Files.isDirectory(folder.resolve(PARTIAL), LinkOption.NOFOLLOW_LINKS)) {
            undoPartial(folder);
            done = Recovery.PUT_BACK;
        }
        Path aside = folder.resolve(ASIDE);
        if (Files.isDirectory(aside, LinkOption.NOFOLLOW_LINKS)) {
            done = exists(checkpoint) ? Recovery.DROPPED : Recovery.PUT_BACK;
            new EarlierRun(folder, names, manifest(aside)).finish(checkpoint);
        }
        return done;
    }

    /** What {@link #recover} found. */
    public enum Recovery {
        /** Nothing was set aside. */
        NOTHING_ASIDE,
        /** The earlier run's files were put back: the command that set them aside saved no checkpoint. */
        PUT_BACK,
        /** They were deleted: that command had saved a checkpoint of its own, which stays. */
        DROPPED
    }

    /**
     * Ends the replacement: the earlier run is dropped if the fresh one saved {@code checkpoint},
     * else put back, after the fresh run's files of names the earlier run lacked are removed.
     *
     * @param checkpoint the fresh run's checkpoint
     * @throws IOException if a file cannot be moved or deleted
     */
    public void finish(Path checkpoint) throws IOException {
        Path aside = folder.resolve(ASIDE);
        if (!exists(aside)) return;
        if (exists(checkpoint)) {
            delete(aside);
            return;
        }
        for (String name : names) if (!moved.contains(name)) delete(folder.resolve(name));
        String last = checkpoint.getFileName().toString();
        List<String> order = new ArrayList<>(moved);
        if (order.remove(last)) order.add(last);
        for (String name : order) {
            Path from = aside.resolve(name);
            if (!exists(from)) continue; // back already, before a kill
            delete(folder.resolve(name));
            Files.move(from, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
        delete(aside);
    }

    /** Puts back what a set-aside cut short had moved: the fresh run has not written, so nothing is deleted. */
    private static void undoPartial(Path folder) throws IOException {
        Path partial = folder.resolve(PARTIAL);
        if (!exists(partial)) return;
        try (var s = Files.list(partial)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.equals(MANIFEST)) continue;
                if (exists(folder.resolve(name))) {
                    throw new IOException(folder.resolve(name) + " exists beside the copy set aside in " + partial
                            + "; one of them must go by hand");
                }
                Files.move(p, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        delete(partial);
    }

    /** The names set aside: the manifest's, or (an aside of an older version) what the folder holds. */
    private static List<String> manifest(Path aside) throws IOException {
        Path list = aside.resolve(MANIFEST);
        if (Files.isRegularFile(list, LinkOption.NOFOLLOW_LINKS)) {
            return Files.readAllLines(list, StandardCharsets.UTF_8).stream().filter(s -> !s.isEmpty()).toList();
        }
        try (var s = Files.list(aside)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static void delete(Path p) throws IOException {
        if (!exists(p)) return;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.walk(p)) {
                for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
            }
        } else {
            Files.delete(p);
        }
    }
}
