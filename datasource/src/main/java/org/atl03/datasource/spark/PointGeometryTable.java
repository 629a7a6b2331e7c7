package org.atl03.datasource.spark;

/**
 * A table whose point geometry columns are exactly the points of two of its own columns, as their
 * {@link SedonaGeometry#POINT_OF} metadata names them: a geometry predicate on one may be turned into ranges on
 * those columns. Only a scan can vouch for it; a file written from the scan keeps the metadata, not the guarantee.
 */
public interface PointGeometryTable {}
