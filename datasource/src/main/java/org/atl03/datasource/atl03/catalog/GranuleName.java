package org.atl03.datasource.atl03.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What NASA's file name tells of a granule, {@code ATL03_20181014002445_02350104_006_02.h5}: product, acquisition
 * start (yyyymmddhhmmss), reference ground track, cycle, region, release and revision. A renamed or clipped file
 * gives only the product when its name starts with one, else nothing (every field null).
 */
public record GranuleName(String product, String start, Integer rgt, Integer cycle, Integer region, String release,
    String revision) {

  private static final Pattern NASA = Pattern.compile(
      "(ATL\\d\\d)_(\\d{14})_(\\d{4})(\\d{2})(\\d{2})_(\\d{3})_(\\d{2})(?:\\.[A-Za-z0-9]+)*");
  private static final Pattern PRODUCT = Pattern.compile("(ATL\\d\\d)[_.-].*");

  public static GranuleName parse(String fileName) {
    Matcher m = NASA.matcher(fileName);
    if (m.matches()) {
      return new GranuleName(m.group(1), m.group(2), Integer.valueOf(m.group(3)), Integer.valueOf(m.group(4)),
          Integer.valueOf(m.group(5)), m.group(6), m.group(7));
    }
    Matcher p = PRODUCT.matcher(fileName);
    return new GranuleName(p.matches() ? p.group(1) : null, null, null, null, null, null, null);
  }
}
