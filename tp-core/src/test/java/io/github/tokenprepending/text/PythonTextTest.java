package io.github.tokenprepending.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values from /usr/bin/python3 (3.11.2), as each comment shows. */
class PythonTextTest {

    // [hex(c) for c in range(0x110000) if chr(c).isspace()]
    @Test
    void isSpaceMatchesPython() {
        List<Integer> python = List.of(0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
                0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
                0x2029, 0x202f, 0x205f, 0x3000);
        List<Integer> ours = new ArrayList<>();
        for (int c = 0; c <= 0xFFFF; c++) {
            if (PythonText.isSpace((char) c)) {
                ours.add(c);
            }
        }
        assertThat(ours).isEqualTo(python);
    }

    // ' a\u00a0 b\u3000c\t'.split() == ['a', 'b', 'c']; '\u200b'.split() == ['\u200b']
    @Test
    void splitAndJoinLikePython() {
        assertThat(PythonText.split(" a\u00a0 b\u3000c\t")).containsExactly("a", "b", "c");
        assertThat(PythonText.split("\u200b")).containsExactly("\u200b");
        assertThat(PythonText.split(" \t ")).isEmpty();
        assertThat(PythonText.joinWords("  the   cat\u2009sat ")).isEqualTo("the cat sat");
        assertThat(PythonText.strip("\u0085 a b\r\n")).isEqualTo("a b");
    }

    // 'x\x0by\x0cz\x1cw\x1dv\x1eu\x85t\u2028s\u2029r\r\nq\rp\n\nend\n'.splitlines()
    //   == ['x', 'y', 'z', 'w', 'v', 'u', 't', 's', 'r', 'q', 'p', '', 'end']
    @Test
    void splitLinesLikePython() {
        String text = "x\u000by\u000cz\u001cw\u001dv\u001eu\u0085t\u2028s\u2029r\r\nq\rp\n\nend\n";
        assertThat(PythonText.splitLines(text)).containsExactly("x", "y", "z", "w", "v", "u", "t", "s", "r", "q", "p",
                "", "end");
        assertThat(PythonText.splitLines("")).isEmpty();
        assertThat(PythonText.splitLines("a")).containsExactly("a");
    }

    // list(io.StringIO('a\x0bb\r\nc\rd\n\ne', newline=None)) == ['a\x0bb\n', 'c\n', 'd\n', '\n', 'e']
    @Test
    void fileLinesBreakOnlyAtUniversalNewlines() {
        assertThat(PythonText.fileLines("a\u000bb\r\nc\rd\n\ne")).containsExactly("a\u000bb", "c", "d", "", "e");
        assertThat(PythonText.fileLines("a\n")).containsExactly("a");
    }

    // float(' 2.5\t') == 2.5, float('+.5') == 0.5, float('5.') == 5.0, float('-1E-1') == -0.1
    @Test
    void parseFloatAcceptsPythonDecimals() {
        assertThat(PythonText.parseFloat(" 2.5\t")).isEqualTo(2.5);
        assertThat(PythonText.parseFloat("+.5")).isEqualTo(0.5);
        assertThat(PythonText.parseFloat("5.")).isEqualTo(5.0);
        assertThat(PythonText.parseFloat("-1E-1")).isEqualTo(-0.1);
        assertThat(PythonText.parseFloat("4.99999999999999")).isEqualTo(4.99999999999999);
    }

    // Double.parseDouble would accept the first three (hex, type suffix, NaN). Python's float() raises ValueError
    // for all but 'NaN', 'nan' and '1e999' (inf); those are not finite and rejected here on purpose.
    @Test
    void parseFloatRejectsWhatIsNotAFiniteDecimal() {
        for (String s : List.of("0x1p3", "2.5d", "NaN", "nan", "1e999", "", " ", "1,5", ".", "e5")) {
            assertThatThrownBy(() -> PythonText.parseFloat(s)).as(s).isInstanceOf(NumberFormatException.class);
        }
    }
}
