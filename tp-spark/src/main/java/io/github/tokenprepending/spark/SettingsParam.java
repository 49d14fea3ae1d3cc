package io.github.tokenprepending.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.EncoderSettings;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;

/**
 * A Spark ML parameter holding {@link EncoderSettings#toTextMap()}, saved with the pipeline as a JSON object (Spark's
 * generic {@link Param} cannot encode maps).
 */
final class SettingsParam extends Param<Map<String, String>> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {
    };

    SettingsParam(Identifiable parent, String name, String doc) {
        super(parent, name, doc);
    }

    @Override
    public String jsonEncode(Map<String, String> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> jsonDecode(String json) {
        try {
            Map<String, String> values = JSON.readValue(json, MAP);
            EncoderSettings.fromTextMap(values);
            return Collections.unmodifiableMap(values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("parameter " + name() + ": not a JSON object of strings: " + json, e);
        }
    }
}
