package org.atl03.datasource.io;

/**
 * Every {@code atl03.*} Hadoop configuration key the project reads, in one place (set them as
 * {@code spark.hadoop.KEY} or in core-site.xml; the atl03 source's read options set some per query).
 */
public final class HadoopSettings {

  /** Bytes per metadata read of an HDF5 granule (e.g. 256k); default by storage, see {@code Granules}. */
  public static final String METADATA_BLOCK_SIZE = "atl03.metadata.block.size";

  /** Where a relative data URL of kerchunk references resolves when the file is not beside them. */
  public static final String REFS_DATA_DIR = "atl03.refs.dataDir";
  /** The data file of kerchunk references, overriding the URL they name. */
  public static final String REFS_DATA_LOCATION = "atl03.refs.dataLocation";
  /** Comma-separated locations references' data files must be under (default: the references' own directory). */
  public static final String REFS_ALLOWED_PREFIXES = "atl03.refs.allowedPrefixes";

  /** Attempts of an HTTP range read that failed for a transient reason. */
  public static final String HTTP_RETRIES = "atl03.http.retries";
  public static final String HTTP_TIMEOUT_SECONDS = "atl03.http.timeout.seconds";
  /** Hosts (comma-separated) the Earthdata bearer token is sent to. */
  public static final String HTTP_TOKEN_HOSTS = "atl03.http.token.hosts";
  /** A PKCS12 trust store for https servers with their own certificates (the tests' nginx). */
  public static final String HTTP_TRUST_STORE = "atl03.http.truststore";
  public static final String HTTP_TRUST_STORE_PASSWORD = "atl03.http.truststore.password";

  /** An Earthdata Login bearer token, or a file holding one. */
  public static final String EARTHDATA_TOKEN = "atl03.earthdata.token";
  public static final String EARTHDATA_TOKEN_FILE = "atl03.earthdata.token.file";
  /** The DAAC's temporary S3 credentials endpoint, and how long before expiry they are renewed. */
  public static final String EARTHDATA_S3_CREDENTIALS_URL = "atl03.earthdata.s3credentials.url";
  public static final String EARTHDATA_REFRESH_AHEAD_SECONDS = "atl03.earthdata.s3credentials.refresh.ahead.seconds";

  private HadoopSettings() {}
}
