package dev.regula.core.regularizer.support;

import java.util.regex.Pattern;

/**
 * Where an activation-level regularizer inserts its layers (the {@code after=} key):
 * {@value #HIDDEN} means after every hidden activation layer, {@value #NONE} after no layer; any
 * other value is a glob on layer
 * names ({@code *}, {@code ?}, alternatives joined with {@code |}), e.g. {@code after=dense*|conv2}.
 */
public final class LayerGlob {
    /** The {@code after} value meaning "after each hidden activation". */
    public static final String HIDDEN = "hidden";

    /** The {@code after} value meaning "after no layer" (drop path, which goes to residual branch ends). */
    public static final String NONE = "none";

    private final Pattern pattern;
    private final boolean none;

    private LayerGlob(Pattern pattern, boolean none) {
        this.pattern = pattern;
        this.none = none;
    }

    /**
     * @param text {@value #HIDDEN}, {@value #NONE} or a glob
     * @return the placement
     */
    public static LayerGlob parse(String text) {
        return new LayerGlob(text.equals(HIDDEN) || text.equals(NONE) ? null : glob(text), text.equals(NONE));
    }

    /**
     * @param layerName a layer's name
     * @param hiddenActivation whether it is an activation and not the model's last layer
     * @return whether to insert after it
     */
    public boolean matches(String layerName, boolean hiddenActivation) {
        if (none) return false;
        return pattern == null ? hiddenActivation : pattern.matcher(layerName).matches();
    }

    private static Pattern glob(String text) {
        StringBuilder re = new StringBuilder();
        for (String alt : text.split("\\|")) {
            if (!re.isEmpty()) re.append('|');
            re.append("(?:");
            for (char c : alt.trim().toCharArray()) {
                switch (c) {
                    case '*' -> re.append(".*");
                    case '?' -> re.append('.');
                    default -> re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            re.append(')');
        }
        return Pattern.compile(re.toString());
    }
}
