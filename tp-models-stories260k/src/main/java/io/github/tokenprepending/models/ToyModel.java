package io.github.tokenprepending.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The toy model of the {@code tp-models-stories260k} artifact (also inside tp.jar): Karpathy's stories260K, a 260K-parameter Llama trained on
 * TinyStories (MIT), in HuggingFace layout (hidden size 64, 5 layers). It runs the whole pipeline without a
 * download; it is <em>not</em> a useful embedding model.
 *
 * <p>{@link #directory()} extracts it once into {@code ~/.cache/token-prepending/stories260K-hf-<hash>/} (the hash
 * is of the content, so a changed model never reuses a stale copy) and returns that directory, which
 * {@code SentenceEncoder.builder().model(dir)} accepts like any local checkpoint.
 */
public final class ToyModel {
    /** The model's name (the directory name before the content hash). */
    public static final String NAME = "stories260K-hf";
    private static final String ROOT = "/io/github/tokenprepending/models/" + NAME + "/";
    private static final List<String> FILES = List.of("config.json", "model.safetensors", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "LICENSE.llama2.c.MIT.txt",
            "LICENSE.python-gen-worker.MIT.txt", "SOURCES.md");

    private ToyModel() {
    }

    /**
     * Extracts the model on first use (atomically: a complete directory or none, also when several processes race)
     * and returns its directory.
     *
     * @return the local checkpoint directory
     * @throws UncheckedIOException if the cache directory cannot be written
     */
    public static Path directory() {
        try {
            return extract();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled " + NAME + " model: " + e.getMessage(), e);
        }
    }

    private static Path extract() throws IOException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "token-prepending");
        Path target = cache.resolve(NAME + "-" + contentHash());
        if (complete(target)) {
            return target;
        }
        Files.createDirectories(cache);
        Path tmp = Files.createTempDirectory(cache, NAME + ".tmp");
        try {
            for (String file : FILES) {
                try (InputStream in = open(file)) {
                    Files.copy(in, tmp.resolve(file));
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                // another process got there first (rename onto a non-empty directory fails with EEXIST or
                // ENOTEMPTY, which Java reports as different exceptions): fine if its copy is complete
                if (!complete(target)) {
                    throw e;
                }
            }
        } finally {
            deleteTree(tmp);
        }
        return target;
    }

    private static boolean complete(Path dir) {
        return FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    private static String contentHash() throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String file : FILES) {
                try (InputStream in = open(file)) {
                    sha.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream open(String file) throws IOException {
        InputStream in = ToyModel.class.getResourceAsStream(ROOT + file);
        if (in == null) {
            throw new IOException("the class path lacks the bundled model file " + ROOT + file);
        }
        return in;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
