package io.github.tokenprepending.prompt;

import io.github.tokenprepending.text.PythonText;
import java.util.function.UnaryOperator;

/** What happens to a sentence before it is put into a prompt. */
@FunctionalInterface
public interface SentencePreprocessor extends UnaryOperator<String> {

    /**
     * The official code's preprocessing (SentEval's loader and evaluate.py's batcher): words joined by single
     * spaces (Python {@code ' '.join(s.split())}); then a {@code .} appended unless the sentence ends in one of
     * {@code . ? " '}; then every {@code "} becomes {@code '}; then a final {@code ?} becomes {@code .}. An empty
     * sentence stays empty.
     *
     * @return the paper's preprocessing
     */
    static SentencePreprocessor paper() {
        return sentence -> {
            String s = String.join(" ", PythonText.split(sentence));
            if (!s.isEmpty() && ".?\"'".indexOf(s.charAt(s.length() - 1)) < 0) {
                s = s + ".";
            }
            s = s.replace('"', '\'');
            if (!s.isEmpty() && s.charAt(s.length() - 1) == '?') {
                s = s.substring(0, s.length() - 1) + ".";
            }
            return s;
        };
    }

    /** @return the sentence unchanged */
    static SentencePreprocessor none() {
        return sentence -> sentence;
    }
}
