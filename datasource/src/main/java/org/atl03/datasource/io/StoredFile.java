package org.atl03.datasource.io;

import java.io.Serializable;

/**
 * A file as its store described it when it was listed or opened, handed from the driver to tasks so that opening it
 * again asks the store nothing (a HEAD per task on S3 and HTTP).
 *
 * @param location    the file's qualified location
 * @param length      its size in bytes
 * @param description what the store's client needs to open it without asking (for Hadoop, its {@code FileStatus});
 *                    opaque above the byte seam
 */
public record StoredFile(String location, long length, Serializable description) implements Serializable {}
