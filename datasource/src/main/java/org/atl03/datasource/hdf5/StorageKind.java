package org.atl03.datasource.hdf5;

/** HDF5 data layout classes. */
public enum StorageKind { COMPACT, CONTIGUOUS, CHUNKED, VIRTUAL }
