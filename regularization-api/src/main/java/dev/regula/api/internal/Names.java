package dev.regula.api.internal;

import java.util.Collection;

/** Edit-distance suggestions for unknown names ("did you mean ..."). */
public final class Names {
    private Names() {
    }

    /**
     * @param wanted the unknown name
     * @param known the names that exist
     * @return the closest known name within a small edit distance, or null
     */
    public static String nearest(String wanted, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(wanted, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        int limit = Math.max(2, wanted.length() / 3);
        return best != null && bestDistance <= limit ? best : null;
    }

    /**
     * @param a first string
     * @param b second string
     * @return the Levenshtein distance
     */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
