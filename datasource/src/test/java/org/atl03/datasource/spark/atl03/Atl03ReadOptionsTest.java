package org.atl03.datasource.spark.atl03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.atl03.datasource.spark.GranuleSettings;
import org.atl03.datasource.spark.SparkTestSupport;
import org.junit.jupiter.api.Test;

/** The read options as a contract: every documented name accepted, old names mapped, unknown names refused. */
class Atl03ReadOptionsTest {

  private static Atl03Options parse(Map<String, String> options) {
    return Atl03Options.parse(new CaseInsensitiveStringMap(options));
  }

  @Test
  void everyNamedOptionIsKnownAndEveryKnownOptionIsNamed() {
    assertThat(Atl03ReadOptions.ALL).containsExactlyInAnyOrderElementsOf(
        SparkTestSupport.optionNames(Atl03ReadOptions.class));
  }

  @Test
  void anUnknownOptionFailsListingTheKnownOnes() {
    assertThatThrownBy(() -> parse(Map.of("path", "/g.h5", "strongonyl", "true")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format(\"atl03\") has no option strongonyl")
        .hasMessageContaining("strongOnly").hasMessageContaining("readsInFlight").hasMessageContaining("beams");
  }

  @Test
  void namesAreCaseInsensitiveAsSparkPassesThem() {
    assertThat(parse(Map.of("PATH", "/g.h5", "STRONGONLY", "true", "readsinflight", "3")))
        .satisfies(o -> assertThat(o.strongOnly()).isTrue())
        .satisfies(o -> assertThat(o.readsInFlight()).isEqualTo(3));
  }

  @Test
  void theOldSnakeCaseNameStillWorksButNotBesideTheNewOne() {
    assertThat(parse(Map.of("path", "/g.h5", "strong_only", "true")).strongOnly()).isTrue();
    assertThat(parse(Map.of("path", "/g.h5", "strong_only", "false")).strongOnly()).isFalse();
    assertThatThrownBy(() -> parse(Map.of("path", "/g.h5", "strong_only", "true", "strongOnly", "false")))
        .hasMessageContaining("strong_only is the old name of strongOnly");
  }

  @Test
  void kerchunkOptionsBecomeTheirHadoopSettingsForTheRead() {
    Atl03Options options = parse(Map.of("path", "/r.json", "dataDir", "/data", "allowedPrefixes", "/data,/more"));
    org.apache.hadoop.conf.Configuration conf = options.hadoopConf(new org.apache.hadoop.conf.Configuration(false));
    assertThat(GranuleSettings.from(conf).refs().dataDir()).isEqualTo("/data");
    assertThat(GranuleSettings.from(conf).refs().allowedPrefixes()).containsExactly("/data", "/more");
  }
}
