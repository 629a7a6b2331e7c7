package org.atl03.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a results file records of a job's arguments: secret values replaced, everything else as given. */
class ProvenanceTest {

  @Test
  void secretValuesAreRedactedAndOtherArgumentsKept() {
    assertThat(Provenance.redacted(List.of("--conf", "spark.hadoop.fs.s3a.secret.key=abc", "--conf",
        "spark.hadoop.fs.s3a.access.key=AKIA1", "-Dspark.hadoop.atl03.earthdata.token=tok", "--token", "tok2",
        "--password=pw", "--master", "local[2]", "--in", "s3a://bucket/ATL03_1.h5", "-Xmx2g")))
        .containsExactly("--conf", "spark.hadoop.fs.s3a.secret.key=" + Provenance.REDACTED, "--conf",
            "spark.hadoop.fs.s3a.access.key=" + Provenance.REDACTED,
            "-Dspark.hadoop.atl03.earthdata.token=" + Provenance.REDACTED, "--token", Provenance.REDACTED,
            "--password=" + Provenance.REDACTED, "--master", "local[2]", "--in", "s3a://bucket/ATL03_1.h5", "-Xmx2g");
  }
}
