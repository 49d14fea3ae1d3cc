package io.github.tokenprepending.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A repository revision as the Hub's {@code /api/models/{id}/revision/{revision}} describes it.
 *
 * @param commit the commit hash the revision points to
 * @param files every file path in the repository at that commit
 */
record RepoInfo(String commit, Set<String> files) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the API's JSON: {@code sha} and {@code siblings[].rfilename}. */
    static RepoInfo parse(byte[] json, RepoId repo) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.NETWORK, "the Hub's description of model '" + repo
                    + "' is not valid JSON: " + e.getMessage(), e);
        }
        String commit = root.path("sha").asText("");
        JsonNode siblings = root.path("siblings");
        if (!HubCache.isCommitHash(commit) || !siblings.isArray()) {
            throw new HubException(HubException.Kind.NETWORK, "the Hub's description of model '" + repo
                    + "' lacks a commit hash (sha) or a file list (siblings)");
        }
        Set<String> files = new LinkedHashSet<>();
        siblings.forEach(sibling -> files.add(sibling.path("rfilename").asText("")));
        return new RepoInfo(commit, Collections.unmodifiableSet(files));
    }
}
