package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.Setting;
import io.github.tokenprepending.hub.BundledModels;
import io.github.tokenprepending.server.EmbeddingServer;
import io.github.tokenprepending.server.ServerOptions;
import io.github.tokenprepending.spark.JobArguments;
import io.github.tokenprepending.spark.TpEmbedder;
import io.github.tokenprepending.springai.autoconfigure.TokenPrependingProperties;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every setting declared in {@link EncoderSettings} reaches every front end under its own spelling, with its value:
 * text maps, the command line ({@code --output-layer}), Spring's binder ({@code tp.embedding.output-layer} and
 * {@code TP_EMBEDDING_OUTPUTLAYER}), Spark's typed parameters and the job's arguments, and the server's
 * {@code /info}. A setting missing from any of them fails here.
 */
class SettingsDriftTest {

    static Stream<Setting<?>> settings() {
        return EncoderSettings.ALL.stream();
    }

    /** @return the settings with just this one set to its example value */
    private static EncoderSettings only(Setting<?> setting) {
        return EncoderSettings.builder().setText(setting, setting.example()).build();
    }

    @Test
    void everyDeclaredSettingIsListed() throws IllegalAccessException {
        List<Setting<?>> declared = new ArrayList<>();
        for (Field f : EncoderSettings.class.getDeclaredFields()) {
            if (f.getType() == Setting.class && Modifier.isStatic(f.getModifiers())) {
                declared.add((Setting<?>) f.get(null));
            }
        }
        assertThat(EncoderSettings.ALL).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(EncoderSettings.NAMES).doesNotHaveDuplicates();
        settings().forEach(s -> assertThat(s.example()).as(s.name()).isNotBlank()
                .isNotEqualTo(s.defaultText()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void textMapsRoundTrip(Setting<?> setting) {
        EncoderSettings expected = only(setting);
        assertThat(expected.asMap()).containsOnlyKeys(setting.name());
        assertThat(EncoderSettings.fromTextMap(Map.of(setting.name(), setting.example()))).isEqualTo(expected);
        assertThat(EncoderSettings.fromTextMap(Map.of(setting.kebabName(), setting.example()))).isEqualTo(expected);
        assertThat(EncoderSettings.fromTextMap(expected.toTextMap())).isEqualTo(expected);
        assertThat(expected.toBuilder().build()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void everyCommandTakesTheSettingAsAnOptionWithItsHelp(Setting<?> setting) {
        String flag = (setting.onByDefault() ? "--no-" : "--") + setting.kebabName();
        List<String> args = new ArrayList<>(List.of(flag));
        if (setting.kind() != Setting.Kind.FLAG) {
            args.addAll(Arrays.asList(setting.example().split(" ")));
        }
        CommandLine parsed = Main.commandLine();
        parsed.parseArgs(Stream.concat(Stream.of("embed"), args.stream()).toArray(String[]::new));
        assertThat(((EmbedCommand) parsed.getSubcommands().get("embed").getCommand()).options.settings())
                .as("embed " + args).isEqualTo(only(setting));
        int commands = 0;
        CommandLine tp = Main.commandLine();
        for (Map.Entry<String, CommandLine> sub : tp.getSubcommands().entrySet()) {
            CommandSpec spec = sub.getValue().getCommandSpec();
            if (spec.mixins().values().stream().noneMatch(m -> m.userObject() instanceof EncoderOptions)) {
                continue;
            }
            commands++;
            OptionSpec option = spec.findOption(flag);
            assertThat(option).as(sub.getKey() + " " + flag).isNotNull();
            assertThat(String.join(" ", option.description())).isEqualTo(EncoderOptions.description(setting))
                    .contains(setting.help());
            assertThat(option.arity().max()).as(flag + " takes").isEqualTo(switch (setting.kind()) {
                case FLAG -> 0;
                case PAIR -> 2;
                case TEXT, NUMBER -> 1;
            });
        }
        assertThat(commands).as("commands with the encoder options").isGreaterThanOrEqualTo(7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void springBindsTheSettingAsAKebabPropertyAndAnEnvironmentVariable(Setting<?> setting) {
        Binder properties = new Binder(new MapConfigurationPropertySource(
                Map.of(TokenPrependingProperties.PREFIX + ".embedding." + setting.kebabName(), setting.example())));
        assertThat(bind(properties).settings()).isEqualTo(only(setting));

        String variable = ("TP_EMBEDDING_" + setting.kebabName().replace("-", "")).toUpperCase(Locale.ROOT);
        Binder environment = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, setting.example()))));
        assertThat(bind(environment).settings()).as(variable).isEqualTo(only(setting));
    }

    private static TokenPrependingProperties bind(Binder binder) {
        return binder.bind(TokenPrependingProperties.PREFIX, Bindable.ofInstance(new TokenPrependingProperties()))
                .orElseThrow(() -> new AssertionError("nothing bound"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    @SuppressWarnings("unchecked")
    void sparkHasATypedParamAndTheJobAnArgument(Setting<?> setting) {
        TpEmbedder embedder = new TpEmbedder();
        Param<?> param = embedder.getParam(setting.name());
        assertThat(param).isSameAs(embedder.settingParam(setting));
        assertThat(param.doc()).isEqualTo(setting.description());
        String[] words = setting.example().split(" ");
        Object value = switch (setting.kind()) {
            case PAIR -> Arrays.stream(words).mapToInt(Integer::parseInt).toArray();
            case NUMBER -> Integer.valueOf(setting.example());
            case FLAG -> Boolean.valueOf(setting.example());
            case TEXT -> setting.example();
        };
        embedder.set((Param<Object>) param, value);
        assertThat(embedder.getEncoderSettings()).isEqualTo(only(setting));

        List<String> args = new ArrayList<>(List.of("--input", "c.parquet", "--id-column", "id", "--output", "o"));
        if (setting != EncoderSettings.MODEL) {
            args.addAll(List.of("--model", "org/model"));
        }
        args.add("--" + setting.kebabName());
        args.addAll(Arrays.asList(words));
        assertThat(JobArguments.parse(args.toArray(String[]::new)).settings())
                .isEqualTo(only(setting).toBuilder().model("org/model").build());
    }

    @Test
    void theServersInfoListsEverySetting() throws Exception {
        EncoderSettings settings = EncoderSettings.builder().model(BundledModels.DEMO).threads(1).build();
        try (EmbeddingServer server = EmbeddingServer.start(settings,
                ServerOptions.builder().host("127.0.0.1").port(0).build())) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/info")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode info = new ObjectMapper().readTree(response.body()).get("settings");
            List<String> names = new ArrayList<>();
            info.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactlyElementsOf(
                    settings().map(s -> s.kebabName().replace('-', '_')).toList());
            assertThat(info.get("model").asText()).isEqualTo(BundledModels.DEMO);
            assertThat(info.get("threads").asInt()).isEqualTo(1);
            assertThat(info.get("output_layer").isNull()).isTrue();
        }
    }
}
