package io.github.tokenprepending.prompt;

import java.util.ArrayList;
import java.util.List;

/** Python {@code str} whitespace semantics ({@code isspace}, {@code split()}, {@code strip()}) on Java strings. */
final class PyStrings {
    private PyStrings() {
    }

    /**
     * @param c a BMP code unit
     * @return true exactly where Python's {@code str.isspace()} is true for that character
     */
    static boolean isSpace(char c) {
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
    static List<String> split(String s) {
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

    /** Python {@code s.lstrip()}. */
    static String lstrip(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }

    /** Python {@code s.rstrip()}. */
    static String rstrip(String s) {
        int j = s.length();
        while (j > 0 && isSpace(s.charAt(j - 1))) {
            j--;
        }
        return s.substring(0, j);
    }
}
