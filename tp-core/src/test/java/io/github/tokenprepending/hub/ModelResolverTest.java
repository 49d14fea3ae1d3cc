package io.github.tokenprepending.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a model comes from: a directory, the cache (and which cache), or nowhere when offline. */
class ModelResolverTest {

    private static final String ID = "org/model";

    @TempDir
    Path tmp;

    private final FakeHub hub = new FakeHub();

    @AfterEach
    void stopHub() {
        hub.close();
    }

    /** A resolver that sees an empty environment and the fake hub. */
    private ModelResolver.Builder resolver(Map<String, String> env) {
        return ModelResolver.builder().env(env).home(tmp.resolve("home")).endpoint(hub.endpoint())
                .retryBackoff(Duration.ofMillis(1)).listener(DownloadListener.none());
    }

    private String commit(int n) {
        return String.valueOf(n).repeat(40);
    }

    @Test
    void anExistingDirectoryIsReturnedAsIs() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("org/model"));
        try (ModelResolver resolver = resolver(Map.of()).build()) {
            assertThat(resolver.resolve(dir.toString())).isEqualTo(dir);
        }
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void aFileIsNotAModel() throws Exception {
        Path file = Files.writeString(tmp.resolve("model.safetensors"), "x");
        try (ModelResolver resolver = resolver(Map.of()).build()) {
            assertThatThrownBy(() -> resolver.resolve(file.toString()))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.INVALID_ID))
                    .hasMessageContaining("is a file");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"org/name/extra", "-org/name", "org/name-", "org--x/name", "org/name.git", "bad id",
            "org/../name", "/does/not/exist", " "})
    void invalidIdsFailWithoutRequests(String id) {
        try (ModelResolver resolver = resolver(Map.of()).build()) {
            assertThatThrownBy(() -> resolver.resolve(id))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.INVALID_ID));
        }
        assertThat(hub.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../main", "a//b", "/main", "main/", "bad rev"})
    void invalidRevisionsFailWithoutRequests(String revision) {
        try (ModelResolver resolver = resolver(Map.of()).build()) {
            assertThatThrownBy(() -> resolver.resolve(ID, revision))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.INVALID_ID))
                    .hasMessageContaining("not a valid revision");
        }
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void aCompleteCachedSnapshotIsUsedWithoutAnyRequest() {
        hub.modelRepo(ID);
        Path cache = tmp.resolve("cache");
        Path snapshot = CacheLayout.snapshot(cache, ID, commit(1), CacheLayout.completeModel());
        CacheLayout.ref(cache, ID, "main", commit(1));
        try (ModelResolver resolver = resolver(Map.of()).cacheDir(cache).build()) {
            assertThat(resolver.resolve(ID)).isEqualTo(snapshot);
        }
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void aCachedShardedModelIsCompleteOnlyWithEveryShard() throws Exception {
        Path cache = tmp.resolve("cache");
        Map<String, byte[]> files = CacheLayout.completeModel();
        files.remove("model.safetensors");
        files.put("model.safetensors.index.json", ("{\"metadata\": {}, \"weight_map\": {\"a\": \"s1.safetensors\","
                + " \"b\": \"s2.safetensors\"}}").getBytes());
        files.put("s1.safetensors", FakeHub.bytes(100, 1));
        Path snapshot = CacheLayout.snapshot(cache, ID, commit(1), files);
        CacheLayout.ref(cache, ID, "main", commit(1));
        try (ModelResolver resolver = resolver(Map.of()).cacheDir(cache).offline(true).build()) {
            assertThatThrownBy(() -> resolver.resolve(ID))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.NOT_CACHED));
            CacheLayout.snapshot(cache, ID, commit(1), Map.of("s2.safetensors", FakeHub.bytes(100, 2)));
            assertThat(resolver.resolve(ID)).isEqualTo(snapshot);
        }
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void anIncompleteCachedSnapshotIsCompletedFromTheHub() throws Exception {
        FakeHub.Repo repo = hub.modelRepo(ID);
        Path cache = tmp.resolve("cache");
        Map<String, byte[]> files = CacheLayout.completeModel();
        files.remove("model.safetensors");
        CacheLayout.snapshot(cache, ID, repo.commit(), files);
        CacheLayout.ref(cache, ID, "main", repo.commit());
        try (ModelResolver resolver = resolver(Map.of()).cacheDir(cache).build()) {
            Path snapshot = resolver.resolve(ID);
            assertThat(snapshot.resolve("model.safetensors")).hasBinaryContent(repo.content("model.safetensors"));
            // files already in the snapshot are kept as they are, not fetched again
            assertThat(snapshot.resolve("config.json")).hasBinaryContent(files.get("config.json"));
        }
        assertThat(hub.downloadedFiles()).containsExactlyInAnyOrder("special_tokens_map.json", "model.safetensors");
    }

    @Test
    void hfHubCacheWinsOverHfHome() {
        Path hubCache = tmp.resolve("hub-cache");
        Path hfHome = tmp.resolve("hf-home");
        Map<String, String> env = Map.of("HF_HUB_CACHE", hubCache.toString(), "HF_HOME", hfHome.toString(),
                "HUGGINGFACE_HUB_CACHE", tmp.resolve("legacy").toString());
        assertCacheAt(hubCache, resolver(env));
    }

    @Test
    void hfHomeHoldsTheCacheInHub() {
        Path hfHome = tmp.resolve("hf-home");
        assertCacheAt(hfHome.resolve("hub"), resolver(Map.of("HF_HOME", hfHome.toString(),
                "XDG_CACHE_HOME", tmp.resolve("xdg").toString())));
    }

    @Test
    void hfHomeMayStartWithTilde() {
        assertCacheAt(tmp.resolve("home/hf/hub"), resolver(Map.of("HF_HOME", "~/hf")));
    }

    @Test
    void xdgCacheHomeComesNext() {
        assertCacheAt(tmp.resolve("xdg/huggingface/hub"),
                resolver(Map.of("XDG_CACHE_HOME", tmp.resolve("xdg").toString())));
    }

    @Test
    void theDefaultCacheIsUnderTheHomeDirectory() {
        assertCacheAt(tmp.resolve("home/.cache/huggingface/hub"), resolver(Map.of()));
    }

    @Test
    void anExplicitCacheDirWinsOverTheEnvironment() {
        Path explicit = tmp.resolve("explicit");
        assertCacheAt(explicit, resolver(Map.of("HF_HUB_CACHE", tmp.resolve("env").toString())).cacheDir(explicit));
    }

    /** Checks that the resolver reports and really reads the cache at the expected place. */
    private void assertCacheAt(Path expected, ModelResolver.Builder builder) {
        Path snapshot = CacheLayout.snapshot(expected, ID, commit(1), CacheLayout.completeModel());
        CacheLayout.ref(expected, ID, "main", commit(1));
        try (ModelResolver resolver = builder.offline(true).build()) {
            assertThat(resolver.cacheDir()).isEqualTo(expected);
            assertThat(resolver.resolve(ID)).isEqualTo(snapshot);
        }
    }

    @Test
    void refsSelectTheSnapshotOfARevision() {
        Path cache = tmp.resolve("cache");
        Path newer = CacheLayout.snapshot(cache, ID, commit(2), CacheLayout.completeModel());
        Path older = CacheLayout.snapshot(cache, ID, commit(1), CacheLayout.completeModel());
        CacheLayout.ref(cache, ID, "main", commit(2));
        CacheLayout.ref(cache, ID, "v1.0", commit(1));
        try (ModelResolver resolver = resolver(Map.of()).cacheDir(cache).build();
                ModelResolver pinned = resolver(Map.of()).cacheDir(cache).revision("v1.0").build()) {
            assertThat(resolver.resolve(ID)).isEqualTo(newer);
            assertThat(resolver.resolve(ID, "v1.0")).isEqualTo(older);
            assertThat(pinned.resolve(ID)).isEqualTo(older);
            assertThat(resolver.resolve(ID, commit(1))).as("a commit hash names its snapshot").isEqualTo(older);
        }
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void aDownloadedRevisionIsRecordedInRefs() throws Exception {
        FakeHub.Repo repo = hub.modelRepo(ID).ref("v1.0").ref("refs/pr/1");
        Path cache = tmp.resolve("cache");
        Path refs = CacheLayout.repoDir(cache, ID).resolve("refs");
        try (ModelResolver resolver = resolver(Map.of()).cacheDir(cache).build()) {
            resolver.resolve(ID, "v1.0");
            assertThat(refs.resolve("v1.0")).hasContent(repo.commit());
            assertThat(refs.resolve("main")).doesNotExist();

            resolver.resolve(ID, "refs/pr/1");
            assertThat(refs.resolve("refs/pr/1")).hasContent(repo.commit());
            assertThat(hub.requests()).anyMatch(r -> r.path().endsWith("/revision/refs%2Fpr%2F1"));
        }
        try (Stream<Path> leftovers = Files.list(refs)) {
            assertThat(leftovers).allMatch(p -> !p.getFileName().toString().startsWith("."));
        }
    }

    @Test
    void aCommitHashRevisionWritesNoRef() {
        FakeHub.Repo repo = hub.modelRepo(ID);
        Path cache = tmp.resolve("cache");
        try (ModelResolver resolver = resolver(Map.of()).cacheDir(cache).build()) {
            Path snapshot = resolver.resolve(ID, repo.commit());
            assertThat(snapshot).isEqualTo(CacheLayout.repoDir(cache, ID).resolve("snapshots").resolve(repo.commit()));
        }
        assertThat(CacheLayout.repoDir(cache, ID).resolve("refs")).doesNotExist();
    }

    @Test
    void anUnknownRevisionIsNamed() {
        hub.modelRepo(ID);
        try (ModelResolver resolver = resolver(Map.of()).cacheDir(tmp.resolve("cache")).build()) {
            assertThatThrownBy(() -> resolver.resolve(ID, "nope"))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.NOT_FOUND))
                    .hasMessage("model 'org/model' on " + hub.endpoint() + " has no revision 'nope'");
        }
    }

    @Test
    void offlineWithoutTheModelInTheCacheFailsWithoutRequests() {
        hub.modelRepo(ID);
        Path cache = tmp.resolve("cache");
        try (ModelResolver resolver = resolver(Map.of("HF_HUB_OFFLINE", "1")).cacheDir(cache).build()) {
            assertThatThrownBy(() -> resolver.resolve(ID))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind())
                            .isEqualTo(HubException.Kind.NOT_CACHED))
                    .hasMessageContaining("'org/model'").hasMessageContaining("offline")
                    .hasMessageContaining(cache.toString());
        }
        assertThat(hub.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HF_HUB_OFFLINE=true", "HF_HUB_OFFLINE=YES", "TRANSFORMERS_OFFLINE=1"})
    void offlineSpellingsOfTheEnvironmentAreHonoured(String variable) {
        hub.modelRepo(ID);
        String[] pair = variable.split("=");
        try (ModelResolver resolver = resolver(Map.of(pair[0], pair[1])).cacheDir(tmp.resolve("c")).build()) {
            assertThatThrownBy(() -> resolver.resolve(ID)).isInstanceOfSatisfying(HubException.class,
                    e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NOT_CACHED));
        }
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void anExplicitOnlineSettingOverridesHfHubOffline() {
        FakeHub.Repo repo = hub.modelRepo(ID);
        try (ModelResolver resolver = resolver(Map.of("HF_HUB_OFFLINE", "1")).offline(false)
                .cacheDir(tmp.resolve("cache")).build()) {
            assertThat(resolver.resolve(ID).resolve("model.safetensors"))
                    .hasBinaryContent(repo.content("model.safetensors"));
        }
    }

    @Test
    void theEndpointComesFromHfEndpointWithoutTrailingSlash() {
        FakeHub.Repo repo = hub.modelRepo(ID);
        try (ModelResolver resolver = ModelResolver.builder().env(Map.of("HF_ENDPOINT", hub.endpoint() + "/"))
                .home(tmp).cacheDir(tmp.resolve("cache")).listener(DownloadListener.none()).build()) {
            assertThat(resolver.endpoint()).isEqualTo(hub.endpoint());
            assertThat(resolver.resolve(ID).resolve("config.json")).hasBinaryContent(repo.content("config.json"));
        }
        try (ModelResolver resolver = ModelResolver.builder().env(Map.of()).home(tmp).build()) {
            assertThat(resolver.endpoint()).isEqualTo("https://huggingface.co");
        }
    }

    @Test
    void aMalformedEndpointIsRejected() {
        assertThatThrownBy(() -> ModelResolver.builder().env(Map.of("HF_ENDPOINT", "ftp://example")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://example");
    }

    @Test
    void aClosedResolverStillServesTheCacheButDownloadsNothing() {
        hub.modelRepo(ID);
        Path cache = tmp.resolve("cache");
        Path snapshot = CacheLayout.snapshot(cache, ID, commit(1), CacheLayout.completeModel());
        CacheLayout.ref(cache, ID, "main", commit(1));
        ModelResolver resolver = resolver(Map.of()).cacheDir(cache).build();
        resolver.close();
        assertThat(resolver.resolve(ID)).isEqualTo(snapshot);
        assertThatThrownBy(() -> resolver.resolve("org/other")).isInstanceOf(IllegalStateException.class);
        assertThat(hub.requests()).isEmpty();
    }
}
