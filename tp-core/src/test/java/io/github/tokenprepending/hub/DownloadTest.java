package io.github.tokenprepending.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads into the huggingface_hub cache layout: which files, resuming, retrying, verifying. */
class DownloadTest {

    private static final String ID = "org/model";
    private static final String WEIGHTS = "model.safetensors";

    @TempDir
    Path tmp;

    private final FakeHub hub = new FakeHub();
    private final List<String> events = new ArrayList<>();

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private Path cache() {
        return tmp.resolve("cache");
    }

    private Path repoDir() {
        return CacheLayout.repoDir(cache(), ID);
    }

    private ModelResolver.Builder resolver() {
        return ModelResolver.builder().env(Map.of()).home(tmp).cacheDir(cache()).endpoint(hub.endpoint())
                .retryBackoff(Duration.ofMillis(1)).listener(new RecordingListener());
    }

    /** Records events as text; byte counts only when a file is done. */
    private final class RecordingListener implements DownloadListener {
        private long last = -1;

        @Override
        public void fileStarted(String file, long totalBytes) {
            events.add("start " + file + " " + totalBytes);
        }

        @Override
        public void bytesTransferred(String file, long bytesDone, long totalBytes) {
            assertThat(bytesDone).isPositive().isLessThanOrEqualTo(totalBytes);
            last = bytesDone;
        }

        @Override
        public void fileFinished(String file) {
            events.add("done " + file + " " + last);
        }
    }

