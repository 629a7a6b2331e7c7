package org.atl03.jobs.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.atl03.RefsGranuleFile;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.kerchunk.References;
import org.atl03.datasource.kerchunk.RefsParser;
import org.atl03.datasource.kerchunk.ZarrArrays;
import org.atl03.datasource.spark.GranuleSettings;
import org.atl03.datasource.spark.atl03.LocalScan;

/**
 * Kerchunk references. With their data file (an ATL03 granule's references): each mutant is scanned through the
 * atl03 source ({@link LocalScan}) and every numeric array read whole through {@link RefsGranuleFile}. Without
 * (third-party references whose data is remote): parsed, and every array's metadata and chunk keys resolved.
 */
final class RefsTarget extends MutatedFileTarget {

  private final String dataName;

  /** {@code data} null: parse-only. */
  RefsTarget(Path refs, Path data, Path workDir, Configuration conf) throws IOException {
    super(data == null ? "refs-parse" : "refs", refs, workDir, conf);
    this.dataName = data == null ? null : data.getFileName().toString();
    if (data != null) {
      Files.copy(data, workDir.resolve(dataName), StandardCopyOption.REPLACE_EXISTING);
    }
    mutateWith(new JsonMutator(original));
  }

  @Override
  public String otherFileName() {
    return dataName;
  }

  @Override
  public Observation read(byte[] bytes) throws Exception {
    Files.write(file, bytes);
    Map<String, Long> rows = new TreeMap<>();
    Map<String, Long> sums = new TreeMap<>();
    if (dataName == null) {
      References refs = RefsParser.parse(bytes, file.toString());
      for (String array : refs.arrays()) {
        String text;
        DatasetInfo info;
        try {
          text = refs.text(array.isEmpty() ? ".zarray" : array + "/.zarray");
          info = ZarrArrays.datasetInfo(file.toString(), array, text);
        } catch (UnsupportedOperationException e) {
          // dates, strings and codecs we do not decode: refused by name, which is what matters here
          if (!String.valueOf(e.getMessage()).contains(name)) {
            throw e;
          }
          rows.put(array, -1L);
          sums.put(array, (long) String.valueOf(e.getMessage()).replace(file.toString(), "").hashCode());
          continue;
        }
        rows.put(array, (long) refs.chunkKeys(array).size());
        sums.put(array, (long) info.toString().replace(file.toString(), "").hashCode());
      }
      return new Observation(rows, sums);
    }
    LocalScan.Result scan = LocalScan.run(List.of(file.toString()), Map.of("readsInFlight", "1"), conf);
    scan.rows().forEach((k, v) -> rows.put("scan:" + k, v));
    scan.checksums().forEach((k, v) -> sums.put("scan:" + k, v));
    try (RefsGranuleFile refs = RefsGranuleFile.open(file.toString(), new HadoopStorage(conf), new ReadMetrics(),
        GranuleSettings.from(conf).refs())) {
      for (String array : refs.references().arrays()) {
        DatasetInfo info = refs.dataset(array);
        if (!info.type().isNumeric()) {
          continue;
        }
        double[] values = refs.readAsDoubles(array);
        ByteBuffer b = ByteBuffer.allocate(values.length * 8);
        b.asDoubleBuffer().put(values);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array());
        rows.put(array, (long) values.length);
        sums.put(array, crc.getValue());
      }
    }
    return new Observation(rows, sums);
  }
}
