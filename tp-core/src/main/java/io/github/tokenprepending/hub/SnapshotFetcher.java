package io.github.tokenprepending.hub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads the files a model needs from one revision into the cache, skipping files the snapshot already has and
 * blobs the cache already holds, and records the revision's commit in {@code refs} when done.
 */
final class SnapshotFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFetcher.class);

    private final HubHttp http;
    private final HubCache cache;
    private final BlobDownloader downloader;

    SnapshotFetcher(HubHttp http, HubCache cache, DownloadListener listener) {
        this.http = http;
        this.cache = cache;
        this.downloader = new BlobDownloader(http, listener);
    }

    /** @return the complete snapshot directory */
    Path fetch(RepoId repo, String revision) {
        RepoInfo info = http.repoInfo(repo, revision);
        List<String> files = ModelFiles.plan(repo, info.files());
        Path snapshot = cache.snapshotDir(repo, info.commit());
        LOG.info("Fetching model {} (revision {}, commit {}) into {}", repo, revision, info.commit(), snapshot);
        files.forEach(file -> fetchFile(repo, info.commit(), snapshot, file));
        if (files.contains(ModelFiles.INDEX)) {
            Set<String> shards = ModelFiles.shards(snapshot.resolve(ModelFiles.INDEX));
            List<String> absent = shards.stream().filter(s -> !info.files().contains(s)).collect(Collectors.toList());
            if (!absent.isEmpty()) {
                throw new HubException(HubException.Kind.UNSUPPORTED_REPO, ModelFiles.INDEX + " of model '" + repo
                        + "' names shards the repository lacks: " + String.join(", ", absent));
            }
            shards.forEach(shard -> fetchFile(repo, info.commit(), snapshot, shard));
        }
        cache.writeRef(repo, revision, info.commit());
        return snapshot;
    }

    private void fetchFile(RepoId repo, String commit, Path snapshot, String file) {
        Path target = snapshot.resolve(file);
        if (Files.isRegularFile(target)) {
            return;
        }
        FileMetadata meta = http.metadata(repo, commit, file);
        Path blob = cache.blob(repo, meta.etag());
        if (!Files.isRegularFile(blob)) {
            downloader.download(http.resolveUri(repo, commit, file), meta, blob, new RequestTarget(repo, commit, file));
        }
        cache.link(target, blob);
    }
}
