package io.github.tokenprepending.head;

import java.util.Locale;

/** The activation after a {@link DenseLayer}, as sentence-transformers' {@code Dense} config names it. */
public enum Activation {
    /** {@code torch.nn.modules.linear.Identity}. */
    IDENTITY,
    /** {@code torch.nn.modules.activation.Tanh} (the Dense module's default). */
    TANH,
    /** {@code torch.nn.modules.activation.ReLU}. */
    RELU,
    /** {@code torch.nn.modules.activation.Sigmoid}. */
    SIGMOID;

    /**
     * @param name the config's {@code activation_function}, such as {@code torch.nn.modules.activation.Tanh}, or
     *     null for the default (Tanh)
     * @return the activation
     * @throws IllegalArgumentException for another function, naming the supported ones
     */
    public static Activation parse(String name) {
        if (name == null) {
            return TANH;
        }
        String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (simple) {
            case "identity" -> IDENTITY;
            case "tanh" -> TANH;
            case "relu" -> RELU;
            case "sigmoid" -> SIGMOID;
            default -> throw new IllegalArgumentException("activation_function '" + name + "' is not supported"
                    + " (supported: torch.nn Identity, Tanh, ReLU, Sigmoid)");
        };
    }

    double apply(double x) {
        return switch (this) {
            case IDENTITY -> x;
            case TANH -> Math.tanh(x);
            case RELU -> Math.max(0, x);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
        };
    }
}
