package io.github.tokenprepending.djl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tokenprepending.djl.DjlRuntime;
import org.junit.jupiter.api.Test;

/** Calls that must work as the very first thing a fresh JVM does with tp-djl (a child JVM). */
class FreshJvmTest {

    /** Child main: sets and reads libtorch's thread count before any model or engine exists. */
    public static final class ThreadsFirst {
        private ThreadsFirst() {
        }

        /**
         * @param args none
         */
        public static void main(String[] args) {
            DjlRuntime.setThreads(1);
            System.out.println("THREADS " + DjlRuntime.threads());
        }
    }

    /** Was an UnsatisfiedLinkError ({@code tp bench --threads N} hit it): libtorch was not loaded yet. */
    @Test
    void settingThreadsBeforeAnyModelIsLoadedWorks() throws Exception {
        Fixtures.Child child = Fixtures.runInChildJvm(ThreadsFirst.class);
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("THREADS 1");
    }
}
