package io.github.tokenprepending.djl;

/**
 * Process-wide DJL settings this library relies on. DJL sends a telemetry ping (an EC2 metadata lookup, then an
 * S3 request) when an engine or tokenizer starts, unless {@code OPT_OUT_TRACKING} is set; an embedding library
 * must not phone home, so tp-djl opts out unless the application set {@code OPT_OUT_TRACKING} itself (as a system
 * property or an environment variable).
 */
public final class DjlRuntime {
    private static final String OPT_OUT = "OPT_OUT_TRACKING";

    private DjlRuntime() {
    }

    /** Applies the settings; called before any DJL engine or tokenizer is created. Idempotent. */
    public static synchronized void init() {
        if (System.getProperty(OPT_OUT) == null && System.getenv(OPT_OUT) == null) {
            System.setProperty(OPT_OUT, "true");
        }
    }
}
