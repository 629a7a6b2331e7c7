package org.atl03.jobs.convert;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/** Runs a write with some SQL settings changed, restoring the session's own values afterwards. */
final class SessionConf {
  private SessionConf() {}

  static <T> T with(SparkSession spark, Map<String, String> settings, Callable<T> body) throws Exception {
    RuntimeConfig conf = spark.conf();
    Map<String, String> previous = new HashMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      previous.put(e.getKey(), conf.contains(e.getKey()) ? conf.get(e.getKey()) : null);
      conf.set(e.getKey(), e.getValue());
    }
    try {
      return body.call();
    } finally {
      previous.forEach((key, value) -> {
        if (value == null) {
          conf.unset(key);
        } else {
          conf.set(key, value);
        }
      });
    }
  }
}
