package org.atl03.datasource.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Or;
import org.atl03.datasource.atl03.GeoBox;
import org.junit.jupiter.api.Test;

class PushedFiltersTest {

  @Test
  void latLonComparisonsBecomeABox() {
    PushedFilters pushed =
        PushedFilters.of(
            new Filter[] {
              new GreaterThanOrEqual("lat_ph", 87.29), new LessThan("lat_ph", 87.3),
              new And(new GreaterThan("lon_ph", 100.0), new LessThanOrEqual("lon_ph", 120)),
              new IsNotNull("h_ph")
            });

    assertThat(pushed.photons().box()).isEqualTo(new GeoBox(100, 87.29, 120, 87.3));
    assertThat(pushed.used()).hasSize(4);
    assertThat(pushed.photons().selectsEverything()).isFalse();
  }

  @Test
  void anOrOfLongitudesIsABoxAcrossTheAntimeridian() {
    PushedFilters pushed =
        PushedFilters.of(
            new Filter[] {
              new Or(new GreaterThanOrEqual("lon_ph", 170.0), new LessThanOrEqual("lon_ph", -170.0)),
              new GreaterThan("lat_ph", -30.0), new LessThan("lat_ph", -10.0)
            });

    GeoBox box = pushed.photons().box();
    assertThat(box).isEqualTo(new GeoBox(170, -30, -170, -10));
    assertThat(box.crossesAntimeridian()).isTrue();
  }

  @Test
  void timeAndDeltaTimeNarrowTheSameWindow() {
    PushedFilters pushed =
        PushedFilters.of(
            new Filter[] {
              new GreaterThanOrEqual("time", Timestamp.from(Instant.parse("2018-01-01T00:01:40Z"))),
              new LessThan("delta_time", 200.0)
            });

    assertThat(pushed.photons().minDeltaTime()).isEqualTo(100.0);
    assertThat(pushed.photons().maxDeltaTime()).isEqualTo(200.0);
    assertThat(pushed.photons().box()).isNull();
  }

  @Test
  void beamsAndStrengthPruneBeams() {
    PushedFilters pushed =
        PushedFilters.of(
            new Filter[] {new In("beam", new Object[] {"gt1l", "gt2r", "gt3l"}), new EqualTo("beam_strength", "strong")});

    assertThat(pushed.selectsBeam("gt1l", "strong")).isTrue();
    assertThat(pushed.selectsBeam("gt2r", "weak")).isFalse();
    assertThat(pushed.selectsBeam("gt1r", "strong")).isFalse();
  }

  @Test
  void contradictionsSelectNothingAndUnknownFiltersAreLeftToSpark() {
    assertThat(PushedFilters.of(new Filter[] {new GreaterThan("lat_ph", 10), new LessThan("lat_ph", 5)})
            .photons().selectsNothing())
        .isTrue();
    assertThat(PushedFilters.of(new Filter[] {new EqualTo("beam", "gt1l"), new EqualTo("beam", "gt2l")})
            .selectsBeam("gt1l", "weak"))
        .isFalse();
    PushedFilters unknown = PushedFilters.of(new Filter[] {new GreaterThan("h_ph", 100f), new IsNotNull("lat_ph")});
    assertThat(unknown.used()).isEmpty();
    assertThat(unknown.photons().selectsEverything()).isTrue();
  }
}
