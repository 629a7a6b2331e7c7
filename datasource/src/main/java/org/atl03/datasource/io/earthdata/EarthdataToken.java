package org.atl03.datasource.io.earthdata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.io.HadoopSettings;

/**
 * The Earthdata Login user token (a bearer token from urs.earthdata.nasa.gov, "Generate Token"), sent by the
 * https: file system and the s3credentials provider. Looked up, first found wins: the Hadoop setting
 * {@value HadoopSettings#EARTHDATA_TOKEN} ({@code spark.hadoop.atl03.earthdata.token}; Spark's UI redacts keys
 * containing "token"), the file named by {@value HadoopSettings#EARTHDATA_TOKEN_FILE}, the environment variable
 * {@value #TOKEN_ENV}. Never logged or printed.
 */
public final class EarthdataToken {

  public static final String TOKEN_ENV = "EARTHDATA_TOKEN";

  private final String value;

  private EarthdataToken(String value) {
    this.value = value;
  }

  /** The configured token, if any. A token file that cannot be read is an error naming the file. */
  public static Optional<EarthdataToken> from(Configuration conf) throws IOException {
    String direct = conf.getTrimmed(HadoopSettings.EARTHDATA_TOKEN);
    if (direct != null && !direct.isEmpty()) {
      return Optional.of(new EarthdataToken(direct));
    }
    String file = conf.getTrimmed(HadoopSettings.EARTHDATA_TOKEN_FILE);
    if (file != null && !file.isEmpty()) {
      String text = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
      if (text.isEmpty()) {
        throw new IOException(HadoopSettings.EARTHDATA_TOKEN_FILE + " names " + file + ", which is empty");
      }
      return Optional.of(new EarthdataToken(text));
    }
    String env = System.getenv(TOKEN_ENV);
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(new EarthdataToken(env.trim()));
  }

  /** The value of an {@code Authorization} header. */
  public String authorizationHeader() {
    return "Bearer " + value;
  }

  /** Never the token itself. */
  @Override
  public String toString() {
    return "EarthdataToken[redacted]";
  }
}
