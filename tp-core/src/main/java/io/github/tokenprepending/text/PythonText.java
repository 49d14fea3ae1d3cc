package io.github.tokenprepending.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Python {@code str} operations the official code relies on (SentEval's loaders, the batcher's
 * preprocessing, {@code prompt.strip()}), with Python's exact semantics.
 */
public final class PythonText {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private PythonText() {
    }

    /**
     * @param c a BMP code unit (Python's whitespace characters all lie in the BMP)
     * @return true exactly where Python's {@code str.isspace()} is true for that character
     */
    public static boolean isSpace(char c) {
        switch (c) {
            case ' ': case '\t': case '\n': case 0x0B: case '\f': case '\r':
            case 0x1C: case 0x1D: case 0x1E: case 0x1F:
            case 0x85: case 0xA0: case 0x1680:
            case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
                return true;
            default:
                return c >= 0x2000 && c <= 0x200A;
        }
    }

    /** Python {@code s.split()}: runs of whitespace separate words; no empty words. */
    public static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(s.substring(start, i));
            }
        }
        return words;
    }

    /** Python {@code ' '.join(s.split())}: SentEval's tokenisation undone by the batcher. */
    public static String joinWords(String s) {
        return String.join(" ", split(s));
    }

    /** Python {@code s.lstrip()}. */
    public static String lstrip(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }

    /** Python {@code s.rstrip()}. */
    public static String rstrip(String s) {
        int j = s.length();
        while (j > 0 && isSpace(s.charAt(j - 1))) {
            j--;
        }
        return s.substring(0, j);
    }

    /** Python {@code s.strip()}. */
    public static String strip(String s) {
        int i = 0;
        int j = s.length();
        while (i < j && isSpace(s.charAt(i))) {
            i++;
        }
        while (j > i && isSpace(s.charAt(j - 1))) {
            j--;
        }
        return s.substring(i, j);
    }

    /**
     * Python {@code text.splitlines()}: breaks at CR LF, CR, LF, U+000B, U+000C, U+001C to U+001E, U+0085, U+2028 and
     * U+2029; a final line break ends the last line rather than starting an empty one.
     */
    public static List<String> splitLines(String text) {
        return lines(text, true);
    }

    /**
     * The lines of Python's {@code for line in open(path)} (universal newlines: CR LF, CR and LF end a line), without
     * their line breaks.
     */
    public static List<String> fileLines(String text) {
        return lines(text, false);
    }

    /**
     * Python {@code float(s)} restricted to finite decimal numbers: surrounding whitespace is ignored.
     *
     * @throws NumberFormatException if {@code s} is not a decimal number or is out of the double range
     */
    public static double parseFloat(String s) {
        String t = strip(s);
        if (!DECIMAL.matcher(t).matches()) {
            throw new NumberFormatException("not a decimal number: '" + s + "'");
        }
        double v = Double.parseDouble(t);
        if (Double.isInfinite(v)) {
            throw new NumberFormatException("out of range: '" + s + "'");
        }
        return v;
    }

    private static List<String> lines(String text, boolean allBreaks) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || allBreaks && isExtraBreak(c)) {
                out.add(text.substring(start, i));
                i += c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < n) {
            out.add(text.substring(start));
        }
        return out;
    }

    private static boolean isExtraBreak(char c) {
        return c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D || c == 0x1E || c == 0x85 || c == 0x2028
                || c == 0x2029;
    }
}
