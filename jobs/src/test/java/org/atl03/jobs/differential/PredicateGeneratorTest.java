package org.atl03.jobs.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.atl03.jobs.differential.ColumnCatalog.Col;
import org.atl03.jobs.differential.ColumnCatalog.Kind;
import org.junit.jupiter.api.Test;

/** The generator covers the grammar the issue names, and is a function of its seed. */
class PredicateGeneratorTest {

  private static final ColumnCatalog PHOTONS = new ColumnCatalog(List.of(
      new Col("granule", Kind.STRING, List.of("ATL03_20181014002445_02350104_006_02.h5")),
      new Col("beam", Kind.STRING, List.of("gt1l", "gt2r")),
      new Col("beam_strength", Kind.STRING, List.of("strong", "weak")),
      new Col("rgt", Kind.INT, List.of()),
      new Col("photon_index", Kind.LONG, List.of(0L, 2908L)),
      new Col("delta_time", Kind.DOUBLE, List.of(2.5e7, 2.5e7 + 0.5)),
      new Col("time", Kind.TIMESTAMP, List.of(1_539_476_736_000_000L)),
      new Col("lat_ph", Kind.DOUBLE, List.of(87.29, 87.3)),
      new Col("lon_ph", Kind.DOUBLE, List.of(95.0, 179.9)),
      new Col("h_ph", Kind.FLOAT, List.of(1.5f)),
      new Col("signal_conf_ph", Kind.BYTE_ARRAY, List.of()),
      new Col("quality_ph", Kind.BYTE, List.of((byte) 0))),
      "lon_ph", "lat_ph", "geometry", List.of(new double[] {95.0, 87.29}, new double[] {179.9, 87.3}));

  @Test
  void everyConstructOfTheGrammarAppears() {
    PredicateGenerator generator = new PredicateGenerator(PHOTONS, new Random(1), ZoneId.of("Asia/Kolkata"));
    List<String> predicates = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      predicates.add(generator.predicate());
    }
    Map<String, String> constructs = Map.ofEntries(
        Map.entry("AND", " AND "), Map.entry("OR", " OR "), Map.entry("NOT", "NOT \\("),
        Map.entry("BETWEEN", " BETWEEN "), Map.entry("IN with NULL", " IN \\(.*NULL\\)"),
        Map.entry("IS NULL", " IS NULL"), Map.entry("<=>", "<=>"), Map.entry("LIKE", " LIKE '"),
        Map.entry("string range", "beam(_strength)? [<>]=? '"), Map.entry("NaN", "'NaN'"),
        Map.entry("infinity", "Infinity"), Map.entry("literal first", "[0-9)'] [<>]=? (lat_ph|lon_ph|delta_time|time)"),
        Map.entry("antimeridian OR", "\\(lon_ph >=? [0-9.E]+D? OR lon_ph <=? -"),
        Map.entry("TIMESTAMP in the zone", "TIMESTAMP '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}'"),
        Map.entry("TIMESTAMP with offset", "\\+05:30'"), Map.entry("timestamp_micros", "timestamp_micros\\("),
        Map.entry("interval arithmetic", "INTERVAL 1 SECOND"), Map.entry("photon functions", "atl03_(time|is_signal|delta_time|signal|quality_ok)\\("),
        Map.entry("Sedona polygon", "ST_(Contains|Within|Covers|CoveredBy|Intersects)\\("),
        Map.entry("geometry column", "ST_\\w+\\(geometry"), Map.entry("array element", "signal_conf_ph\\["),
        Map.entry("box", "lat_ph BETWEEN .* AND lon_ph BETWEEN"));
    for (Map.Entry<String, String> construct : constructs.entrySet()) {
      Pattern pattern = Pattern.compile(construct.getValue());
      assertThat(predicates.stream().filter(p -> pattern.matcher(p).find()).count())
          .as("predicates with %s", construct.getKey()).isGreaterThan(10);
    }
  }

  @Test
  void theSameSeedGivesTheSamePredicates() {
    ZoneId utc = ZoneId.of("UTC");
    PredicateGenerator a = new PredicateGenerator(PHOTONS, new Random(42), utc);
    PredicateGenerator b = new PredicateGenerator(PHOTONS, new Random(42), utc);
    for (int i = 0; i < 100; i++) {
      assertThat(a.predicate()).isEqualTo(b.predicate());
    }
  }

  public static void main(String[] args) {
    PredicateGenerator generator = new PredicateGenerator(PHOTONS, new Random(7), ZoneId.of("UTC"));
    for (int i = 0; i < 25; i++) {
      System.out.println(generator.predicate());
    }
  }
}
