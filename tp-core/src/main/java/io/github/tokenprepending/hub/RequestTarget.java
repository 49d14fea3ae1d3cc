package io.github.tokenprepending.hub;

/**
 * What a request is about, for error messages.
 *
 * @param repo the model
 * @param revision the revision or commit asked for
 * @param file the file in the repository, or null for the repository itself
 */
record RequestTarget(RepoId repo, String revision, String file) {

    /** @return for example {@code model 'org/name'} or {@code config.json of model 'org/name'} */
    String describe() {
        return (file == null ? "" : file + " of ") + "model '" + repo + "'";
    }
}
