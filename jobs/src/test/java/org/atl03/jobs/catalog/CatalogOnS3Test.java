package org.atl03.jobs.catalog;

import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.spark.catalog.CatalogIndexer;
import org.atl03.jobs.SparkOptions;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.atl03.testing.services.S3Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog of granules on S3 (s3proxy): the scan through it reads what the files hold, and once an object is
 * replaced, the ETag the catalog recorded fails the task's reads (S3's condition, no extra request) naming a stale
 * catalog.
 */
class CatalogOnS3Test {

  @Test
  void aReplacedObjectFailsTheScanAsAStaleCatalog(@TempDir Path tmp) throws Exception {
    List<Path> granules = Generator.generate(new GeneratorOptions(tmp.resolve("g"), 2, 5_000, 61, Layout.V006));
    SparkSession spark = new SparkOptions().session("atl03 catalog on S3 test", "local[2]");
    try (S3Server s3 = S3Server.start(tmp.resolve("s3"))) {
      s3.configure(spark.sparkContext().hadoopConfiguration());
      String key = "granules/" + granules.get(0).getFileName();
      s3.upload(granules.get(0), key);
      String catalog = tmp.resolve("catalog").toString();
      CatalogIndexer.Report report = CatalogIndexer.index(spark, List.of(s3.url("granules/")), catalog,
          CatalogIndexer.Options.DEFAULT, spark.sessionState().newHadoopConf());
      assertThat(report.added()).isEqualTo(1);
      long local = spark.read().format("atl03").load(granules.get(0).toString()).count();
      assertThat(spark.read().format("atl03").option("catalog", catalog)
          .option("allowedPrefixes", s3.url("granules/")).load().count()).isEqualTo(local);

      s3.upload(granules.get(1), key); // the same name, another object
      FileSystem.closeAll();
      // a query reading photons: S3 refuses each GET whose ETag condition fails
      assertThatThrownBy(() -> spark.read().format("atl03").option("catalog", catalog)
          .option("allowedPrefixes", s3.url("granules/")).load().agg(sum("h_ph")).collect())
          .hasStackTraceContaining(granules.get(0).getFileName().toString())
          .hasStackTraceContaining("the catalog is stale");
      // a count reads no photon: the task asks for the object's version once
      assertThatThrownBy(() -> spark.read().format("atl03").option("catalog", catalog)
          .option("allowedPrefixes", s3.url("granules/")).load().count())
          .hasStackTraceContaining(granules.get(0).getFileName().toString())
          .hasStackTraceContaining("the catalog is stale");
    } finally {
      spark.stop();
      FileSystem.closeAll();
    }
  }
}
