package io.github.tokenprepending.djl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Closing a {@code DjlLayerwiseModel} while an encoder that does not own it runs forward passes. Before the model
 * counted its passes in flight this crashed the JVM (SIGSEGV in libtorch / libdjl_torch, in about one child run of
 * 20 rounds out of three): {@code close()} freed the weights, TorchScript modules and manager a running
 * {@code DjlForwardPass} was using. Now running passes finish, the last one frees the model, and later calls fail
 * with an {@link IllegalStateException}. The race runs in a child JVM, so a crash fails this test instead of
 * killing the build. Tagged {@code child-jvm}: {@code mvn -B verify -Pall-tests} runs it.
 */
@Tag("child-jvm")
class ModelCloseRaceTest {

    @Test
    void closingTheModelUnderRunningCallsDoesNotCrashTheJvm() throws Exception {
        for (int run = 0; run < 3; run++) {
            Fixtures.Child child = Fixtures.runInChildJvm(ModelCloseRace.class, "20");
            assertThat(child.exitCode()).as("child JVM exit code; output:%n%s", child.output()).isZero();
            assertThat(child.output()).contains("SURVIVED");
            child.output().lines().filter(l -> l.startsWith("OUTCOME ")).forEach(l ->
                    assertThat(l).as("every call ends with an IllegalStateException")
                            .contains("java.lang.IllegalStateException: "));
        }
    }
}
