package io.github.tokenprepending.djl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.djl.PaddedBatch;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.prompt.SentencePreprocessor;
import io.github.tokenprepending.spi.TokenBatch;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every line of the official code's {@code expected_prompt_ids*.jsonl} and every batch of
 * {@code expected_prompt_batches*.json} (see shared/data/tokenizers/PROMPT_IDS.md), per family:
 *
 * <ol>
 *   <li>rendering: {@code sentence_raw} through {@link SentencePreprocessor#paper()} is {@code sentence_processed};
 *       {@link PromptMethod} template {@code prompt_index} ({@link PromptTemplate#vanilla()} for {@code vanilla}
 *       lines) renders it to {@code prompt_text}, split at its first {@code <PST>} for {@code tp} lines;</li>
 *   <li>ids: encoding that prompt gives {@code input_ids}, with the placeholder at {@code pst_index};</li>
 *   <li>batches: {@code prompt_texts} encoded and {@link PaddedBatch#leftPadded left-padded} give
 *       {@code input_ids} and {@code attention_mask} exactly.</li>
 * </ol>
 *
 * <p>Lines with {@code pst_count > 1} (the sentence itself contains a {@code <PST>} that the official tp-plan
 * tokenizer recognises) are checked against a documented expectation instead, because this tokenizer treats a
 * user's {@code <PST>} as text: the official ids up to and including the template's {@code <PST>}, then the
 * matching vanilla line's ids from where the two official rows part (the tp row is the vanilla row with
 * {@code <PST>}, or a space token and {@code <PST>}, inserted there).
 *
 * <p>The lines come from the bundled resources, or with {@code -Dtp.prompt.ids.dir=DIR} from every subfolder
 * of DIR ({@code expected_prompt_ids*.jsonl} and {@code expected_prompt_batches*.json}, optionally gzipped),
 * the subfolder's name choosing the bundled tokenizer and each line's {@code bos_mode} its variant.
 */
class PromptIdsParityTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DIR_PROPERTY = "tp.prompt.ids.dir";

    @TestFactory
    Stream<DynamicNode> officialPromptIds() throws IOException {
        String dir = System.getProperty(DIR_PROPERTY);
        List<FamilyFiles> families = dir == null || dir.isBlank() ? bundled() : fromDirectory(Path.of(dir));
        return families.stream().map(PromptIdsParityTest::familyTests);
    }

    private static DynamicContainer familyTests(FamilyFiles files) {
        if (!BundledTokenizers.FAMILIES.contains(files.family())) {
            return DynamicContainer.dynamicContainer(files.family(), Stream.of(DynamicTest.dynamicTest(
                    "bundled tokenizer", () -> fail("no bundled tokenizer for folder '" + files.family()
                            + "'; expected one of " + BundledTokenizers.FAMILIES))));
        }
        Map<String, List<IdsLine>> linesByFile = new LinkedHashMap<>();
        Map<String, IdsLine> byKey = new HashMap<>();
        files.idFiles().forEach((name, bytes) -> {
            List<IdsLine> lines = IdsLine.parseAll(bytes);
            linesByFile.put(name, lines);
            lines.forEach(line -> byKey.put(line.key(line.variant()), line));
        });
        List<DynamicNode> nodes = new ArrayList<>();
        linesByFile.forEach((name, lines) -> nodes.add(grouped(files.family() + " " + name + " (" + lines.size()
                + " lines)", lines.stream().map(line -> new Check(files.family() + " " + name + " "
                        + line.displayName(), () -> checkLine(files.family(), line, byKey))).toList())));
        files.batchFiles().forEach((name, bytes) -> {
            List<Check> batches = batchChecks(files.family(), name, bytes, byKey);
            nodes.add(grouped(files.family() + " " + name + " (" + batches.size() + " batches)", batches));
        });
        return DynamicContainer.dynamicContainer(files.family(), nodes);
    }

    /** One line's or one batch's check, named for the report. */
    private record Check(String name, Executable check) {
    }

    /**
     * One test per file (thousands of one-line tests cost more in reporting than in checking): every check runs,
     * and the test fails listing every mismatch, each starting with its line's or batch's name.
     */
    private static DynamicTest grouped(String name, List<Check> checks) {
        return DynamicTest.dynamicTest(name, () -> {
            List<String> failures = new ArrayList<>();
            for (Check c : checks) {
                try {
                    c.check().execute();
                } catch (AssertionError | RuntimeException e) {
                    failures.add(c.name() + ": " + e.getMessage());
                }
            }
            if (!failures.isEmpty()) {
                fail(failures.size() + " of " + checks.size() + " checks failed in " + name + ":\n"
                        + String.join("\n", failures));
            }
        });
    }

    private static void checkLine(String family, IdsLine line, Map<String, IdsLine> byKey) {
        RenderedPrompt prompt = render(line);
        HfTextTokenizer tokenizer = BundledTokenizers.shared(family, line.bosMode());
        TokenizedPrompt encoded = tokenizer.encode(prompt);
        assertArrayEquals(expectedIds(line, byKey), encoded.ids(), () -> "ids of " + line.promptText());
        if (line.tp()) {
            assertEquals(line.pstId(), tokenizer.placeholderId(), "placeholder id");
            assertEquals(line.pstIndex(), encoded.placeholderIndex(), "placeholder index");
        } else {
            assertEquals(-1, encoded.placeholderIndex(), "placeholder index of a vanilla prompt");
        }
    }

    /** Renders the line's sentence as the official code does and checks every intermediate against the line. */
    private static RenderedPrompt render(IdsLine line) {
        PromptTemplate template = PromptMethod.parse(line.method()).templates().get(line.promptIndex());
        if (!line.tp()) {
            template = template.vanilla();
        }
        String processed = SentencePreprocessor.paper().apply(line.sentenceRaw());
        assertEquals(line.sentenceProcessed(), processed, "sentence_processed");
        RenderedPrompt prompt = template.render(processed);
        assertEquals(line.promptText(), prompt.text(), "prompt_text");
        assertEquals(prompt, promptOf(line.promptText(), line.tp()), "split at the first <PST>");
        return prompt;
    }

    /** The official prompt text as a rendered prompt: split at its first {@code <PST>} (tp), else plain. */
    private static RenderedPrompt promptOf(String text, boolean tp) {
        if (!tp) {
            return RenderedPrompt.plain(text);
        }
        int at = text.indexOf(RenderedPrompt.PLACEHOLDER);
        assertTrue(at >= 0, () -> "tp prompt without <PST>: " + text);
        return RenderedPrompt.withPlaceholder(text.substring(0, at),
                text.substring(at + RenderedPrompt.PLACEHOLDER.length()));
    }

    /** The line's ids, or for {@code pst_count > 1} the documented expectation (see the class comment). */
    private static int[] expectedIds(IdsLine line, Map<String, IdsLine> byKey) {
        if (!line.tp() || line.pstCount() <= 1) {
            return line.inputIds();
        }
        IdsLine vanilla = byKey.get(line.key("vanilla"));
        assertNotNull(vanilla, () -> "pst_count " + line.pstCount() + " needs the vanilla line " + line.key("vanilla"));
        int[] tp = line.inputIds();
        int[] van = vanilla.inputIds();
        int common = 0;
        while (common < tp.length && common < van.length && tp[common] == van[common]) {
            common++;
        }
        assertTrue(common <= line.pstIndex(), "the tp and vanilla rows part before the template's <PST>");
        int[] expected = Arrays.copyOf(tp, line.pstIndex() + 1 + van.length - common);
        System.arraycopy(van, common, expected, line.pstIndex() + 1, van.length - common);
        return expected;
    }

    private static List<Check> batchChecks(String family, String fileName, byte[] json, Map<String, IdsLine> byKey) {
        JsonNode file = readTree(json);
        String bosMode = file.path("bos_mode").asText(BundledTokenizers.AS_LOADED);
        long padId = file.path("pad_token_id").asLong(0);
        assertEquals("left", file.path("padding_side").asText("left"), "padding side");
        List<Check> checks = new ArrayList<>();
        for (JsonNode batch : file.get("batches")) {
            String name = family + " " + fileName + " " + batch.get("method").asText() + "/"
                    + batch.get("variant").asText() + " batch " + batch.get("batch_index").asInt() + " ("
                    + batch.get("sentence_ids").get(0).asText() + "...)";
            checks.add(new Check(name, () -> checkBatch(family, bosMode, padId, batch, byKey)));
        }
        return checks;
    }

    private static void checkBatch(String family, String bosMode, long padId, JsonNode batch,
            Map<String, IdsLine> byKey) {
        HfTextTokenizer tokenizer = BundledTokenizers.shared(family, bosMode);
        String method = batch.get("method").asText();
        boolean tp = batch.get("variant").asText().equals("tp");
        int prompts = PromptMethod.parse(method).templates().size();
        JsonNode texts = batch.get("prompt_texts");
        List<TokenizedPrompt> rows = new ArrayList<>();
        int[][] expectedRows = new int[texts.size()][];
        boolean documented = false;
        for (int r = 0; r < texts.size(); r++) {
            rows.add(tokenizer.encode(promptOf(texts.get(r).asText(), tp)));
            int[] fileIds = BundledTokenizers.ints(batch.get("input_ids").get(r));
            int[] mask = BundledTokenizers.ints(batch.get("attention_mask").get(r));
            int pads = (int) Arrays.stream(mask).takeWhile(m -> m == 0).count();
            expectedRows[r] = Arrays.copyOfRange(fileIds, pads, fileIds.length);
            String key = String.join("|", bosMode, method, "tp", batch.get("set").asText(),
                    batch.get("sentence_ids").get(r / prompts).asText(), Integer.toString(r % prompts));
            IdsLine line = byKey.get(key);
            if (tp && line != null && line.pstCount() > 1) {
                expectedRows[r] = expectedIds(line, byKey);
                documented = true;
            }
        }
        PaddedBatch padded = PaddedBatch.leftPadded(TokenBatch.of(rows), 0, padId);
        long[] expectedIds;
        long[] expectedMask;
        if (documented) {
            int[] noPlaceholders = new int[expectedRows.length];
            Arrays.fill(noPlaceholders, -1);
            PaddedBatch expected = PaddedBatch.leftPadded(TokenBatch.of(expectedRows, noPlaceholders), 0, padId);
            expectedIds = expected.ids();
            expectedMask = expected.mask();
        } else {
            expectedIds = flatten(batch.get("input_ids"));
            expectedMask = flatten(batch.get("attention_mask"));
        }
        assertArrayEquals(expectedIds, padded.ids(), "padded input_ids");
        assertArrayEquals(expectedMask, padded.mask(), "attention_mask");
        for (int r = 0; r < rows.size() && tp; r++) {
            int column = padded.column(r, rows.get(r).placeholderIndex(), 0);
            assertEquals(tokenizer.placeholderId(), padded.ids()[r * padded.length() + column], "<PST> column");
        }
    }

    private static long[] flatten(JsonNode rows) {
        return StreamSupport.stream(rows.spliterator(), false)
                .flatMapToLong(row -> Arrays.stream(BundledTokenizers.ints(row)).asLongStream())
                .toArray();
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One family's reference files, by file name. */
    private record FamilyFiles(String family, Map<String, byte[]> idFiles, Map<String, byte[]> batchFiles) {
    }

    private static List<FamilyFiles> bundled() {
        List<FamilyFiles> families = new ArrayList<>();
        for (String family : BundledTokenizers.FAMILIES) {
            Map<String, byte[]> ids = new LinkedHashMap<>();
            Map<String, byte[]> batches = new LinkedHashMap<>();
            List<String> variants = family.equals("llama3") ? List.of("", "." + BundledTokenizers.BOS_PREPENDED)
                    : List.of("");
            for (String variant : variants) {
                String idsName = "expected_prompt_ids" + variant + ".jsonl";
                String batchesName = "expected_prompt_batches" + variant + ".json";
                ids.put(idsName, BundledTokenizers.resource(family + "/" + idsName));
                batches.put(batchesName, BundledTokenizers.resource(family + "/" + batchesName));
            }
            families.add(new FamilyFiles(family, ids, batches));
        }
        return families;
    }

    private static List<FamilyFiles> fromDirectory(Path dir) throws IOException {
        List<FamilyFiles> families = new ArrayList<>();
        try (Stream<Path> folders = Files.list(dir)) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                Map<String, byte[]> ids = new TreeMap<>();
                Map<String, byte[]> batches = new TreeMap<>();
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path file : files.sorted().toList()) {
                        String name = file.getFileName().toString();
                        if (name.matches("expected_prompt_ids.*\\.jsonl(\\.gz)?")) {
                            ids.put(name, read(file));
                        } else if (name.matches("expected_prompt_batches.*\\.json(\\.gz)?")) {
                            batches.put(name, read(file));
                        }
                    }
                }
                if (!ids.isEmpty() || !batches.isEmpty()) {
                    families.add(new FamilyFiles(folder.getFileName().toString(), ids, batches));
                }
            }
        }
        if (families.isEmpty()) {
            throw new IllegalArgumentException(DIR_PROPERTY + "=" + dir + " has no subfolder with"
                    + " expected_prompt_ids*.jsonl or expected_prompt_batches*.json");
        }
        return families;
    }

    private static byte[] read(Path file) throws IOException {
        if (!file.toString().endsWith(".gz")) {
            return Files.readAllBytes(file);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    /** One line of expected_prompt_ids*.jsonl. */
    private record IdsLine(int number, String bosMode, String method, String variant, int promptIndex, String set,
            String sentenceId, String sentenceRaw, String sentenceProcessed, String promptText, int[] inputIds,
            int pstId, int pstIndex, int pstCount) {

        static List<IdsLine> parseAll(byte[] jsonl) {
            List<IdsLine> lines = new ArrayList<>();
            String[] texts = new String(jsonl, StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < texts.length; i++) {
                if (!texts[i].isBlank()) {
                    lines.add(of(i + 1, readTree(texts[i].getBytes(StandardCharsets.UTF_8))));
                }
            }
            return lines;
        }

        static IdsLine of(int number, JsonNode n) {
            boolean tp = n.get("variant").asText().equals("tp");
            return new IdsLine(number, n.path("bos_mode").asText(BundledTokenizers.AS_LOADED),
                    n.get("method").asText(), n.get("variant").asText(), n.get("prompt_index").asInt(),
                    n.path("set").asText(), n.get("sentence_id").asText(), n.get("sentence_raw").asText(),
                    n.get("sentence_processed").asText(), n.get("prompt_text").asText(),
                    BundledTokenizers.ints(n.get("input_ids")),
                    tp ? n.get("pst_id").asInt() : -1, tp ? n.get("pst_index").asInt() : -1,
                    tp ? n.path("pst_count").asInt(1) : 0);
        }

        boolean tp() {
            return variant.equals("tp");
        }

        /** @return the key of this line's counterpart on the given plan */
        String key(String plan) {
            return String.join("|", bosMode, method, plan, set, sentenceId, Integer.toString(promptIndex));
        }

        String displayName() {
            return "line " + number + ": " + sentenceId + " " + method + "/" + variant + "/" + promptIndex
                    + (pstCount > 1 ? " (pst_count " + pstCount + ")" : "") + " \"" + sentenceRaw + "\"";
        }
    }
}
