package org.atl03.jobs.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Report numbers read the same on every machine, whatever its locale. */
class NumbersTest {

  @Test
  void numbersIgnoreTheDefaultLocale() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY); // a decimal comma and dots for thousands
    try {
      assertThat(Numbers.mb(488_190_000L)).isEqualTo("488.19 MB");
      assertThat(Numbers.gb(8_300_000_000L)).isEqualTo("8.3 GB");
      assertThat(Numbers.pct(0.0141)).isEqualTo("1.41 %");
      assertThat(Numbers.grouped(18_750_000L)).isEqualTo("18,750,000");
      assertThat(Numbers.csvNumber(1.0 / 3)).isEqualTo("0.333333");
      assertThat(Numbers.csvOrEmpty(42L)).isEqualTo("42");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void nothingMeasuredReadsAsADash() {
    assertThat(Numbers.mb(null)).isEqualTo("–");
    assertThat(Numbers.pct(null)).isEqualTo("–");
    assertThat(Numbers.grouped(null)).isEqualTo("–");
    assertThat(Numbers.gb(null)).isEqualTo("?");
    assertThat(Numbers.csvOrEmpty(null)).isEmpty();
  }
}
