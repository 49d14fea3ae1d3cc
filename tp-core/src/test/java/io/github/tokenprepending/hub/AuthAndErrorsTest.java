package io.github.tokenprepending.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which token is sent where, the messages for missing models and refused access, and that the token never leaks. */
class AuthAndErrorsTest {

    private static final String ID = "org/model";
    private static final String BEARER = "Bearer " + FakeHub.TOKEN;

    @TempDir
    Path tmp;

    private final FakeHub hub = new FakeHub();

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private ModelResolver.Builder resolver(Map<String, String> env) {
        return ModelResolver.builder().env(env).home(tmp.resolve("home")).cacheDir(tmp.resolve("cache"))
                .endpoint(hub.endpoint()).retryBackoff(Duration.ofMillis(1)).maxAttempts(2)
                .listener(DownloadListener.none());
    }

    private HubException failure(ModelResolver.Builder builder, String id) {
        try (ModelResolver resolver = builder.build()) {
            return catchThrowableOfType(HubException.class, () -> resolver.resolve(id));
        }
    }

    @Test
    void anUnreachableHubFailsAtOnceNamingTheWaysOut() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        ModelResolver.Builder builder = resolver(Map.of()).endpoint("http://127.0.0.1:" + closedPort)
                .maxAttempts(5).retryBackoff(Duration.ofSeconds(30));
        HubException e;
        try (LogCapture log = new LogCapture()) {
            e = failure(builder, ID);
            assertThat(log.text()).as("no retry for a refused connection").doesNotContain("retrying");
        }
        assertThat(e.kind()).isEqualTo(HubException.Kind.NETWORK);
        assertThat(e.getMessage()).contains("cannot reach http://127.0.0.1:" + closedPort)
                .contains("local checkpoint directory", "--offline", "HF_HUB_OFFLINE=1", "HF_ENDPOINT");
    }

    @Test
    void theTokenGoesToTheHubButNotAcrossARedirectToAnotherHost() {
        hub.modelRepo(ID);
        try (ModelResolver resolver = resolver(Map.of("HF_TOKEN", FakeHub.TOKEN)).build()) {
            resolver.resolve(ID);
        }
        assertThat(hub.requests()).filteredOn(r -> r.server().equals("hub")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo(BEARER));
        assertThat(hub.requests()).filteredOn(r -> r.server().equals("cdn")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void theTokenFollowsARedirectWithinTheHub() {
        hub.sameOriginCdn(true);
        FakeHub.Repo repo = hub.modelRepo(ID);
        try (ModelResolver resolver = resolver(Map.of("HF_TOKEN", FakeHub.TOKEN)).build()) {
            assertThat(resolver.resolve(ID).resolve("model.safetensors"))
                    .hasBinaryContent(repo.content("model.safetensors"));
        }
        assertThat(hub.requests()).filteredOn(r -> r.path().startsWith("/cdn/")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo(BEARER));
    }

    @Test
    void withoutATokenNoAuthorizationIsSent() {
        hub.modelRepo(ID);
        try (ModelResolver resolver = resolver(Map.of()).build()) {
            resolver.resolve(ID);
        }
        assertThat(hub.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void theTokenFileUnderHfHomeIsUsed() throws Exception {
        hub.modelRepo(ID);
        Path hfHome = Files.createDirectories(tmp.resolve("hf"));
        Files.writeString(hfHome.resolve("token"), FakeHub.TOKEN + "\n");
        try (ModelResolver resolver = resolver(Map.of("HF_HOME", hfHome.toString())).build()) {
            resolver.resolve(ID);
        }
        assertThat(hub.requests()).isNotEmpty().filteredOn(r -> r.server().equals("hub"))
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo(BEARER));
    }

    @Test
    void theLegacyTokenVariableAndHfTokenPathAreHonoured() throws Exception {
        Path tokenFile = Files.writeString(tmp.resolve("my-token"), "hf_fromPath");
        hub.modelRepo("org/a");
        hub.modelRepo("org/b");
        try (ModelResolver legacy = resolver(Map.of("HUGGING_FACE_HUB_TOKEN", "hf_legacy")).build();
                ModelResolver path = resolver(Map.of("HF_TOKEN_PATH", tokenFile.toString())).build()) {
            legacy.resolve("org/a");
            path.resolve("org/b");
        }
        assertThat(hub.requests()).filteredOn(r -> r.path().startsWith("/api/models/org/a/"))
                .extracting(FakeHub.Request::authorization).containsExactly("Bearer hf_legacy");
        assertThat(hub.requests()).filteredOn(r -> r.path().startsWith("/api/models/org/b/"))
                .extracting(FakeHub.Request::authorization).containsExactly("Bearer hf_fromPath");
    }

    @Test
    void hfTokenWinsOverTheTokenFileAndTheBuilderWinsOverBoth() throws Exception {
        Path hfHome = Files.createDirectories(tmp.resolve("hf"));
        Files.writeString(hfHome.resolve("token"), "hf_fromFile");
        Map<String, String> env = Map.of("HF_HOME", hfHome.toString(), "HF_TOKEN", "hf_fromEnv");
        hub.modelRepo("org/a");
        hub.modelRepo("org/b");
        try (ModelResolver fromEnv = resolver(env).build();
                ModelResolver explicit = resolver(env).token("hf_explicit").build()) {
            fromEnv.resolve("org/a");
            explicit.resolve("org/b");
        }
        assertThat(hub.requests()).filteredOn(r -> r.path().startsWith("/api/models/org/a/"))
                .extracting(FakeHub.Request::authorization).containsExactly("Bearer hf_fromEnv");
        assertThat(hub.requests()).filteredOn(r -> r.path().startsWith("/api/models/org/b/"))
                .extracting(FakeHub.Request::authorization).containsExactly("Bearer hf_explicit");
    }

    @Test
    void anUnknownModelSaysItMayBePrivate() {
        HubException e = failure(resolver(Map.of()), "org/missing");
        assertThat(e.kind()).isEqualTo(HubException.Kind.NOT_FOUND);
        assertThat(e).hasMessage("no model 'org/missing' on " + hub.endpoint() + " (or it is private: set HF_TOKEN)");
    }

    @Test
    void anUnknownModelWithATokenSaysTheTokenMayLackAccess() {
        HubException e = failure(resolver(Map.of("HF_TOKEN", FakeHub.TOKEN)), "org/missing");
        assertThat(e.kind()).isEqualTo(HubException.Kind.NOT_FOUND);
        assertThat(e).hasMessage("no model 'org/missing' on " + hub.endpoint()
                + " (or the token from HF_TOKEN cannot access it)");
    }

    @Test
    void aGatedModelWithoutATokenAsksToAcceptTheLicense() {
        hub.modelRepo(ID);
        // as on the Hub, a gated model's description is public and its files are not
        hub.failNext("/org/model/resolve/", 1, 401, "GatedRepo");
        HubException e = failure(resolver(Map.of()), ID);
        assertThat(e.kind()).isEqualTo(HubException.Kind.ACCESS_DENIED);
        assertThat(e).hasMessage("model 'org/model' is gated: accept its license on the Hub (" + hub.endpoint()
                + "/org/model) and set HF_TOKEN");
    }

    @Test
    void aForbiddenFileWithoutATokenAsksForOne() {
        hub.modelRepo(ID);
        hub.failNext("/org/model/resolve/", 1, 403, null);
        HubException e = failure(resolver(Map.of()), ID);
        assertThat(e.kind()).isEqualTo(HubException.Kind.ACCESS_DENIED);
        assertThat(e).hasMessageContaining("needs a token").hasMessageContaining("accept its license on the Hub")
                .hasMessageContaining("set HF_TOKEN");
    }

    @Test
    void aGatedModelWhoseLicenseTheTokenHasNotAcceptedSaysSo() {
        hub.modelRepo(ID);
        hub.failNext("/org/model/resolve/", 1, 403, "GatedRepo");
        HubException e = failure(resolver(Map.of("HF_TOKEN", FakeHub.TOKEN)), ID);
        assertThat(e.kind()).isEqualTo(HubException.Kind.ACCESS_DENIED);
        assertThat(e).hasMessageContaining("is gated and the token from HF_TOKEN has no access");
    }

    @Test
    void aRejectedTokenIsReportedByItsSource() {
        hub.modelRepo(ID);
        hub.failNext("/api/models/", 1, 401, null);
        HubException e = failure(resolver(Map.of()).token(FakeHub.TOKEN), ID);
        assertThat(e.kind()).isEqualTo(HubException.Kind.INVALID_TOKEN);
        assertThat(e).hasMessage("the Hub (" + hub.endpoint() + ") rejected the token from"
                + " ModelResolver.Builder.token (HTTP 401): check that it is valid and not revoked");
    }

    @Test
    void theTokenNeverAppearsInExceptionsOrLogs() {
        List<HubException> failures = new ArrayList<>();
        String log;
        try (LogCapture capture = new LogCapture()) {
            Map<String, String> env = Map.of("HF_TOKEN", FakeHub.TOKEN);
            hub.modelRepo(ID);
            try (ModelResolver resolver = resolver(env).build()) {
                resolver.resolve(ID);
            }
            for (int status : new int[] {401, 403, 404, 500, 400}) {
                // 500 is retried: maxAttempts is 2
                hub.failNext("/api/models/", status == 500 ? 2 : 1, status, null);
                failures.add(failure(resolver(env).cacheDir(tmp.resolve("c" + status)), ID));
            }
            hub.modelRepo("org/corrupt").advertiseEtag("model.safetensors", "0".repeat(64));
            failures.add(failure(resolver(env), "org/corrupt"));
            failures.add(failure(resolver(env).endpoint("http://127.0.0.1:1"), "org/unreachable"));
            log = capture.text();
        }
        assertThat(failures).hasSize(7).doesNotContainNull();
        assertThat(failures).extracting(HubException::kind).containsExactly(HubException.Kind.INVALID_TOKEN,
                HubException.Kind.ACCESS_DENIED, HubException.Kind.NOT_FOUND, HubException.Kind.NETWORK,
                HubException.Kind.NETWORK, HubException.Kind.CORRUPT_DOWNLOAD, HubException.Kind.NETWORK);
        for (HubException failure : failures) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain(FakeHub.TOKEN);
        }
        assertThat(failures.get(4)).hasMessageEndingWith("fake hub says 400 to Bearer ***");
        // the capture saw the debug-level request lines, so it would have seen a leak there too
        assertThat(log).contains("DEBUG", "GET " + hub.endpoint() + "/api/models/org/model/revision/main")
                .doesNotContain(FakeHub.TOKEN);
    }
}
