package io.github.tokenprepending.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small rules: ids, ETags, checksums, origins, tokens' text, progress logging. */
class HubPartsTest {

    static {
        // before HubHttp creates its logger, so that later tests capture its DEBUG lines
        LogCapture.enableDebug();
    }

    private static final RequestTarget TARGET = new RequestTarget(new RepoId("org/x"), "main", "hello.txt");

    @TempDir
    Path tmp;

    @Test
    void modelIdsMapToCacheFolders() {
        assertThat(new RepoId("meta-llama/Llama-2-7b-hf").cacheFolderName())
                .isEqualTo("models--meta-llama--Llama-2-7b-hf");
        assertThat(new RepoId("gpt2").cacheFolderName()).isEqualTo("models--gpt2");
        assertThat(RepoId.isValid("Qwen/Qwen2.5-0.5B-Instruct")).isTrue();
        assertThat(RepoId.isValid("a".repeat(97))).isFalse();
        assertThatThrownBy(() -> new RepoId("a/b/c")).isInstanceOf(IllegalArgumentException.class);
    }

    private static HttpHeaders headers(Map<String, String> values) {
        return HttpHeaders.of(values.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> List.of(e.getValue()))), (name, value) -> true);
    }

    @Test
    void xLinkedEtagAndSizeWinOverEtagAndContentLength() {
        FileMetadata meta = FileMetadata.from(headers(Map.of("ETag", "\"" + "1".repeat(40) + "\"",
                "X-Linked-Etag", "\"" + "a".repeat(64) + "\"", "X-Linked-Size", "123456789012",
                "Content-Length", "1100")), 302, TARGET);
        assertThat(meta).isEqualTo(new FileMetadata("a".repeat(64), 123_456_789_012L));
    }

    @Test
    void aRegularFileHasItsEtagAndContentLength() {
        assertThat(FileMetadata.from(headers(Map.of("ETag", "W/\"abc123\"", "Content-Length", "42")), 200, TARGET))
                .isEqualTo(new FileMetadata("abc123", 42));
        assertThat(FileMetadata.from(headers(Map.of("ETag", "\"abc\"", "Content-Length", "42")), 302, TARGET).size())
                .as("a redirect's Content-Length is the redirect body's").isEqualTo(-1);
    }

    @Test
    void aMissingOrUnsafeEtagIsRefused() {
        assertThatThrownBy(() -> FileMetadata.from(headers(Map.of("Content-Length", "1")), 200, TARGET))
                .hasMessage("the Hub sent no ETag for hello.txt of model 'org/x'");
        assertThatThrownBy(() -> FileMetadata.from(headers(Map.of("ETag", "\"../../x\"")), 200, TARGET))
                .isInstanceOf(HubException.class).hasMessageContaining("unusable ETag");
    }

    private FileChannel fileWith(String content) throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), content);
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    @Test
    void sha256EtagsAreCheckedAcrossAResume() throws Exception {
        ContentCheck check = ContentCheck.forEtag(
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", 5);
        try (FileChannel file = fileWith("he")) {
            check.restart(file, 2);
        }
        check.update("llo".getBytes(StandardCharsets.US_ASCII), 0, 3);
        check.verify(TARGET);
    }

    @Test
    void gitBlobEtagsAreChecked() throws Exception {
        ContentCheck check = ContentCheck.forEtag("b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0", 5);
        try (FileChannel file = fileWith("hello")) {
            check.restart(file, 5);
        }
        check.verify(TARGET);
        try (FileChannel file = fileWith("hellO")) {
            check.restart(file, 5);
        }
        assertThatThrownBy(() -> check.verify(TARGET))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.kind()).isEqualTo(HubException.Kind.CORRUPT_DOWNLOAD))
                .hasMessageStartingWith("checksum mismatch for hello.txt of model 'org/x': expected git blob sha1 "
                        + "b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0, got ");
    }

    @Test
    void otherEtagsAreNotChecksums() throws Exception {
        ContentCheck check = ContentCheck.forEtag("d41d8cd98f00b204e9800998ecf8427e-2", 5);
        try (FileChannel file = fileWith("hello")) {
            check.restart(file, 5);
        }
        check.verify(TARGET);
    }

    @Test
    void originsCompareSchemeHostAndPort() {
        assertThat(HubHttp.sameOrigin(URI.create("https://huggingface.co/a"),
                URI.create("https://HuggingFace.co:443/b"))).isTrue();
        assertThat(HubHttp.sameOrigin(URI.create("https://huggingface.co/a"), URI.create("https://cdn-lfs.hf.co/b")))
                .isFalse();
        assertThat(HubHttp.sameOrigin(URI.create("http://127.0.0.1:80/a"), URI.create("http://127.0.0.1:81/a")))
                .isFalse();
        assertThat(HubHttp.sameOrigin(URI.create("https://h/a"), URI.create("http://h/a"))).isFalse();
    }

    @Test
    void aTokenNeverShowsInItsTextForm() {
        HubToken token = HubToken.of("  " + FakeHub.TOKEN + "\n", "HF_TOKEN").orElseThrow();
        assertThat(token.authorization()).isEqualTo("Bearer " + FakeHub.TOKEN);
        assertThat(token.toString()).isEqualTo("HubToken[from HF_TOKEN]");
        assertThat(token.redact("x " + FakeHub.TOKEN + " y")).isEqualTo("x *** y");
        assertThat(HubToken.of(" ", "HF_TOKEN")).isEmpty();
    }

    @Test
    void theLoggingListenerLogsAtTenPercentSteps() {
        String log;
        try (LogCapture capture = new LogCapture()) {
            DownloadListener listener = DownloadListener.logging();
            listener.fileStarted("model.safetensors", 1000);
            for (int done = 1; done <= 1000; done++) {
                listener.bytesTransferred("model.safetensors", done, 1000);
            }
            listener.fileFinished("model.safetensors");
            log = capture.text();
        }
        assertThat(log).contains("Downloading model.safetensors (1000 B)", "model.safetensors: 10% (100 B of 1000 B)",
                "model.safetensors: 90%", "Downloaded model.safetensors");
        assertThat(log.lines().filter(line -> line.contains("model.safetensors: "))).hasSize(9);
        assertThat(LoggingDownloadListener.humanSize(1536)).isEqualTo("1.5 KiB");
        assertThat(LoggingDownloadListener.humanSize(13_476_839_424L)).isEqualTo("12.6 GiB");
    }
}