    private List<String> blobNames() throws IOException {
        try (Stream<Path> blobs = Files.list(repoDir().resolve("blobs"))) {
            return blobs.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aDownloadCreatesTheHuggingfaceHubLayout() throws Exception {
        hub.weakEtags(true);
        FakeHub.Repo repo = hub.modelRepo(ID);
        Path snapshot;
        try (ModelResolver resolver = resolver().build()) {
            snapshot = resolver.resolve(ID);
        }

        assertThat(snapshot).isEqualTo(repoDir().resolve("snapshots").resolve(repo.commit()));
        assertThat(repoDir().resolve("refs/main")).hasContent(repo.commit());
        List<String> needed = List.of("config.json", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", WEIGHTS);
        for (String file : needed) {
            byte[] content = repo.content(file);
            String etag = file.equals(WEIGHTS) ? FakeHub.sha256Hex(content) : FakeHub.gitBlobSha1(content);
            Path link = snapshot.resolve(file);
            assertThat(Files.isSymbolicLink(link)).as(file + " is a link").isTrue();
            assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("..", "..", "blobs", etag));
            assertThat(link).hasBinaryContent(content);
        }
        try (Stream<Path> files = Files.list(snapshot)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(needed);
        }
        assertThat(blobNames()).hasSize(needed.size()).noneMatch(name -> name.endsWith(".incomplete"));
        assertThat(hub.downloadedFiles()).containsExactlyInAnyOrderElementsOf(needed);
        assertThat(events).contains("start model.safetensors 6000", "done model.safetensors 6000",
                "start config.json " + repo.content("config.json").length);
        // the LFS file came from the other server, not from the hub itself
        assertThat(hub.requests()).anyMatch(r -> r.server().equals("cdn") && r.method().equals("GET"));
    }

    @Test
    void aShardedModelDownloadsExactlyTheShardsItsIndexNames() {
        FakeHub.Repo repo = hub.modelRepo(ID);
        repo.files().remove(WEIGHTS);
        repo.file("model.safetensors.index.json", "{\"metadata\": {\"total_size\": 20}, \"weight_map\": {"
                        + "\"embed.weight\": \"model-00001-of-00002.safetensors\","
                        + "\"layers.0.weight\": \"model-00001-of-00002.safetensors\","
                        + "\"lm_head.weight\": \"model-00002-of-00002.safetensors\"}}")
                .lfs("model-00001-of-00002.safetensors", FakeHub.bytes(5000, 11))
                .lfs("model-00002-of-00002.safetensors", FakeHub.bytes(4000, 12))
                .lfs("model-00003-of-00003.safetensors", FakeHub.bytes(100, 13))
                .lfs("pytorch_model.bin", FakeHub.bytes(100, 14));
        Path snapshot;
        try (ModelResolver resolver = resolver().build()) {
            snapshot = resolver.resolve(ID);
        }
        assertThat(hub.downloadedFiles()).containsExactlyInAnyOrder("config.json", "tokenizer.json",
                "tokenizer_config.json", "special_tokens_map.json", "model.safetensors.index.json",
                "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
        assertThat(snapshot.resolve("model-00002-of-00002.safetensors"))
                .hasBinaryContent(repo.content("model-00002-of-00002.safetensors"));
        assertThat(hub.requests()).noneMatch(r -> "model-00003-of-00003.safetensors".equals(r.file()));
    }

    @Test
    void anIndexNamingAMissingShardIsRefused() {
        FakeHub.Repo repo = hub.modelRepo(ID);
        repo.files().remove(WEIGHTS);
        repo.file("model.safetensors.index.json", "{\"weight_map\": {\"a\": \"gone.safetensors\"}}");
        try (ModelResolver resolver = resolver().build()) {
            assertThatThrownBy(() -> resolver.resolve(ID))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.UNSUPPORTED_REPO))
                    .hasMessageContaining("gone.safetensors");
        }
        assertThat(repoDir().resolve("refs/main")).doesNotExist();
    }

    @Test
    void anIndexNamingAPathOutsideTheRepositoryIsRefused() {
        FakeHub.Repo repo = hub.modelRepo(ID);
        repo.files().remove(WEIGHTS);
        repo.file("model.safetensors.index.json", "{\"weight_map\": {\"a\": \"../../../escape.safetensors\"}}");
        try (ModelResolver resolver = resolver().build()) {
            assertThatThrownBy(() -> resolver.resolve(ID))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.UNSUPPORTED_REPO))
                    .hasMessageContaining("unsafe file path '../../../escape.safetensors'");
        }
    }

    @Test
    void aRepositoryWithOnlyPickleWeightsIsRefusedBeforeAnyDownload() {
        FakeHub.Repo repo = hub.modelRepo(ID);
        repo.files().remove(WEIGHTS);
        repo.lfs("pytorch_model.bin", FakeHub.bytes(500, 3));
        try (ModelResolver resolver = resolver().build()) {
            assertThatThrownBy(() -> resolver.resolve(ID))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.UNSUPPORTED_REPO))
                    .hasMessageStartingWith("no safetensors weights in org/model (only pytorch_model.bin); convert");
        }
        assertThat(hub.downloadedFiles()).isEmpty();
    }

    @Test
    void aRepositoryWithoutTokenizerJsonIsRefused() {
        FakeHub.Repo repo = hub.modelRepo(ID);
        repo.files().remove("tokenizer.json");
        try (ModelResolver resolver = resolver().build()) {
            assertThatThrownBy(() -> resolver.resolve(ID))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.UNSUPPORTED_REPO))
                    .hasMessageContaining("has no tokenizer.json");
        }
    }

    @Test
    void aDroppedConnectionResumesWithARangeRequest() {
        FakeHub.Repo repo = hub.modelRepo(ID).lfs(WEIGHTS, FakeHub.bytes(200_000, 5));
        hub.dropAfter(WEIGHTS, 70_000, 1);
        try (ModelResolver resolver = resolver().build()) {
            assertThat(resolver.resolve(ID).resolve(WEIGHTS)).hasBinaryContent(repo.content(WEIGHTS));
        }
        assertResumedOnce(70_000);
        assertThat(events).contains("done model.safetensors 200000");
    }

    /**
     * Checks that the weights took two requests, the second a Range request for the rest. The client may not have
     * received every byte the server sent before dropping the connection, so the offset is at most that much.
     *
     * @return the offset the download resumed at
     */
    private long assertResumedOnce(int bytesSentBeforeFailure) {
        List<FakeHub.Request> gets = weightDownloads();
        assertThat(gets).hasSize(2);
        assertThat(gets.get(0).range()).isNull();
        assertThat(gets.get(1).range()).matches("bytes=\\d+-");
        long offset = Long.parseLong(gets.get(1).range().replaceAll("\\D", ""));
        assertThat(offset).isPositive().isLessThanOrEqualTo(bytesSentBeforeFailure);
        return offset;
    }

    private List<FakeHub.Request> weightDownloads() {
        return hub.requests().stream().filter(r -> r.server().equals("cdn") && WEIGHTS.equals(r.file()))
                .collect(Collectors.toList());
    }

    @Test
    void aPartialFileFromAnEarlierRunIsResumed() throws Exception {
        FakeHub.Repo repo = hub.modelRepo(ID).lfs(WEIGHTS, FakeHub.bytes(200_000, 5));
        String sha256 = FakeHub.sha256Hex(repo.content(WEIGHTS));
        hub.dropAfter(WEIGHTS, 70_000, 1);
        try (ModelResolver resolver = resolver().maxAttempts(1).build()) {
            assertThatThrownBy(() -> resolver.resolve(ID))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.NETWORK))
                    .hasMessageContaining("model.safetensors of model 'org/model'");
        }
        Path partial = repoDir().resolve("blobs").resolve(sha256 + ".incomplete");
        long partialSize = Files.size(partial);
        assertThat(partialSize).isPositive().isLessThanOrEqualTo(70_000);
        assertThat(repoDir().resolve("blobs").resolve(sha256)).doesNotExist();
        assertThat(repoDir().resolve("snapshots").resolve(repo.commit()).resolve(WEIGHTS)).doesNotExist();

        try (ModelResolver resolver = resolver().build()) {
            assertThat(resolver.resolve(ID).resolve(WEIGHTS)).hasBinaryContent(repo.content(WEIGHTS));
        }
        assertThat(assertResumedOnce(70_000)).isEqualTo(partialSize);
        assertThat(partial).doesNotExist();
    }

    @Test
    void aServerIgnoringRangeMakesTheDownloadRestart() {
        FakeHub.Repo repo = hub.modelRepo(ID).lfs(WEIGHTS, FakeHub.bytes(100_000, 6));
        hub.ignoreRange(true);
        hub.dropAfter(WEIGHTS, 30_000, 1);
        try (ModelResolver resolver = resolver().build()) {
            assertThat(resolver.resolve(ID).resolve(WEIGHTS)).hasBinaryContent(repo.content(WEIGHTS));
        }
        assertResumedOnce(30_000);
    }

    @Test
    void aStalledConnectionIsAbandonedAndResumed() {
        FakeHub.Repo repo = hub.modelRepo(ID).lfs(WEIGHTS, FakeHub.bytes(100_000, 8));
        hub.stallAfter(WEIGHTS, 40_000);
        try (ModelResolver resolver = resolver().timeout(Duration.ofMillis(300)).build()) {
            assertThat(resolver.resolve(ID).resolve(WEIGHTS)).hasBinaryContent(repo.content(WEIGHTS));
        }
        assertResumedOnce(40_000);
    }

    @Test
    void aChecksumMismatchDeletesThePartialFileAndNamesTheFile() throws Exception {
        String announced = FakeHub.sha256Hex(FakeHub.bytes(6000, 99));
        FakeHub.Repo repo = hub.modelRepo(ID).advertiseEtag(WEIGHTS, announced);
        try (ModelResolver resolver = resolver().build()) {
            assertThatThrownBy(() -> resolver.resolve(ID))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.CORRUPT_DOWNLOAD))
                    .hasMessageContaining("checksum mismatch for model.safetensors of model 'org/model'")
                    .hasMessageContaining(announced)
                    .hasMessageContaining(FakeHub.sha256Hex(repo.content(WEIGHTS)));
        }
        assertThat(blobNames()).noneMatch(name -> name.startsWith(announced));
        assertThat(repoDir().resolve("snapshots").resolve(repo.commit()).resolve(WEIGHTS)).doesNotExist();
        assertThat(repoDir().resolve("refs/main")).doesNotExist();
    }

    @Test
    void aRegularFileIsVerifiedAgainstItsGitBlobId() throws Exception {
        String announced = FakeHub.gitBlobSha1("something else".getBytes());
        hub.modelRepo(ID).advertiseEtag("config.json", announced);
        try (ModelResolver resolver = resolver().build()) {
            assertThatThrownBy(() -> resolver.resolve(ID))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.CORRUPT_DOWNLOAD))
                    .hasMessageContaining("config.json").hasMessageContaining("git blob sha1 " + announced);
        }
        assertThat(blobNames()).noneMatch(name -> name.startsWith(announced));
    }

    @Test
    void serverErrorsAreRetried() {
        FakeHub.Repo repo = hub.modelRepo(ID);
        hub.failNext("/api/models/", 2, 503, null);
        hub.failNext("/org/model/resolve/", 1, 500, null);
        try (ModelResolver resolver = resolver().build()) {
            assertThat(resolver.resolve(ID).resolve(WEIGHTS)).hasBinaryContent(repo.content(WEIGHTS));
        }
        assertThat(hub.requests()).filteredOn(r -> r.path().startsWith("/api/models/")).hasSize(3);
    }

    @Test
    void retriesAreBounded() {
        hub.modelRepo(ID);
        hub.failNext("/org/model/resolve/", Integer.MAX_VALUE, 502, null);
        try (ModelResolver resolver = resolver().maxAttempts(3).build()) {
            assertThatThrownBy(() -> resolver.resolve(ID))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.NETWORK))
                    .hasMessageContaining("failed after 3 attempts").hasMessageContaining("HTTP 502");
        }
        assertThat(hub.requests()).filteredOn(r -> r.path().contains("/resolve/")).hasSize(3);
    }

    @Test
    void aNewCommitReusesBlobsAlreadyInTheCache() {
        FakeHub.Repo repo = hub.modelRepo(ID);
        try (ModelResolver resolver = resolver().build()) {
            resolver.resolve(ID);
            String oldCommit = repo.commit();
            repo.newCommit(hub.nextCommit()).file("config.json", "{\"model_type\": \"llama\", \"changed\": true}");
            Path snapshot = resolver.resolve(ID, repo.commit());
            assertThat(snapshot.resolve("config.json")).hasBinaryContent(repo.content("config.json"));
            assertThat(snapshot.resolve(WEIGHTS)).hasBinaryContent(repo.content(WEIGHTS));
            assertThat(snapshot.getFileName().toString()).isNotEqualTo(oldCommit);
        }
        assertThat(hub.downloadedFiles()).filteredOn(WEIGHTS::equals).hasSize(1);
        assertThat(hub.downloadedFiles()).filteredOn("config.json"::equals).hasSize(2);
    }
}
