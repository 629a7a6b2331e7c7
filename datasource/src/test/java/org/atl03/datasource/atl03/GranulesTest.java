package org.atl03.datasource.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** How a granule is read by where it lies: metadata block size and range reads in flight. */
class GranuleFilesTest {

  @Test
  void remoteStorageReadsMetadataInLargerBlocksAndKeepsMoreReadsInFlight() {
    Configuration conf = new Configuration(false);
    for (String local : new String[] {"/data/ATL03.h5", "file:/data/ATL03.h5"}) {
      assertThat(GranuleFiles.readOptions(new Path(local), conf).metadataBlockSize()).isEqualTo(64 * 1024);
      assertThat(GranuleFiles.readsInFlight(new Path(local))).isEqualTo(8);
    }
    for (String remote : new String[] {"s3a://bucket/ATL03.h5", "https://host/ATL03.h5", "hdfs://nn/ATL03.h5"}) {
      assertThat(GranuleFiles.readOptions(new Path(remote), conf).metadataBlockSize()).isEqualTo(1024 * 1024);
      assertThat(GranuleFiles.readOptions(new Path(remote), conf).metadataCacheBlocks()).isEqualTo(16);
      assertThat(GranuleFiles.readsInFlight(new Path(remote))).isEqualTo(32);
    }
  }

  @Test
  void theBlockSizeCanBeSetAndIsChecked() {
    Configuration conf = new Configuration(false);
    conf.set(GranuleFiles.METADATA_BLOCK_SIZE, "256k");
    assertThat(GranuleFiles.readOptions(new Path("s3a://b/g.h5"), conf).metadataBlockSize()).isEqualTo(256 * 1024);
    assertThat(GranuleFiles.readOptions(new Path("s3a://b/g.h5"), conf).metadataCacheBlocks()).isEqualTo(64);
    conf.set(GranuleFiles.METADATA_BLOCK_SIZE, "100");
    assertThatThrownBy(() -> GranuleFiles.readOptions(new Path("/g.h5"), conf))
        .hasMessageContaining(GranuleFiles.METADATA_BLOCK_SIZE).hasMessageContaining("100");
  }
}
