#!/usr/bin/python3
"""Compares every dataset of two HDF5 files as h5py (the HDF5 C library) reads them (JSON on stdout).

Usage: /usr/bin/python3 compare_datasets.py ORIGINAL.h5 COPY.h5

For each dataset of ORIGINAL: dtype, shape, chunks and filters in both files, and the crc32 of its values (numeric:
little-endian bytes in C order; strings and other types: their repr) in both. "differences" lists every dataset
missing from COPY or whose dtype, shape or values differ; "numeric" counts the numeric datasets compared.
"""
import json
import sys
import zlib

import h5py
import numpy as np


def datasets(f):
    found = {}
    f.visititems(lambda name, obj: found.__setitem__(name, obj) if isinstance(obj, h5py.Dataset) else None)
    return found


def crc(ds):
    values = ds[()]
    if isinstance(values, np.ndarray) and values.dtype.kind in "biuf":
        values = np.ascontiguousarray(values)
        return zlib.crc32(values.astype(values.dtype.newbyteorder("<"), copy=False).tobytes()) & 0xFFFFFFFF, True
    return zlib.crc32(repr(values).encode()) & 0xFFFFFFFF, False


def describe(ds):
    filters = sorted(k for k in ("compression", "shuffle", "fletcher32", "scaleoffset") if getattr(ds, k))
    return {"dtype": ds.dtype.str, "shape": list(ds.shape), "chunks": list(ds.chunks) if ds.chunks else None,
            "compression": ds.compression, "compression_opts": ds.compression_opts, "filters": filters}


def main(original, copy):
    result = {"datasets": {}, "differences": [], "numeric": 0}
    with h5py.File(original, "r") as a, h5py.File(copy, "r") as b:
        left, right = datasets(a), datasets(b)
        for name in sorted(left):
            if name not in right:
                result["differences"].append({"dataset": name, "why": "missing from copy"})
                continue
            ca, numeric = crc(left[name])
            cb, _ = crc(right[name])
            da, db = describe(left[name]), describe(right[name])
            result["numeric"] += 1 if numeric else 0
            result["datasets"][name] = {"original": da, "copy": db, "crc32": ca, "copy_crc32": cb, "numeric": numeric}
            if ca != cb or da["dtype"] != db["dtype"] or da["shape"] != db["shape"]:
                result["differences"].append({"dataset": name, "why": "values, dtype or shape differ"})
        for name in sorted(set(right) - set(left)):
            result["differences"].append({"dataset": name, "why": "only in copy"})
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
