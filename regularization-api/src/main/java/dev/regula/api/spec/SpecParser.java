package dev.regula.api.spec;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Recursive-descent parser for {@link Spec} text; errors give the position and what was expected. */
final class SpecParser {
    static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(inf|infinity)", Pattern.CASE_INSENSITIVE);
    /** What a provider name or key is, as the parser reads it (lower case). */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.\\-]*");

    /**
     * @param what "provider name" or "key", for the message
     * @param word a name a provider declares
     * @throws IllegalArgumentException if a spec could never name it
     */
    static void requireDeclarable(String what, String word) {
        if (!NAME.matcher(word).matches()) {
            throw new IllegalArgumentException(what + " '" + word + "' cannot be written in a spec: use lower-case letters,"
                    + " digits, '_', '.' and '-', starting with a letter (specs are case-insensitive and read in lower case)");
        }
    }
    private static final int MAX_DEPTH = 16;

    private final String text;
    private int pos;

    SpecParser(String text) {
        if (text == null) throw new SpecException("spec text is null; expected e.g. l2(lambda=1e-4)");
        if (text.length() > 10_000) throw new SpecException("spec text is longer than 10000 characters");
        this.text = text;
    }

    Spec parseWhole() {
        skipSpace();
        if (pos >= text.length()) throw new SpecException("empty spec; expected a name such as l2(lambda=1e-4)");
        Spec spec = parseSpec(0);
        skipSpace();
        if (pos < text.length()) throw error("unexpected '" + text.charAt(pos) + "' after the spec");
        return spec;
    }

    static boolean isPlainWord(String s) {
        if (s.isEmpty()) return false;
        // a word that reads as a number ('inf', '1e5' written quoted) must stay quoted, or it
        // would parse back as a number and break the print/parse round trip
        if (NUMBER.matcher(s).matches()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (!isWordChar(s.charAt(i))) return false;
        }
        return true;
    }

    private Spec parseSpec(int depth) {
        if (depth > MAX_DEPTH) throw error("specs nest deeper than " + MAX_DEPTH + " levels");
        String name = parseName("a name");
        Map<String, SpecValue> args = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '(') {
            pos++;
            skipSpace();
            if (peek() == ')') {
                pos++;
                return new Spec(name, args);
            }
            while (true) {
                skipSpace();
                int keyPos = pos;
                String key = parseName("a key");
                skipSpace();
                expect('=', "'=' after key '" + key + "'");
                skipSpace();
                SpecValue value = parseValue(depth);
                if (args.put(key, value) != null) {
                    pos = keyPos;
                    throw error("key '" + key + "' is given twice");
                }
                skipSpace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == ')') {
                    pos++;
                    break;
                } else {
                    throw error(c == 0 ? "missing ')'" : "expected ',' or ')' but found '" + c + "'");
                }
            }
        }
        return new Spec(name, args);
    }

    private SpecValue parseValue(int depth) {
        char c = peek();
        if (c == '\'' || c == '"') return new SpecValue.Word(parseQuoted(c));
        int start = pos;
        while (pos < text.length() && isWordChar(text.charAt(pos))) pos++;
        String word = text.substring(start, pos);
        if (word.isEmpty()) throw error(c == 0 ? "missing value at end of text" : "expected a value but found '" + c + "'");
        int afterWord = pos;
        skipSpace();
        if (peek() == '(') {
            pos = start;
            if (!NAME.matcher(word.toLowerCase(Locale.ROOT)).matches()) throw error("bad name '" + word + "' before '('");
            return new SpecValue.Call(parseSpec(depth + 1));
        }
        pos = afterWord;
        if (NUMBER.matcher(word).matches()) {
            return new SpecValue.Num(Double.parseDouble(word.toLowerCase(Locale.ROOT).replace("infinity", "Infinity").replace("inf", "Infinity")), word);
        }
        return new SpecValue.Word(word);
    }

    private String parseQuoted(char quote) {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                sb.append(text.charAt(pos++));
            } else if (c == quote) {
                return sb.toString();
            } else {
                sb.append(c);
            }
        }
        pos = start;
        throw error("unterminated quoted text");
    }

    private String parseName(String what) {
        int start = pos;
        while (pos < text.length() && isWordChar(text.charAt(pos)) && text.charAt(pos) != '|' && text.charAt(pos) != ':') pos++;
        String name = text.substring(start, pos).toLowerCase(Locale.ROOT);
        if (!NAME.matcher(name).matches()) {
            pos = start;
            throw error("expected " + what + " (a letter, then letters, digits, '-', '_' or '.')");
        }
        return name;
    }

    private static boolean isWordChar(char c) {
        return !Character.isWhitespace(c) && c != ',' && c != '(' && c != ')' && c != '=' && c != '\'' && c != '"';
    }

    private void expect(char c, String what) {
        if (peek() != c) throw error("expected " + what);
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private SpecException error(String what) {
        return new SpecException("bad spec '" + text + "' at position " + pos + ": " + what
                + "; expected the form name(key=value, ...), e.g. l2(lambda=1e-4)");
    }
}
