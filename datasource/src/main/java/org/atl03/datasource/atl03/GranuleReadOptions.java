package org.atl03.datasource.atl03;

/**
 * How granules are opened: the metadata block size, and how kerchunk references find their data file.
 *
 * @param metadataBlockSize bytes per metadata read, 512 B to {@code MetadataCachePlan.MAX_PAGE_BLOCK}; 0: by
 *                          storage ({@link Granules#LOCAL_METADATA_BLOCK} on local disk, else
 *                          {@link Granules#REMOTE_METADATA_BLOCK})
 * @param refs              where references' data files are and may be
 */
public record GranuleReadOptions(long metadataBlockSize, RefsOptions refs) {

  public static final GranuleReadOptions DEFAULT = new GranuleReadOptions(0, RefsOptions.DEFAULT);

  public GranuleReadOptions withRefs(RefsOptions refs) {
    return new GranuleReadOptions(metadataBlockSize, refs);
  }
}
