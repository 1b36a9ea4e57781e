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
 * the fresh run ends ({@link #finish}): if it wrote its marker (a checkpoint: it can be resumed; a
 * report written last: its results are whole) they are deleted; if not (refused at its first step,
 * a NaN in its first epoch, killed) they are put back, and whatever the fresh run wrote under the
 * run's names is removed (a TensorBoard folder the earlier run did not have included), so a failed
 * command leaves the earlier run as it was. A run is the names of the files and folders it writes
 * and its marker; {@code regula train}, {@code regula train --spark}, {@code regula compare} and
 * {@code regula compress} use it, each with its own names and marker.
 *
 * <p>A kill at any moment leaves a state the next command on the folder settles ({@link #recover}),
 * whichever command it is, without losing a file of the earlier run:
 * <ul>
 *   <li>A list ({@value #MANIFEST}) records the run's names, its marker and the names set aside,
 *       so that the recovering command settles the aside as the command that made it would have,
 *       not with its own names.
 *   <li>The files are moved into {@value #PARTIAL}, after the list; only once all are there is
 *       that folder renamed {@value #ASIDE}. A partial set-aside is undone (the fresh run has
 *       written nothing yet): its files go back, nothing is deleted.
 *   <li>A put-back removes the fresh run's files of names the earlier run did not have, then moves
 *       each set-aside file over the fresh run's of its name, the marker last. Cut short, it
 *       continues: a listed file no longer aside is back already and stays.
 *   <li>A drop renames the aside {@value #DROP} before deleting it, so that a drop cut short is
 *       finished, never taken for a put-back.
 * </ul>
 */
public final class EarlierRun {
    /** The folder the earlier run's files wait in. */
    public static final String ASIDE = ".earlier-run";
    /** The folder they are moved into, renamed {@link #ASIDE} once all are there. */
    public static final String PARTIAL = ".earlier-run.partial";
    /** An aside being deleted. */
    public static final String DROP = ".earlier-run.drop";
    /** The list of the run's names, its marker and the names set aside, in the aside folder. */
    static final String MANIFEST = ".names";

    private final Path folder;
    private final List<String> names;
    private final String marker;
    private final List<String> moved;

    private EarlierRun(Path folder, List<String> names, String marker, List<String> moved) {
        this.folder = folder;
        this.names = List.copyOf(names);
        this.marker = marker;
        this.moved = List.copyOf(moved);
    }

    /**
     * Moves those of {@code names} that exist in {@code folder} aside. A failure midway puts back
     * what was moved before it is reported.
     *
     * @param folder the run folder, settled by {@link #recover} first
     * @param names every file (and subfolder) a run writes into the folder
     * @param marker the name (one of {@code names}) whose presence at the end says the fresh run
     *     got far enough to replace the earlier one: a checkpoint, or a report written last
     * @return what was set aside
     * @throws IOException if a file cannot be moved, or the folder still holds an unsettled aside
     */
    public static EarlierRun setAside(Path folder, List<String> names, String marker) throws IOException {
        Path partial = folder.resolve(PARTIAL);
        if (asideFolder(partial) || asideFolder(folder.resolve(ASIDE)) || asideFolder(folder.resolve(DROP))) {
            throw new IOException(folder + " still holds the files of a run set aside before (" + ASIDE + "); settle them first");
        }
        List<String> present = new ArrayList<>();
        for (String name : names) if (exists(folder.resolve(name))) present.add(name);
        if (present.isEmpty()) return new EarlierRun(folder, names, marker, List.of());
        Files.createDirectories(partial);
        try {
            List<String> list = new ArrayList<>();
            list.add("marker " + marker);
            for (String name : names) list.add("name " + name);
            for (String name : present) list.add("moved " + name);
            Files.write(partial.resolve(MANIFEST), list, StandardCharsets.UTF_8);
            for (String name : present) Files.move(folder.resolve(name), partial.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            Files.move(partial, folder.resolve(ASIDE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                undoPartial(folder);
            } catch (IOException | RuntimeException f) {
                e.addSuppressed(f);
            }
            throw e;
        }
        return new EarlierRun(folder, names, marker, present);
    }

    /**
     * Settles what a killed command left: a partial set-aside is undone, a drop finished, and a
     * complete aside ended as its own command's {@link #finish} would have (dropped if that run's
     * marker is in the folder, else put back), by the names and marker its list records. Called
     * when a command claims the folder.
     *
     * @param folder the run folder
     * @param marker for an aside of an older version without a list: the marker to go by
     * @param names for an aside of an older version without a list: the run's names
     * @return what was found and done
     * @throws IOException if a file cannot be moved or deleted
     */
    public static Recovery recover(Path folder, Path marker, List<String> names) throws IOException {
        Recovery done = Recovery.NOTHING_ASIDE;
        if (asideFolder(folder.resolve(PARTIAL))) {
            undoPartial(folder);
            done = Recovery.PUT_BACK;
        }
        if (asideFolder(folder.resolve(DROP))) {
            delete(folder.resolve(DROP));
            done = Recovery.DROPPED;
        }
        Path aside = folder.resolve(ASIDE);
        if (asideFolder(aside)) {
            EarlierRun earlier = read(folder, aside, marker.getFileName().toString(), names);
            if (earlier.moved.isEmpty()) { // an empty aside: nothing to put back or drop
                delete(aside);
                return done;
            }
            done = exists(folder.resolve(earlier.marker)) ? Recovery.DROPPED : Recovery.PUT_BACK;
            earlier.finish();
        }
        return done;
    }

    /** What {@link #recover} found. */
    public enum Recovery {
        /** Nothing was set aside. */
        NOTHING_ASIDE,
        /** The earlier run's files were put back: the command that set them aside did not write its marker. */
        PUT_BACK,
        /** They were deleted: that command had written its marker (a checkpoint, a report), which stays. */
        DROPPED;

        /**
         * @param folder the run folder
         * @return what a command says about it (without its prefix), or null when nothing was aside
         */
        public String warning(Path folder) {
            return switch (this) {
                case NOTHING_ASIDE -> null;
                case PUT_BACK -> folder + " held the files of a run set aside by a command that was killed; they are back in place";
                case DROPPED -> folder + " held the files of a run set aside by a command that was killed; that command had saved"
                        + " its checkpoint (or report), so they are dropped";
            };
        }
    }

    /**
     * A run's work, which may fail.
     *
     * @param <T> what it gives
     */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * @return what the run gives
         * @throws IOException if it fails so
         */
        T run() throws IOException;
    }

    /**
     * Runs the fresh run and then {@link #finish}es, also when it fails: a failure to finish then
     * rides on the run's own failure (suppressed), which is what the caller reports.
     *
     * @param work the fresh run
     * @param <T> what it gives
     * @return what it gave
     * @throws IOException if the run or the finish fails so
     */
    public <T> T finishAfter(Work<T> work) throws IOException {
        T result;
        try {
            result = work.run();
        } catch (IOException | RuntimeException | Error e) {
            try {
                finish();
            } catch (IOException | RuntimeException f) {
                e.addSuppressed(f);
            }
            throw e;
        }
        finish();
        return result;
    }

    /**
     * Ends the replacement: the earlier run is dropped if the fresh one wrote its marker, else put
     * back, after the fresh run's files of names the earlier run lacked are removed.
     *
     * @throws IOException if a file cannot be moved or deleted
     */
    public void finish() throws IOException {
        Path aside = folder.resolve(ASIDE);
        if (!exists(aside)) return;
        if (exists(folder.resolve(marker))) {
            Files.move(aside, folder.resolve(DROP), StandardCopyOption.ATOMIC_MOVE);
            delete(folder.resolve(DROP));
            return;
        }
        for (String name : names) if (!moved.contains(name)) delete(folder.resolve(name));
        List<String> order = new ArrayList<>(moved);
        if (order.remove(marker)) order.add(marker);
        for (String name : order) {
            Path from = aside.resolve(name);
            if (!exists(from)) continue; // back already, before a kill
            delete(folder.resolve(name));
            Files.move(from, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
        try (var left = Files.list(aside)) {
            List<String> unknown = left.map(p -> p.getFileName().toString()).filter(n -> !n.equals(MANIFEST)).toList();
            if (!unknown.isEmpty()) {
                throw new IOException(aside + " still holds " + unknown + ", which its list does not name; they are left there to"
                        + " be looked at (move them back or delete them, then " + ASIDE + ")");
            }
        }
        // ended as a drop: an empty aside cut short in its deletion is then finished, never read as a list-less one
        Files.move(aside, folder.resolve(DROP), StandardCopyOption.ATOMIC_MOVE);
        delete(folder.resolve(DROP));
    }

    /**
     * Puts back what a set-aside cut short had moved: the fresh run has not written, so nothing is
     * deleted; a file written meanwhile under the same name (by a command that does not settle
     * asides) stays, and the earlier one comes back beside it as NAME.earlier.
     */
    private static void undoPartial(Path folder) throws IOException {
        Path partial = folder.resolve(PARTIAL);
        if (!exists(partial)) return;
        try (var s = Files.list(partial)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.equals(MANIFEST)) continue;
                Path to = folder.resolve(name);
                // written meanwhile by a command that does not settle asides: both copies are kept, the earlier one renamed
                for (int i = 1; exists(to); i++) to = folder.resolve(name + ".earlier" + (i == 1 ? "" : "-" + i));
                Files.move(p, to, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        delete(partial);
    }

    /** The aside as its list records it, or (an aside of an older version) with the caller's names and marker. */
    private static EarlierRun read(Path folder, Path aside, String fallbackMarker, List<String> fallbackNames) throws IOException {
        Path list = aside.resolve(MANIFEST);
        List<String> held;
        try (var s = Files.list(aside)) {
            held = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(MANIFEST)).toList();
        }
        if (!Files.isRegularFile(list, LinkOption.NOFOLLOW_LINKS)) {
            // an older version's aside: what it holds, settled with the caller's names and marker
            return new EarlierRun(folder, fallbackNames, fallbackMarker, held);
        }
        String marker = null;
        List<String> names = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (line.startsWith("marker ")) marker = checked(line.substring(7), list);
            else if (line.startsWith("name ")) names.add(checked(line.substring(5), list));
            else if (line.startsWith("moved ")) moved.add(checked(line.substring(6), list));
            else if (!line.isEmpty()) plain.add(checked(line, list));
        }
        if (marker == null) {
            // a list of plain names (an older version's) or a torn one: every file it holds was moved, as its own list
            // or what it holds says, and the caller's names and marker settle it
            java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(plain);
            all.addAll(moved);
            all.addAll(held);
            return new EarlierRun(folder, fallbackNames, fallbackMarker, List.copyOf(all));
        }
        return new EarlierRun(folder, names, marker, moved);
    }

    /** @return a name of the list, refused if it could reach outside the folder */
    private static String checked(String name, Path list) throws IOException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")) {
            throw new IOException(list + " names '" + name + "', which is no file of a run; settle " + list.getParent() + " by hand");
        }
        return name;
    }

    /**
     * @return whether {@code p}, one of the names this class keeps an aside under, is such a
     *     folder (false if nothing is there)
     * @throws IOException if something else is there (a file or link of the user's): it is never
     *     moved or deleted, and no run is set aside beside it
     */
    private static boolean asideFolder(Path p) throws IOException {
        if (!exists(p)) return false;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return true;
        throw new IOException(p + " is in the way: Regula keeps an earlier run's files in a folder of that name while a new run"
                + " replaces it, and this is not such a folder; move or rename it");
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
