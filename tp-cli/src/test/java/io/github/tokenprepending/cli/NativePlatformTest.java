package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativePlatformTest {
    @Test
    void thisMachineHasDjlsClassifierShape() {
        assertThat(NativePlatform.ofThisMachine()).matches("[a-z0-9_]+-[a-z0-9_]+");
        if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
            assertThat(NativePlatform.ofThisMachine()).isEqualTo("linux-x86_64");
        }
    }

    @Test
    void warnsOnlyWhenTheJarsLibtorchIsAnotherPlatformsAndNoneIsGiven() {
        assertThat(NativePlatform.warning("osx-aarch64", "linux-x86_64", null))
                .contains("libtorch of osx-aarch64", "this machine is linux-x86_64", "-Dai.djl.offline=false",
                        "PYTORCH_LIBRARY_PATH");
        assertThat(NativePlatform.warning("linux-x86_64", "linux-x86_64", null)).isNull();
        assertThat(NativePlatform.warning("osx-aarch64", "linux-x86_64", "libtorch/lib")).isNull();
        assertThat(NativePlatform.warning(null, "linux-x86_64", null)).isNull();
    }
}
