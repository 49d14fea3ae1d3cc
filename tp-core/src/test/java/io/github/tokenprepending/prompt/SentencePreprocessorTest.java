package io.github.tokenprepending.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The official batcher's preprocessing (PROMPT_IDS.md "Procedure", steps 3 and 4). Every expected value was
 * computed with /usr/bin/python3 (3.11.2) running exactly:
 * <pre>
 * s = ' '.join(raw.split())
 * if len(s) &gt; 0 and s[-1] not in '.?"\'': s += '.'
 * s = s.replace('"', "'")
 * if len(s) &gt; 0 and s[-1] == '?': s = s[:-1] + '.'
 * </pre>
 */
class SentencePreprocessorTest {
    private final SentencePreprocessor paper = SentencePreprocessor.paper();

    @Test
    void appendsAFullStopUnlessTheSentenceEndsInOneOfDotQuestionQuoteApostrophe() {
        assertThat(paper.apply("A man plays")).isEqualTo("A man plays.");
        assertThat(paper.apply("a girl is styling her hair .")).isEqualTo("a girl is styling her hair .");
        assertThat(paper.apply("ends with!")).isEqualTo("ends with!.");
        assertThat(paper.apply("It's 'quoted'")).isEqualTo("It's 'quoted'");
        assertThat(paper.apply("emoji \uD83D\uDE00")).isEqualTo("emoji \uD83D\uDE00.");
        assertThat(paper.apply("\u200Bzero")).as("U+200B is not whitespace in Python").isEqualTo("\u200Bzero.");
        assertThat(paper.apply(".")).isEqualTo(".");
        assertThat(paper.apply("'")).isEqualTo("'");
    }

    @Test
    void doubleQuotesBecomeApostrophesAndAFinalDoubleQuoteGetsNoFullStop() {
        assertThat(paper.apply("He said \"hi\"")).isEqualTo("He said 'hi'");
        assertThat(paper.apply("say \"what?\" now")).isEqualTo("say 'what?' now.");
        assertThat(paper.apply("\"")).isEqualTo("'");
    }

    @Test
    void aFinalQuestionMarkBecomesAFullStop() {
        assertThat(paper.apply("Why?")).isEqualTo("Why.");
        assertThat(paper.apply("?")).isEqualTo(".");
        assertThat(paper.apply("a \"b\" c?")).isEqualTo("a 'b' c.");
        // the quote rule runs first, so "?\"" ends in an apostrophe and keeps its question mark
        assertThat(paper.apply("What?\"")).isEqualTo("What?'");
        assertThat(paper.apply("Why? ")).as("trailing whitespace is gone before the rule").isEqualTo("Why.");
    }

    @Test
    void whitespaceIsCollapsedLikePythonSplitAndJoin() {
        assertThat(paper.apply("  two   spaces\there\n")).isEqualTo("two spaces here.");
        assertThat(paper.apply("a\u00A0b\u3000c\u2009d")).isEqualTo("a b c d.");
        assertThat(paper.apply("x\u001Cy\u001Fz")).isEqualTo("x y z.");
        assertThat(paper.apply("\u0085lead")).isEqualTo("lead.");
        assertThat(paper.apply("a\u202Fb\u205Fc\u1680d\u2028e\u2029f\u000Bg\u000Ch\rI"))
                .isEqualTo("a b c d e f g h I.");
    }

    @Test
    void emptyAndWhitespaceOnlySentencesStayEmpty() {
        assertThat(paper.apply("")).isEmpty();
        assertThat(paper.apply("   ")).isEmpty();
        assertThat(paper.apply("\u00A0\u3000\t\n")).isEmpty();
    }

    @Test
    void noneLeavesTheSentenceAlone() {
        assertThat(SentencePreprocessor.none().apply("  a \"b\"?  ")).isEqualTo("  a \"b\"?  ");
    }
}
