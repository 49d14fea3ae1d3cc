package io.github.tokenprepending.djl;

import ai.djl.pytorch.jni.IValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The contract between Java and the TorchScript blocks: {@code blocks/manifest.json}, written by
 * {@code export_blocks.py} beside the {@code .pt} files. It lists every block's arguments in call order, which of
 * them are a layer's weights, and the enum codes (dtype, activation, norm, rope_type). Java never relies on
 * positions: it fills a {@link Call} by argument name and looks codes up by name, so a block whose signature
 * changes fails loudly (and {@code BlockContractTest} fails the build).
 */
final class BlockContract {
    static final String ROOT = "/io/github/tokenprepending/djl/blocks/";
    private static final BlockContract BUNDLED = read(ROOT + "manifest.json");

    private final Map<String, Signature> blocks;
    private final Map<String, Map<String, Integer>> codes;
    private final List<String> packed;

    private BlockContract(Map<String, Signature> blocks, Map<String, Map<String, Integer>> codes,
            List<String> packed) {
        this.blocks = blocks;
        this.codes = codes;
        this.packed = packed;
    }

    /** @return the manifest bundled with the blocks in this jar */
    static BlockContract bundled() {
        return BUNDLED;
    }

    static BlockContract read(String resource) {
        try (InputStream in = BlockContract.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the tp-djl jar");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Signature> blocks = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : root.required("blocks").properties()) {
                List<String> arguments = new ArrayList<>();
                e.getValue().required("arguments").forEach(a -> arguments.add(a.required("name").asText()));
                List<String> weights = new ArrayList<>();
                e.getValue().path("weights").forEach(w -> weights.add(w.asText()));
                blocks.put(e.getKey(), new Signature(e.getKey(), arguments, weights));
            }
            Map<String, Map<String, Integer>> codes = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : root.required("codes").properties()) {
                Map<String, Integer> byName = new LinkedHashMap<>();
                e.getValue().properties().forEach(c -> byName.put(c.getKey(), c.getValue().intValue()));
                codes.put(e.getKey(), Collections.unmodifiableMap(byName));
            }
            List<String> packed = new ArrayList<>();
            root.required("packed").forEach(p -> packed.add(p.asText()));
            return new BlockContract(Collections.unmodifiableMap(blocks), Collections.unmodifiableMap(codes),
                    List.copyOf(packed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(resource + " is malformed: " + e.getMessage(), e);
        }
    }

    /** @return every block by file name */
    Map<String, Signature> blocks() {
        return blocks;
    }

    /**
     * @param file a block file name ({@code llama_layer.pt})
     * @return its signature
     * @throws IllegalStateException if the manifest has no such block
     */
    Signature block(String file) {
        Signature s = blocks.get(file);
        if (s == null) {
            throw new IllegalStateException("TorchScript block " + file + " is not in the blocks' manifest.json"
                    + " (blocks: " + String.join(", ", blocks.keySet()) + "); re-run export_blocks.py");
        }
        return s;
    }

    /**
     * @return the matrix slots of a layer block in the order its {@code packed} argument lists their int8 forms
     *     ({@code quantize.pt} quantizes them in this order)
     */
    List<String> packed() {
        return packed;
    }

    /** @return the enum tables by kind ({@code activation} → {@code silu} → 0) */
    Map<String, Map<String, Integer>> codes() {
        return codes;
    }

    /**
     * @param kind {@code dtype}, {@code activation}, {@code norm} or {@code rope_type}
     * @param constant a Java enum constant; its lower-case name is looked up ({@code GELU_TANH} → {@code gelu_tanh})
     * @return the code the blocks take
     * @throws IllegalStateException if the manifest lacks it
     */
    long code(String kind, Enum<?> constant) {
        return code(kind, constant.name().toLowerCase(Locale.ROOT));
    }

    /**
     * @param kind {@code dtype}, {@code activation}, {@code norm} or {@code rope_type}
     * @param name a code's name in the manifest ({@code none})
     * @return the code the blocks take
     * @throws IllegalStateException if the manifest lacks it
     */
    long code(String kind, String name) {
        Integer code = codes.getOrDefault(kind, Map.of()).get(name);
        if (code == null) {
            throw new IllegalStateException("the blocks' manifest.json has no " + kind + " code for '" + name + "'");
        }
        return code;
    }

    /** A block's arguments in call order and the subset that are a layer's weights. */
    static final class Signature {
        private final String file;
        private final List<String> arguments;
        private final List<String> weights;
        private final Map<String, Integer> positions = new HashMap<>();

        Signature(String file, List<String> arguments, List<String> weights) {
            this.file = file;
            this.arguments = List.copyOf(arguments);
            this.weights = List.copyOf(weights);
            for (int i = 0; i < this.arguments.size(); i++) {
                positions.put(this.arguments.get(i), i);
            }
        }

        /** @return the block file ({@code llama_layer.pt}) */
        String file() {
            return file;
        }

        /** @return argument names, in call order */
        List<String> arguments() {
            return arguments;
        }

        /** @return the arguments filled from a checkpoint layer's weights */
        List<String> weights() {
            return weights;
        }

        /** @return an empty argument list to fill by name */
        Call call() {
            return new Call(this);
        }

        private int position(String name) {
            Integer i = positions.get(name);
            if (i == null) {
                throw new IllegalArgumentException(file + " has no argument '" + name + "' (arguments: "
                        + String.join(", ", arguments) + ")");
            }
            return i;
        }
    }

    /** The arguments of one block call, set by name; {@link #values()} checks that none is missing. */
    static final class Call {
        private final Signature signature;
        private final IValue[] values;

        private Call(Signature signature) {
            this.signature = signature;
            this.values = new IValue[signature.arguments().size()];
        }

        /**
         * @param name an argument name of the manifest
         * @param value its value (not closed by the call)
         * @return this
         * @throws IllegalArgumentException if the block has no such argument
         */
        Call set(String name, IValue value) {
            values[signature.position(name)] = value;
            return this;
        }

        /** @return the block file */
        String file() {
            return signature.file();
        }

        /**
         * @return the values in call order
         * @throws IllegalStateException naming the arguments never set
         */
        IValue[] values() {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    missing.add(signature.arguments().get(i));
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException(signature.file() + ": arguments " + missing + " were not set");
            }
            return values;
        }
    }
}
