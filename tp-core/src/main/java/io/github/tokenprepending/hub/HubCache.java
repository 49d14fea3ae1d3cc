package io.github.tokenprepending.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The huggingface_hub cache layout, shared with Python tools:
 * {@code {root}/models--{org}--{name}/{blobs/{etag}, refs/{revision}, snapshots/{commit}/{file}}}, where snapshot
 * files are relative symbolic links to blobs (copies where links are impossible).
 */
final class HubCache {

    private static final Logger LOG = LoggerFactory.getLogger(HubCache.class);
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path root;

    HubCache(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    static boolean isCommitHash(String revision) {
        return COMMIT.matcher(revision).matches();
    }

    Path snapshotDir(RepoId repo, String commit) {
        return repoDir(repo).resolve("snapshots").resolve(commit);
    }

    Path blob(RepoId repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(etag);
    }

    private Path repoDir(RepoId repo) {
        return root.resolve(repo.cacheFolderName());
    }

    private Path refFile(RepoId repo, String revision) {
        return repoDir(repo).resolve("refs").resolve(revision);
    }

    /** @return the snapshot directory of the revision, when the cache holds every file the model needs */
    Optional<Path> completeSnapshot(RepoId repo, String revision) {
        return commitOf(repo, revision).map(commit -> snapshotDir(repo, commit)).filter(ModelFiles::isComplete);
    }

    /** @return the commit a revision names: itself for a commit hash, else what {@code refs/{revision}} holds */
    private Optional<String> commitOf(RepoId repo, String revision) {
        if (isCommitHash(revision)) {
            return Optional.of(revision);
        }
        Path ref = refFile(repo, revision);
        try {
            String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
            return isCommitHash(commit) ? Optional.of(commit) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HubException(HubException.Kind.CACHE_IO, "cannot read " + ref + ": " + e, e);
        }
    }

    /** Records that the revision points to the commit, unless the revision is the commit hash itself. */
    void writeRef(RepoId repo, String revision, String commit) {
        if (revision.equals(commit) || commitOf(repo, revision).filter(commit::equals).isPresent()) {
            return;
        }
        Path ref = refFile(repo, revision);
        try {
            Files.createDirectories(ref.getParent());
            Path temp = tempSibling(ref);
            try {
                Files.writeString(temp, commit, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                moveAtomically(temp, ref);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new HubException(HubException.Kind.CACHE_IO, "cannot write " + ref + ": " + e, e);
        }
    }

    /**
     * Makes {@code file} (inside a snapshot) point to a complete blob: a relative symbolic link, or a copy where the
     * file system refuses links.
     */
    void link(Path file, Path blob) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try {
                Files.createSymbolicLink(file, file.getParent().relativize(blob));
            } catch (UnsupportedOperationException | FileSystemException e) {
                LOG.debug("Cannot link {} to {} ({}); copying it", file, blob, e.toString());
                Path temp = tempSibling(file);
                try {
                    Files.copy(blob, temp);
                    moveAtomically(temp, file);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException e) {
            throw new HubException(HubException.Kind.CACHE_IO, "cannot place " + file + " in the cache: " + e, e);
        }
    }

    /** @return a fresh hidden name next to the target, for content that is renamed onto the target when complete */
    private static Path tempSibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    }

    /** Renames within one directory, atomically where the file system can. */
    static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
