package io.github.tokenprepending.eval.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusEmbeddingCacheTest {
    private static final CorpusEmbeddingCache.Key KEY = new CorpusEmbeddingCache.Key("model", "prompt=eol", "abc");

    @TempDir
    Path dir;

    @Test
    void roundTripInBlocks() throws IOException {
        CorpusEmbeddingCache cache = new CorpusEmbeddingCache(dir.resolve("cache"));
        assertThat(cache.open(KEY, 3)).isEmpty();
        try (CorpusEmbeddingCache.Writer w = cache.create(KEY, 3)) {
            w.append(List.of(new float[] {1, 2}, new float[] {3, -4.5f}));
            w.append(List.of(new float[] {Float.MIN_VALUE, 6}));
            assertThat(cache.file(KEY)).as("nothing before the commit").doesNotExist();
            w.commit();
        }
        assertThat(files()).containsExactly(cache.file(KEY));
        assertThat(Files.size(cache.file(KEY))).isEqualTo(8 + 16 + KEY.text().length() + 3 * 2 * 4);
        try (CorpusEmbeddingCache.Reader r = cache.open(KEY, 3).orElseThrow()) {
            assertThat(r.dimension()).isEqualTo(2);
            assertThat(r.next(1)).containsExactly(new float[] {1, 2});
            assertThat(r.next(2)).containsExactly(new float[] {3, -4.5f}, new float[] {Float.MIN_VALUE, 6});
        }
    }

    @Test
    void anUncommittedEntryLeavesNothing() throws IOException {
        CorpusEmbeddingCache cache = new CorpusEmbeddingCache(dir);
        try (CorpusEmbeddingCache.Writer w = cache.create(KEY, 2)) {
            w.append(List.of(new float[] {1}));
        }
        assertThat(files()).isEmpty();
        assertThat(cache.open(KEY, 2)).isEmpty();
    }

    @Test
    void keysDifferInModelSettingsAndCorpus() {
        assertThat(Stream.of(KEY, new CorpusEmbeddingCache.Key("model2", "prompt=eol", "abc"),
                new CorpusEmbeddingCache.Key("model", "prompt=cot", "abc"),
                new CorpusEmbeddingCache.Key("model", "prompt=eol", "abd")).map(CorpusEmbeddingCache.Key::fileName))
                .doesNotHaveDuplicates();
    }

    @Test
    void unusableEntriesAreIgnored() throws IOException {
        CorpusEmbeddingCache cache = new CorpusEmbeddingCache(dir);
        try (CorpusEmbeddingCache.Writer w = cache.create(KEY, 2)) {
            w.append(List.of(new float[] {1, 2}, new float[] {3, 4}));
            w.commit();
        }
        assertThat(cache.open(KEY, 3)).as("other document count").isEmpty();

        CorpusEmbeddingCache.Key other = new CorpusEmbeddingCache.Key("model", "prompt=eol", "xyz");
        Files.copy(cache.file(KEY), cache.file(other));
        assertThat(cache.open(other, 2)).as("a file holding another key").isEmpty();

        try (FileChannel c = FileChannel.open(cache.file(KEY), StandardOpenOption.WRITE)) {
            c.truncate(c.size() - 1);
        }
        assertThat(cache.open(KEY, 2)).as("truncated").isEmpty();

        Files.writeString(cache.file(KEY), "garbage");
        Optional<CorpusEmbeddingCache.Reader> reader = cache.open(KEY, 2);
        assertThat(reader).as("not a cache file").isEmpty();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
