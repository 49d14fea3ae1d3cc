package io.github.tokenprepending;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One encoder setting, declared once in {@link EncoderSettings}: its name, kind of value, default, help text, text
 * codec and how it applies to {@link SentenceEncoder.Builder}. Every front end derives its spelling from this
 * declaration: the command line ({@code --output-layer}), Spring properties ({@code tp.embedding.output-layer}),
 * Spark parameters and job arguments, the text maps of {@link EncoderSettings#fromTextMap} and the server's
 * {@code /info}.
 *
 * @param <T> the value's type: {@code String}, {@code Integer}, {@code Boolean} or {@code List<Integer>}
 */
public final class Setting<T> {

    /** The kind of a setting's value, which decides its text form and how front ends take it. */
    public enum Kind {
        /** Free text (an id, a name, a template). */
        TEXT,
        /** A whole number. */
        NUMBER,
        /** {@code true} or {@code false}; a command-line flag. */
        FLAG,
        /** Two whole numbers, written {@code "START EXIT"} or {@code "START,EXIT"}. */
        PAIR
    }

    /** How a setting's value changes the encoder builder. */
    @FunctionalInterface
    public interface Applier<T> {
        /**
         * @param builder the builder
         * @param value the setting's value, never null
         * @param all every setting, for rules across settings
         * @throws IllegalArgumentException for a bad value (reported as an {@link InvalidSettingException} naming
         *     the setting)
         */
        void apply(SentenceEncoder.Builder builder, T value, EncoderSettings all);
    }

    private final String name;
    private final Kind kind;
    private final String label;
    private final String help;
    private final String defaultText;
    private final String example;
    private final Applier<T> applier;

    private Setting(String name, Kind kind, String label, String help, String defaultText, String example,
            Applier<T> applier) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = kind;
        this.label = label;
        this.help = help;
        this.defaultText = defaultText;
        this.example = example;
        this.applier = applier;
    }

    static Setting<String> text(String name, String label, String help, String defaultText, String example,
            Applier<String> applier) {
        return new Setting<>(name, Kind.TEXT, label, help, defaultText, example, applier);
    }

    static Setting<Integer> number(String name, String help, String defaultText, String example,
            Applier<Integer> applier) {
        return new Setting<>(name, Kind.NUMBER, "N", help, defaultText, example, applier);
    }

    static Setting<Boolean> flag(String name, String help, boolean defaultValue, Applier<Boolean> applier) {
        return new Setting<>(name, Kind.FLAG, null, help, String.valueOf(defaultValue), String.valueOf(!defaultValue),
                applier);
    }

    static Setting<List<Integer>> pair(String name, String label, String help, String defaultText, String example,
            Applier<List<Integer>> applier) {
        return new Setting<>(name, Kind.PAIR, label, help, defaultText, example, applier);
    }

    /** @return the name in camel case ({@code maxBatchTokens}), as in Java and Spark parameters */
    public String name() {
        return name;
    }

    /** @return the name in kebab case ({@code max-batch-tokens}), as flags and properties spell it */
    public String kebabName() {
        return kebab(name);
    }

    /** @return the kind of value */
    public Kind kind() {
        return kind;
    }

    /** @return a short placeholder for the value in help texts ({@code N}, {@code START EXIT}); null for flags */
    public String label() {
        return label;
    }

    /** @return what the setting does, one line without its default */
    public String help() {
        return help;
    }

    /** @return the default in words ({@code 32}, {@code from the preset}); for a flag {@code true} or {@code false} */
    public String defaultText() {
        return defaultText;
    }

    /** @return the help text followed by the default, as front ends print it */
    public String description() {
        return help + " (default: " + defaultText + ")";
    }

    /** @return a valid value as text that differs from the default, for documentation and tests of front ends */
    public String example() {
        return example;
    }

    /** @return whether the setting is on unless turned off (a flag whose default is {@code true}) */
    public boolean onByDefault() {
        return kind == Kind.FLAG && defaultText.equals("true");
    }

    /**
     * @param text the value as text; null or blank means unset
     * @return the value, or null for unset
     * @throws InvalidSettingException naming this setting for a malformed number, boolean or pair
     */
    @SuppressWarnings("unchecked")
    public T parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String v = text.trim();
        Object value = switch (kind) {
            case TEXT -> v;
            case NUMBER -> integer(v);
            case FLAG -> {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new InvalidSettingException(name, "expects true or false, got '" + v + "'", null);
                }
                yield Boolean.valueOf(v);
            }
            case PAIR -> Arrays.stream(v.split("[\\s,]+")).map(this::integer).toList();
        };
        return (T) value;
    }

    /**
     * @param value a value of this setting
     * @return its text, which {@link #parse} reads back ({@code "1,7"} for a pair)
     */
    public String format(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    /**
     * @param value a value given in Java (a {@code List} for a pair, a {@code Number}, a {@code Boolean}, or text)
     * @return the value as this setting keeps it
     * @throws InvalidSettingException for a value of the wrong kind
     */
    Object coerce(Object value) {
        if (value == null) {
            return null;
        }
        boolean fits = switch (kind) {
            case TEXT -> value instanceof String;
            case NUMBER -> value instanceof Integer;
            case FLAG -> value instanceof Boolean;
            case PAIR -> value instanceof List<?> l && l.stream().allMatch(e -> e == null || e instanceof Integer);
        };
        if (!fits) {
            throw new InvalidSettingException(name, "expects " + kind.name().toLowerCase(Locale.ROOT) + ", got "
                    + value.getClass().getSimpleName() + " " + value, null);
        }
        return value instanceof List<?> l ? List.copyOf(l.stream().map(Integer.class::cast).toList()) : value;
    }

    @SuppressWarnings("unchecked")
    void applyTo(SentenceEncoder.Builder builder, Object value, EncoderSettings all) {
        try {
            applier.apply(builder, (T) value, all);
        } catch (InvalidSettingException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(name, e.getMessage(), e);
        }
    }

    private Integer integer(String v) {
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(name, "expects a whole number, got '" + v + "'", e);
        }
    }

    /**
     * @param name a name in camel case
     * @return it in kebab case
     */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a name in any case, with or without {@code -}, {@code _} or {@code .} between words
     * @return the name as Spring's relaxed binding compares names: lower case, separators dropped
     */
    static String canonical(String name) {
        return name.replaceAll("[-_.]", "").toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return name;
    }
}
