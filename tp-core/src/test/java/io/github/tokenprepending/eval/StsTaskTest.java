package io.github.tokenprepending.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StsTaskTest {

    // SentEval's sts.py (STS12Eval .. STS16Eval datasets lists)
    @Test
    void subsetsAreSentEvals() {
        assertThat(StsTask.STS12.subsets()).containsExactly("MSRpar", "MSRvid", "SMTeuroparl", "surprise.OnWN",
                "surprise.SMTnews");
        assertThat(StsTask.STS13.subsets()).containsExactly("FNWN", "headlines", "OnWN");
        assertThat(StsTask.STS14.subsets()).containsExactly("deft-forum", "deft-news", "headlines", "images", "OnWN",
                "tweet-news");
        assertThat(StsTask.STS15.subsets()).containsExactly("answers-forums", "answers-students", "belief",
                "headlines", "images");
        assertThat(StsTask.STS16.subsets()).containsExactly("answer-answer", "headlines", "plagiarism",
                "postediting", "question-question");
        assertThat(StsTask.STS_B.subsets()).containsExactly("test");
        assertThat(StsTask.SICK_R.directory()).isEqualTo("SICK");
        assertThat(StsTask.STS12.directory()).isEqualTo("STS12-en-test");
    }

    @Test
    void labelsAreThePapersColumns() {
        assertThat(StsTask.values()).extracting(StsTask::label)
                .containsExactly("STS12", "STS13", "STS14", "STS15", "STS16", "STS-B", "SICK-R");
    }

    @Test
    void parseAcceptsLabelsEnumNamesAndSentEvalNames() {
        assertThat(StsTask.parse("sts12")).isEqualTo(StsTask.STS12);
        assertThat(StsTask.parse("STS-B")).isEqualTo(StsTask.STS_B);
        assertThat(StsTask.parse("sts_b")).isEqualTo(StsTask.STS_B);
        assertThat(StsTask.parse("STSBenchmark")).isEqualTo(StsTask.STS_B);
        assertThat(StsTask.parse("SICK-R")).isEqualTo(StsTask.SICK_R);
        assertThat(StsTask.parse("SICKRelatedness")).isEqualTo(StsTask.SICK_R);
        assertThat(StsTask.parse("sick")).isEqualTo(StsTask.SICK_R);
        assertThatThrownBy(() -> StsTask.parse("STS17"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown STS task 'STS17'");
    }
}
