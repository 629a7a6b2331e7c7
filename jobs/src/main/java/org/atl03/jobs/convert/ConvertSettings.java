package org.atl03.jobs.convert;

import org.apache.hadoop.conf.Configuration;

/** The options of {@code convert} that targets read; each target documents which. */
public record ConvertSettings(Configuration hadoopConf, int inlineThreshold, boolean relativeUrls) {}
