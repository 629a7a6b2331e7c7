package org.atl03.datasource.atl03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.io.Storage;
import org.atl03.datasource.spark.GranuleSettings;
import org.junit.jupiter.api.Test;

/** How a granule is read by where it lies: metadata block size and range reads in flight. */
class GranulesTest {

  private final Storage storage = new HadoopStorage(new Configuration(false));

  @Test
  void remoteStorageReadsMetadataInLargerBlocksAndKeepsMoreReadsInFlight() {
    GranuleReadOptions defaults = GranuleReadOptions.DEFAULT;
    for (String local : new String[] {"/data/ATL03.h5", "file:/data/ATL03.h5"}) {
      assertThat(Granules.readOptions(local, storage, defaults).metadataBlockSize()).isEqualTo(64 * 1024);
      assertThat(Granules.readsInFlight(local, storage)).isEqualTo(8);
    }
    for (String remote : new String[] {"s3a://bucket/ATL03.h5", "https://host/ATL03.h5", "hdfs://nn/ATL03.h5"}) {
      assertThat(Granules.readOptions(remote, storage, defaults).metadataBlockSize()).isEqualTo(1024 * 1024);
      assertThat(Granules.readOptions(remote, storage, defaults).metadataCacheBlocks()).isEqualTo(16);
      assertThat(Granules.readsInFlight(remote, storage)).isEqualTo(32);
    }
  }

  @Test
  void theBlockSizeCanBeSetAndIsChecked() {
    Configuration conf = new Configuration(false);
    conf.set(HadoopSettings.METADATA_BLOCK_SIZE, "256k");
    GranuleReadOptions options = GranuleSettings.from(conf);
    assertThat(Granules.readOptions("s3a://b/g.h5", storage, options).metadataBlockSize()).isEqualTo(256 * 1024);
    assertThat(Granules.readOptions("s3a://b/g.h5", storage, options).metadataCacheBlocks()).isEqualTo(64);
    conf.set(HadoopSettings.METADATA_BLOCK_SIZE, "100");
    assertThatThrownBy(() -> Granules.readOptions("/g.h5", storage, GranuleSettings.from(conf)))
        .hasMessageContaining(HadoopSettings.METADATA_BLOCK_SIZE).hasMessageContaining("100");
  }
}
