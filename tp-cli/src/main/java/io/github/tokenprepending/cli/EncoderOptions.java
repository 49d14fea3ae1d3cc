package io.github.tokenprepending.cli;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.InvalidSettingException;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.Setting;
import io.github.tokenprepending.hub.BundledModels;
import io.github.tokenprepending.models.ToyModel;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The model and Token Prepending options every command takes, listed in their own section of each command's help:
 * one option per setting of {@link EncoderSettings#ALL}, added by {@link #install}.
 */
@Command
final class EncoderOptions {
    private static final Pattern DEVICE = Pattern.compile("cpu|(?:cuda|gpu)(?::\\d+)?");
    /** Printed once on stderr by every command that runs without {@code --model}. */
    static final String TOY_MODEL_NOTE = "note: no --model given, running the bundled " + ToyModel.NAME
            + " toy model: it proves the pipeline, but its embeddings mean nothing (--model ID|DIR for a real one)";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The options given, as text by setting name (what {@link EncoderSettings#fromTextMap} reads). */
    private final Map<String, String> given = new LinkedHashMap<>();

    /**
     * Adds an option for every setting of {@link EncoderSettings#ALL} to each command that mixes these options in,
     * under a heading of their own: {@code --output-layer K}, {@code --tp START EXIT}, {@code --normalize} for a
     * flag that is off by default, {@code --no-prefix-cache} for one that is on. Names and help come from the
     * settings' declarations, so a new setting is a new option without a change here.
     *
     * @param cli the command line, subcommands included
     */
    static void install(CommandLine cli) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            for (CommandSpec mixin : sub.getCommandSpec().mixins().values()) {
                if (mixin.userObject() instanceof EncoderOptions options) {
                    sub.getCommandSpec().addArgGroup(options.group());
                }
            }
            install(sub);
        }
    }

    private ArgGroupSpec group() {
        ArgGroupSpec.Builder group = ArgGroupSpec.builder().heading("%nModel and Token Prepending options:%n")
                .validate(false).order(100);
        int order = 1;
        for (Setting<?> setting : EncoderSettings.ALL) {
            group.addArg(option(setting).order(order++).build());
        }
        return group.build();
    }

    private OptionSpec.Builder option(Setting<?> setting) {
        String name = setting.name();
        OptionSpec.Builder o = OptionSpec.builder(flag(setting)).description(description(setting));
        Binding binding = switch (setting.kind()) {
            case FLAG -> new Binding(value -> Boolean.TRUE.equals(value) ? String.valueOf(!setting.onByDefault())
                    : null);
            case PAIR -> new Binding(value -> value == null ? null
                    : String.join(" ", ((List<?>) value).stream().map(String::valueOf).toList()));
            case TEXT, NUMBER -> new Binding(value -> value == null ? null : String.valueOf(value));
        };
        binding.into = text -> record(name, text);
        o = switch (setting.kind()) {
            case FLAG -> o.arity("0").type(boolean.class);
            case PAIR -> o.arity("2").type(List.class).auxiliaryTypes(Integer.class).paramLabel(setting.label())
                    .hideParamSyntax(true);
            case NUMBER -> o.arity("1").type(Integer.class).paramLabel(setting.label());
            case TEXT -> o.arity("1").type(String.class).paramLabel(setting.label());
        };
        // picocli converts numbers itself, so a malformed one is its usual "Invalid value for option" error
        return o.getter(binding).setter(binding);
    }

    /**
     * @param setting a setting
     * @return its help as the option says it: a flag that is on by default is the option that turns it off
     */
    static String description(Setting<?> setting) {
        return setting.onByDefault() ? "turns off what is on by default: " + setting.help() : setting.description();
    }

    /** Keeps an option's value for picocli (which appends repeated values to it) and records it as text. */
    private static final class Binding implements IGetter, ISetter {
        private final java.util.function.Function<Object, String> text;
        private java.util.function.Consumer<String> into;
        private Object value;

        Binding(java.util.function.Function<Object, String> text) {
            this.text = text;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T set(T newValue) {
            T old = (T) value;
            value = newValue;
            into.accept(text.apply(newValue));
            return old;
        }
    }

    private void record(String name, String value) {
        if (value == null) {
            given.remove(name);
        } else {
            given.put(name, value);
        }
    }

    /**
     * @param setting a setting
     * @return its option: {@code --kebab-name}, or {@code --no-kebab-name} for a flag that is on by default
     */
    static String flag(Setting<?> setting) {
        return (setting.onByDefault() ? "--no-" : "--") + setting.kebabName();
    }

    /**
     * @return these options as settings (the model unset: the bundled toy model stands in at {@link #open()})
     * @throws ParameterException for a malformed value (exit code 2)
     */
    EncoderSettings settings() {
        return checked(() -> EncoderSettings.fromTextMap(given));
    }

    /**
     * Checks these options without loading anything, for commands that read their data first.
     *
     * @throws ParameterException for options that are wrong in themselves (exit code 2)
     */
    void validate() {
        EncoderSettings s = settings();
        checked(s::validate);
    }

    /**
     * @return the encoder these options describe
     * @throws ParameterException for options that are wrong in themselves (exit code 2)
     */
    SentenceEncoder open() {
        return open(b -> { });
    }

    /**
     * @param more builder calls that are no option (such as {@code loadLayersFor} for a variant)
     * @return the encoder these options describe
     * @throws ParameterException for options that are wrong in themselves (exit code 2)
     */
    SentenceEncoder open(Consumer<SentenceEncoder.Builder> more) {
        EncoderSettings s = settings();
        checked(s::validate);
        checkDevice();
        if (s.model() == null) {
            System.err.println(TOY_MODEL_NOTE);
            s = s.toBuilder().model(BundledModels.DEMO).build();
        }
        EncoderSettings resolved = s;
        return checked(() -> resolved.open(TerminalProgress.downloads(), more));
    }

    /**
     * @param model a model already loaded with {@link #modelOptions()} (owned from now on, closed on failure)
     * @return an encoder over it with these options' Token Prepending settings
     * @throws ParameterException for options that are wrong in themselves (exit code 2)
     */
    SentenceEncoder open(LayerwiseModel model) {
        EncoderSettings s = settings();
        return checked(() -> s.open(model));
    }

    /**
     * @return device, dtype, placeholder vector and threads as these options say
     * @throws ParameterException for a malformed value (exit code 2)
     */
    ModelOptions modelOptions() {
        EncoderSettings s = settings();
        return checked(s::modelOptions);
    }

    /** Runs a settings step, turning a bad setting into a usage error that names its option. */
    private <T> T checked(Supplier<T> step) {
        try {
            return step.get();
        } catch (InvalidSettingException e) {
            String flag = EncoderSettings.NAMES.contains(e.setting()) ? flag(EncoderSettings.byName(e.setting()))
                    : "--" + e.kebabName();
            throw usage(flag + ": " + e.problem());
        }
    }

    /** An unknown device name is a usage error; whether libtorch sees the GPU is the engine's to say, at load. */
    private void checkDevice() {
        String device = given.get(EncoderSettings.DEVICE.name());
        if (device != null && !DEVICE.matcher(device.trim().toLowerCase(Locale.ROOT)).matches()) {
            throw usage("unknown --device '" + device + "' (cpu, cuda or cuda:N)");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** @return a name for the model in reports */
    String modelName() {
        String model = given.get(EncoderSettings.MODEL.name());
        return model == null ? ToyModel.NAME + " (bundled toy model)" : model;
    }
}
