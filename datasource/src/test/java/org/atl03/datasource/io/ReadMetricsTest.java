package org.atl03.datasource.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadMetricsTest {

  @Test
  void countsEverySuccessfulReadAcrossThreads() throws Exception {
    ReadMetrics metrics = new ReadMetrics();
    InputFile file = metrics.meter(new ByteArrayInputFile("mem", new byte[4096]));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      pool.submit(() -> {
        for (int i = 0; i < 1000; i++) {
          file.readFully(i, new byte[10], 0, 10);
        }
        return null;
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(metrics.requests()).isEqualTo(4000);
    assertThat(metrics.bytes()).isEqualTo(40_000);
    assertThatThrownBy(() -> file.readFully(4090, new byte[10], 0, 10)).isInstanceOf(EOFException.class);
    assertThat(metrics.requests()).isEqualTo(4000); // failed reads delivered nothing
  }

  @Test
  void hadoopInputFileReadsPositionallyAndConcurrently(@TempDir Path dir) throws Exception {
    byte[] data = new byte[300_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i % 251);
    }
    Path p = dir.resolve("f.bin");
    Files.write(p, data);
    try (InputFile file = HadoopInputFile.open(new org.apache.hadoop.fs.Path(p.toUri()), new Configuration())) {
      assertThat(file.length()).isEqualTo(data.length);
      assertThat(file.location()).endsWith("f.bin");
      ExecutorService pool = Executors.newFixedThreadPool(6);
      var futures = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
      for (int t = 0; t < 6; t++) {
        int base = t * 40_000;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            int pos = base + i * 97;
            byte[] buf = file.readFully(pos, 5_000);
            if (!Arrays.equals(buf, Arrays.copyOfRange(data, pos, pos + 5_000))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (var f : futures) {
        assertThat(f.get()).isTrue();
      }
      pool.shutdown();
      assertThatThrownBy(() -> file.readFully(data.length - 2, new byte[4], 0, 4)).isInstanceOf(EOFException.class)
          .hasMessageContaining("f.bin");
    }
  }
}
