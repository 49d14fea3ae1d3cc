package io.github.tokenprepending.djl.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.github.tokenprepending.djl.DjlRuntime;
import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.spi.TextTokenizer;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A model's HuggingFace tokenizer ({@code tokenizer.json}, optionally {@code tokenizer_config.json}) on DJL's
 * native {@link HuggingFaceTokenizer}, giving the same ids as the official Token Prepending code
 * ({@code AutoTokenizer.from_pretrained(dir)} then {@code tokenizer.add_tokens(['<PST>'])}, transformers 4.46).
 *
 * <ul>
 *   <li>The placeholder id is the tokenizer's size before {@code <PST>} is added: the largest id of
 *       {@code model.vocab} and {@code added_tokens} plus one.</li>
 *   <li>Only the template's placeholder becomes {@code <PST>}. Internally it is a private random token added
 *       exactly as transformers adds {@code <PST>}, so the text around it splits identically; the text
 *       {@code <PST>} in a sentence is ordinary text, as on the official vanilla plan.</li>
 *   <li>BOS/EOS as transformers adds them: Llama, CodeLlama and Gemma tokenizers from {@code add_bos_token}
 *       (default true) and {@code add_eos_token} (default false) of tokenizer_config.json, every other class
 *       from tokenizer.json's post-processor.</li>
 *   <li>Special-token text in a prompt ({@code <s>}, {@code <|endoftext|>}, ...) becomes the special token, as
 *       in the official code, unless {@link SpecialTokenText#SPLIT} is chosen.</li>
 *   <li>Never truncated (DJL's default would cut at 512 tokens), never padded.</li>
 *   <li>Unpaired UTF-16 surrogates become U+FFFD (one each) before the text reaches the native tokenizer.</li>
 * </ul>
 *
 * <p>Thread-safe. Closing releases the native tokenizer.
 */
public final class HfTextTokenizer implements TextTokenizer {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> NO_TRUNCATION_NO_PADDING =
            Map.of("truncation", "false", "padding", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final BosEos bosEos;
    private final int placeholderId;
    private final int bosId;
    private final Set<Integer> specialIds;
    /** Starts every private token text of this instance; prompts containing it are refused. */
    private final String marker;
    /** The private token text that stands for the template's {@code <PST>}. */
    private final String sentinel;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private HfTextTokenizer(TokenizerJson json, TokenizerConfigJson config, SpecialTokenText specialTokens) {
        this.bosEos = config.bosEos(json);
        this.placeholderId = json.size();
        this.specialIds = Set.copyOf(json.specialIds());
        this.marker = "<pst_" + HexFormat.of().formatHex(nonce());
        this.sentinel = marker + ">";
        boolean split = switch (specialTokens) {
            case AS_CONFIGURED -> config.splitSpecialTokens();
            case MATCHED -> false;
            case SPLIT -> true;
        };
        byte[] djlJson = json.withPlaceholder(sentinel, split ? marker + "_" : null);
        DjlRuntime.init();
        try {
            this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(djlJson),
                    NO_TRUNCATION_NO_PADDING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(json.source() + " is rejected by the tokenizers library: "
                    + e.getMessage(), e);
        }
        try {
            long[] alone = tokenizer.encode(sentinel, false, false).getIds();
            if (alone.length != 1 || alone[0] != placeholderId) {
                throw new IllegalArgumentException(json.source() + ": the placeholder token encodes to "
                        + Arrays.toString(alone) + " instead of [" + placeholderId + "] (ids in model.vocab and"
                        + " added_tokens not contiguous, or an added token that overlaps it?)");
            }
            this.bosId = bosEos.fromPostProcessor() ? firstSpecialId() : bosEos.bosId();
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static byte[] nonce() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /**
     * Loads a model directory's tokenizer, handling special-token text as its tokenizer_config.json says.
     *
     * @param modelDir directory with {@code tokenizer.json} and optionally {@code tokenizer_config.json}
     * @return the tokenizer
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException naming the file if one is malformed or unsupported
     */
    public static HfTextTokenizer load(Path modelDir) throws IOException {
        return load(modelDir, SpecialTokenText.AS_CONFIGURED);
    }

    /**
     * Loads a model directory's tokenizer.
     *
     * @param modelDir directory with {@code tokenizer.json} and optionally {@code tokenizer_config.json}
     * @param specialTokens what special-token text in prompts becomes
     * @return the tokenizer
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException naming the file if one is malformed or unsupported
     */
    public static HfTextTokenizer load(Path modelDir, SpecialTokenText specialTokens) throws IOException {
        Objects.requireNonNull(specialTokens, "specialTokens");
        Path tokenizerFile = modelDir.resolve("tokenizer.json");
        Path configFile = modelDir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new NoSuchFileException(tokenizerFile.toString(), null, "not found: the model directory needs"
                    + " the tokenizer.json of a HuggingFace fast tokenizer");
        }
        TokenizerJson json = TokenizerJson.parse(Files.readAllBytes(tokenizerFile), tokenizerFile.toString());
        TokenizerConfigJson config = Files.exists(configFile)
                ? TokenizerConfigJson.parse(Files.readAllBytes(configFile), configFile.toString())
                : TokenizerConfigJson.absent();
        return new HfTextTokenizer(json, config, specialTokens);
    }

    /**
     * Creates a tokenizer from the two files' contents, handling special-token text as the config says.
     *
     * @param tokenizerJson contents of {@code tokenizer.json}
     * @param tokenizerConfigJson contents of {@code tokenizer_config.json}, or null if the model has none
     * @return the tokenizer
     * @throws IllegalArgumentException naming the file if one is malformed or unsupported
     */
    public static HfTextTokenizer fromJson(String tokenizerJson, String tokenizerConfigJson) {
        return fromJson(tokenizerJson.getBytes(StandardCharsets.UTF_8),
                tokenizerConfigJson == null ? null : tokenizerConfigJson.getBytes(StandardCharsets.UTF_8),
                SpecialTokenText.AS_CONFIGURED);
    }

    /**
     * Creates a tokenizer from the two files' contents.
     *
     * @param tokenizerJson contents of {@code tokenizer.json}
     * @param tokenizerConfigJson contents of {@code tokenizer_config.json}, or null if the model has none
     * @param specialTokens what special-token text in prompts becomes
     * @return the tokenizer
     * @throws IllegalArgumentException naming the file if one is malformed or unsupported
     */
    public static HfTextTokenizer fromJson(byte[] tokenizerJson, byte[] tokenizerConfigJson,
            SpecialTokenText specialTokens) {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        Objects.requireNonNull(specialTokens, "specialTokens");
        TokenizerJson json = TokenizerJson.parse(tokenizerJson, "tokenizer.json");
        TokenizerConfigJson config = tokenizerConfigJson == null
                ? TokenizerConfigJson.absent()
                : TokenizerConfigJson.parse(tokenizerConfigJson, "tokenizer_config.json");
        return new HfTextTokenizer(json, config, specialTokens);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the prompt contains this instance's private placeholder text (which
     *     is random and never shown) or gives no tokens at all
     * @throws IllegalStateException if the tokenizer is closed
     */
    @Override
    public TokenizedPrompt encode(RenderedPrompt prompt) {
        return toPrompt(nativeEncode(text(prompt), bosEos.fromPostProcessor()), prompt.hasPlaceholder());
    }

    /**
     * Cuts the text's tokens, as the HuggingFace tokenizer's truncation does: the special tokens the tokenizer adds
     * around the text stay, the text's tokens after the first {@code maxTokens - specials} go.
     *
     * @throws IllegalArgumentException if the limit leaves no room for a text token or would cut the placeholder
     */
    @Override
    public TokenizedPrompt encode(RenderedPrompt prompt, int maxTokens) {
        TokenizedPrompt full = encode(prompt);
        if (full.length() <= maxTokens) {
            return full;
        }
        long[] content = nativeEncode(text(prompt), false).getIds();
        int[] ids = full.ids();
        int lead = indexOf(ids, content);
        if (lead < 0) {
            throw new IllegalStateException("the tokenizer's post-processor does not put its special tokens around"
                    + " the text: cannot truncate by tokens");
        }
        int tail = ids.length - lead - content.length;
        int keep = maxTokens - lead - tail;
        if (keep < 1) {
            throw new IllegalArgumentException("a limit of " + maxTokens + " tokens leaves no room for the text"
                    + " next to " + (lead + tail) + " special tokens");
        }
        if (full.placeholderIndex() >= lead + keep) {
            throw new IllegalArgumentException("a limit of " + maxTokens + " tokens would cut the <PST> placeholder"
                    + " at " + full.placeholderIndex());
        }
        int[] cut = new int[maxTokens];
        System.arraycopy(ids, 0, cut, 0, lead + keep);
        System.arraycopy(ids, lead + content.length, cut, lead + keep, tail);
        List<String> tokens = new ArrayList<>(full.tokens().subList(0, lead + keep));
        tokens.addAll(full.tokens().subList(lead + content.length, ids.length));
        return new TokenizedPrompt(cut, full.placeholderIndex(), tokens);
    }

    private static int indexOf(int[] ids, long[] part) {
        for (int start = 0; start + part.length <= ids.length; start++) {
            int k = 0;
            while (k < part.length && ids[start + k] == part[k]) {
                k++;
            }
            if (k == part.length) {
                return start;
            }
        }
        return -1;
    }

    private String text(RenderedPrompt prompt) {
        if (prompt.before().contains(marker) || prompt.after().contains(marker)) {
            throw new IllegalArgumentException("the prompt contains this tokenizer's private placeholder text");
        }
        return withoutLoneSurrogates(
                prompt.hasPlaceholder() ? prompt.before() + sentinel + prompt.after() : prompt.before());
    }

    private Encoding nativeEncode(String text, boolean addSpecialTokens) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the tokenizer is closed (closing a model closes its tokenizer)");
            }
            return tokenizer.encode(text, addSpecialTokens, false);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Replaces every unpaired UTF-16 surrogate by U+FFFD. Java strings may hold them (a JSON escape of U+D800
     * alone, half of a pair cut by a substring); Rust strings may not: the JNI layer then decodes the WHOLE string
     * lossily, so that one lone surrogate turns every emoji of the prompt into six U+FFFD and a NUL into two.
     * Replacing only the lone surrogates, here, keeps the rest of the text intact (as Java's own UTF-8 decoder
     * treats malformed input).
     *
     * @param text any text
     * @return the text, each unpaired surrogate replaced by U+FFFD (the same instance when it has none)
     */
    static String withoutLoneSurrogates(String text) {
        StringBuilder out = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1));
            if (!pair && Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(n).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
                if (pair) {
                    out.append(text.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }

    private TokenizedPrompt toPrompt(Encoding encoding, boolean hasPlaceholder) {
        long[] encoded = encoding.getIds();
        String[] encodedTokens = encoding.getTokens();
        List<String> tokens = new ArrayList<>(encoded.length + 2);
        int[] ids = new int[encoded.length + (bosEos.bosId() >= 0 ? 1 : 0) + (bosEos.eosId() >= 0 ? 1 : 0)];
        int n = 0;
        if (bosEos.bosId() >= 0) {
            ids[n++] = bosEos.bosId();
            tokens.add(bosEos.bosToken());
        }
        int placeholder = -1;
        int placeholders = 0;
        for (int i = 0; i < encoded.length; i++) {
            String token = encodedTokens[i];
            if (encoded[i] == placeholderId) {
                placeholder = n;
                placeholders++;
                token = token.replace(sentinel, RenderedPrompt.PLACEHOLDER);
            }
            ids[n++] = Math.toIntExact(encoded[i]);
            tokens.add(token);
        }
        if (bosEos.eosId() >= 0) {
            ids[n] = bosEos.eosId();
            tokens.add(bosEos.eosToken());
        }
        if (placeholders != (hasPlaceholder ? 1 : 0)) {
            throw new IllegalStateException("the prompt's tokens hold " + placeholders + " placeholders, expected "
                    + (hasPlaceholder ? 1 : 0) + ": an added token of this tokenizer overlaps the placeholder");
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("the prompt gives no tokens (empty text, and this tokenizer adds no"
                    + " BOS)");
        }
        return new TokenizedPrompt(ids, placeholder, tokens);
    }

    /** @return the id of the special token the post-processor puts first, or -1 */
    private int firstSpecialId() {
        Encoding probe = tokenizer.encode("a", true, false);
        return probe.getIds().length > 0 && probe.getSpecialTokenMask()[0] == 1 ? (int) probe.getIds()[0] : -1;
    }

    /** Special: an added token of tokenizer.json marked {@code "special": true}. */
    @Override
    public boolean isSpecial(int id) {
        return specialIds.contains(id);
    }

    @Override
    public int placeholderId() {
        return placeholderId;
    }

    /** @return the id this tokenizer puts first in every prompt (BOS), or -1 if it adds none */
    public int bosId() {
        return bosId;
    }

    /** Package-private for tests: the text that starts every private token of this instance. */
    String privateMarker() {
        return marker;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                tokenizer.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
