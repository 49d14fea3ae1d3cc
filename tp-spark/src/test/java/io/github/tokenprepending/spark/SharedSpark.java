package io.github.tokenprepending.spark;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.models.ToyModel;
import org.apache.spark.sql.SparkSession;

/** The one local[2] session of this module's tests (Spark's startup costs seconds: pay it once per test JVM). */
final class SharedSpark {
    private static SparkSession session;

    private SharedSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("tp-spark-tests")
                    .config("spark.ui.enabled", false)
                    .config("spark.sql.shuffle.partitions", 2)
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return session;
    }

    /** @return settings of the bundled toy model, loaded from its directory */
    static EncoderSettings toyModel() {
        return EncoderSettings.builder().model(ToyModel.directory().toString()).build();
    }
}
