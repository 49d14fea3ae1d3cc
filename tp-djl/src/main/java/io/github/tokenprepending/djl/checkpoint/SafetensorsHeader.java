package io.github.tokenprepending.djl.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses and validates the JSON header of a safetensors file. */
final class SafetensorsHeader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String METADATA = "__metadata__";

    final Map<String, String> metadata = new LinkedHashMap<>();
    final Map<String, TensorInfo> tensors = new LinkedHashMap<>();

    private final Path file;
    private final long dataStart;
    private final long dataSize;

    private SafetensorsHeader(Path file, long dataStart, long dataSize) {
        this.file = file;
        this.dataStart = dataStart;
        this.dataSize = dataSize;
    }

    /**
     * @param file the file, for messages
     * @param json the header bytes
     * @param dataStart absolute position of the data area
     * @param dataSize bytes in the data area
     */
    static SafetensorsHeader parse(Path file, byte[] json, long dataStart, long dataSize)
            throws CheckpointException {
        SafetensorsHeader header = new SafetensorsHeader(file, dataStart, dataSize);
        try (JsonParser p = MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw header.problem("header is not a JSON object");
            }
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                if (!seen.add(key)) {
                    throw header.problem("duplicate entry '" + key + "' in the header");
                }
                p.nextToken();
                Map<String, JsonNode> fields = header.readObject(p, key);
                if (key.equals(METADATA)) {
                    header.readMetadata(fields);
                } else {
                    header.tensors.put(key, header.readTensor(key, fields));
                }
            }
            if (p.nextToken() != null) {
                throw header.problem("unexpected data after the header's JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot parse the header: " + e, e);
        }
        header.checkNoOverlap();
        return header;
    }

    /** Reads an object's members, rejecting duplicate keys; a null {@code __metadata__} reads as empty. */
    private Map<String, JsonNode> readObject(JsonParser p, String entry) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL && entry.equals(METADATA)) {
            return Map.of();
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw problem("header entry '" + entry + "' is not a JSON object");
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (fields.put(key, p.readValueAsTree()) != null) {
                throw problem("header entry '" + entry + "' has a duplicate '" + key + "'");
            }
        }
        return fields;
    }

    private void readMetadata(Map<String, JsonNode> fields) throws CheckpointException {
        for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
            if (!e.getValue().isTextual()) {
                throw problem(METADATA + " value '" + e.getKey() + "' is not a string: " + e.getValue());
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
    }

    private TensorInfo readTensor(String name, Map<String, JsonNode> fields) throws CheckpointException {
        JsonNode dtypeNode = fields.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw problem("tensor '" + name + "' has no string 'dtype'");
        }
        TensorDtype dtype = TensorDtype.fromHeaderName(dtypeNode.textValue()).orElseThrow(() -> problem(
                "tensor '" + name + "' has unknown or unsupported dtype '" + dtypeNode.textValue()
                        + "' (known: " + TensorDtype.knownNames() + ")"));
        long[] shape = longs(name, "shape", fields.get("shape"), -1);
        long[] offsets = longs(name, "data_offsets", fields.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw problem("tensor '" + name + "' has data_offsets " + Arrays.toString(offsets)
                    + " that end before they begin");
        }
        long expected;
        try {
            long numel = 1;
            for (long d : shape) {
                numel = Math.multiplyExact(numel, d);
            }
            expected = Math.multiplyExact(numel, dtype.byteSize());
        } catch (ArithmeticException e) {
            throw problem("tensor '" + name + "' has shape " + Arrays.toString(shape) + " whose size overflows");
        }
        if (end - begin != expected) {
            throw problem("tensor '" + name + "' has " + (end - begin) + " bytes (data_offsets "
                    + Arrays.toString(offsets) + ") but shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + expected);
        }
        if (end > dataSize) {
            throw problem("tensor '" + name + "' ends at byte " + end + " of the data area, which holds only "
                    + dataSize + " bytes: the file is truncated or the offsets are out of range");
        }
        return new TensorInfo(name, dtype, shape, dataStart + begin, expected);
    }

    /** Reads an array of non-negative integers, of the given length unless it is -1. */
    private long[] longs(String name, String field, JsonNode node, int length) throws CheckpointException {
        String where = "tensor '" + name + "' field '" + field + "'";
        if (node == null || !node.isArray()) {
            throw problem(where + " is missing or not an array");
        }
        if (length >= 0 && node.size() != length) {
            throw problem(where + " must have " + length + " elements, got " + node);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw problem(where + " must hold integers that fit in 64 bits, got " + node);
            }
            values[i] = v.longValue();
            if (values[i] < 0) {
                throw problem(where + " has a negative number: " + node);
            }
        }
        return values;
    }

    private void checkNoOverlap() throws CheckpointException {
        List<TensorInfo> byOffset = new ArrayList<>();
        for (TensorInfo t : tensors.values()) {
            if (t.byteLength() > 0) {
                byOffset.add(t);
            }
        }
        byOffset.sort(Comparator.comparingLong(TensorInfo::offset));
        for (int i = 1; i < byOffset.size(); i++) {
            TensorInfo previous = byOffset.get(i - 1);
            TensorInfo current = byOffset.get(i);
            if (current.offset() < previous.offset() + previous.byteLength()) {
                throw problem("tensors '" + previous.name() + "' " + range(previous) + " and '" + current.name()
                        + "' " + range(current) + " overlap");
            }
        }
    }

    private String range(TensorInfo t) {
        long begin = t.offset() - dataStart;
        return "[" + begin + ", " + (begin + t.byteLength()) + ")";
    }

    private CheckpointException problem(String message) {
        return new CheckpointException(file, message);
    }
}
