package io.github.tokenprepending;

import java.util.Locale;

/**
 * A setting of {@link EncoderSettings} that is wrong in itself or contradicts another. {@link #setting()} names it the
 * way {@link EncoderSettings} does ({@code outputLayer}); each front end shows it in its own syntax
 * ({@code --output-layer} on the command line, {@code tp.embedding.output-layer} in Spring) with {@link #problem()}.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String problem;

    /**
     * @param setting the setting's name, as the {@link EncoderSettings} component ({@code batchSize})
     * @param problem what is wrong, without the setting's name
     * @param cause the parse error, or null
     */
    public InvalidSettingException(String setting, String problem, Throwable cause) {
        super(setting + ": " + problem, cause);
        this.setting = setting;
        this.problem = problem;
    }

    /** @return the setting's name as the {@link EncoderSettings} component ({@code maxBatchTokens}) */
    public String setting() {
        return setting;
    }

    /** @return the setting's name in kebab case ({@code max-batch-tokens}), as flags and properties spell it */
    public String kebabName() {
        return setting.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** @return what is wrong, without the setting's name */
    public String problem() {
        return problem;
    }
}
