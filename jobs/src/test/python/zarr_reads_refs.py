#!/usr/bin/python3
"""Reads kerchunk references with fsspec's reference:// file system and zarr, and compares every numeric array with
h5py's read of the same dataset in the HDF5 file they point to (JSON summary on stdout).

Usage:
  /usr/bin/python3 zarr_reads_refs.py compare REFS.json GRANULE.h5
      every array of the refs through a one-key-at-a-time store (below), against h5py: exact, NaN-aware
  /usr/bin/python3 zarr_reads_refs.py plain-fsmap REFS.json GRANULE.h5 ARRAY
      one array through zarr on the plain FSMap (multi-key reads), against h5py; reports whether the difference is
      exactly fsspec's out-of-order chunk swap (see OneKeyAtATime)
  /usr/bin/python3 zarr_reads_refs.py reverse-chunks SRC.h5 DST.h5 DATASET
      copy SRC with DATASET rewritten last chunk first, so its chunks lie in the file in reverse key order, each on
      its own 128 KiB boundary (gaps larger than fsspec's 64 KB merge gap, so no range is merged)

Versions are those of Debian 12: python3-zarr 2.13, python3-fsspec 2022.11, python3-h5py 3.7.
"""
import json
import shutil
import sys
from collections.abc import Mapping

import fsspec
import h5py
import numpy as np
import zarr


class OneKeyAtATime(Mapping):
    """The reference file system as a read-only mapping without `getitems`, so zarr fetches chunks one key at a time.

    Why: fsspec 2022.11's ReferenceFileSystem.cat of several keys sorts their byte ranges by offset, and when no
    range merges with its neighbour it pairs the sorted ranges' bytes with the keys in request order: a chunk stored
    before a lower-numbered chunk of the same array gets that chunk's bytes (fixed in later fsspec). zarr 2.13 calls
    getitems (one multi-key cat) on any store that has it; a Mapping with only __getitem__, __iter__ and __len__
    has none. Unlike FSMap, a referenced chunk that cannot be read raises instead of reading as the fill value.
    """

    def __init__(self, fs):
        self._fs = fs

    def __getitem__(self, key):
        if key not in self._fs.references:
            raise KeyError(key)  # an unwritten chunk: zarr fills it
        return self._fs.cat(key)

    def __iter__(self):
        return iter(self._fs.references)

    def __len__(self):
        return len(self._fs.references)


def reference_fs(refs_path):
    return fsspec.filesystem("reference", fo=refs_path)


def one_key_store(refs_path):
    # zarr 2.13 accepts only BaseStore or MutableMapping-like stores; KVStore adds no getitems of its own
    return zarr.storage.KVStore(OneKeyAtATime(reference_fs(refs_path)))


def numeric_datasets(h5):
    """Paths of the datasets zarr can hold: numbers and booleans (strings and compounds are left out of refs)."""
    paths = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and obj.dtype.kind in "biuf":
            paths.append(name)

    h5.visititems(visit)
    return sorted(paths)


def zarr_arrays(group):
    paths = []

    def visit(name, obj):
        if isinstance(obj, zarr.Array):
            paths.append(name)

    group.visititems(visit)
    return sorted(paths)


def mismatches(expected, actual):
    """Elements that differ; NaN equals NaN. Shapes or dtypes that differ count every element."""
    if expected.shape != actual.shape or expected.dtype.newbyteorder("=") != actual.dtype.newbyteorder("="):
        return int(max(expected.size, actual.size, 1))
    if expected.dtype.kind == "f":
        same = (expected == actual) | (np.isnan(expected) & np.isnan(actual))
    else:
        same = expected == actual
    return int(np.size(same) - np.count_nonzero(same))


def compare(refs_path, granule):
    group = zarr.open_group(one_key_store(refs_path), mode="r")
    arrays = zarr_arrays(group)
    compared, differing, elements, missing_in_refs = 0, {}, 0, []
    with h5py.File(granule, "r") as h5:
        expected_paths = numeric_datasets(h5)
        for path in expected_paths:
            if path not in arrays:
                missing_in_refs.append(path)
                continue
            expected = h5[path][()]
            actual = group[path][()]
            bad = mismatches(np.asarray(expected), np.asarray(actual))
            compared += 1
            elements += int(np.size(expected))
            if bad:
                differing[path] = bad
    return {
        "versions": versions(),
        "h5_numeric_datasets": len(expected_paths),
        "zarr_arrays": len(arrays),
        "arrays_compared": compared,
        "elements_compared": elements,
        "arrays_differing": len(differing),
        "mismatched_elements": sum(differing.values()),
        "differing": differing,
        "missing_in_refs": missing_in_refs,
        "extra_in_refs": sorted(set(arrays) - set(expected_paths)),
    }


def plain_fsmap(refs_path, granule, array):
    fs = reference_fs(refs_path)
    plain = zarr.open_group(fs.get_mapper(""), mode="r")[array]
    actual = plain[()]
    with h5py.File(granule, "r") as h5:
        expected = h5[array][()]
    # which chunk's bytes each key gets if fsspec pairs offset-sorted ranges with keys in request order
    keys = [plain._chunk_key(c) for c in np.ndindex(*plain.cdata_shape)]
    offsets = [fs.references[k][1] for k in keys]
    by_offset = [keys[i] for i in sorted(range(len(keys)), key=lambda i: offsets[i])]
    swapped = np.empty_like(expected)
    rows = plain.chunks[0]
    for key, source in zip(keys, by_offset):
        i, j = int(key.rsplit("/", 1)[1].split(".")[0]), int(source.rsplit("/", 1)[1].split(".")[0])
        swapped[i * rows:(i + 1) * rows] = expected[j * rows:(j + 1) * rows]
    return {
        "versions": versions(),
        "array": array,
        "chunk_keys": keys,
        "chunk_offsets": offsets,
        "offsets_in_key_order": offsets == sorted(offsets),
        "mismatched_elements": mismatches(expected, actual),
        "equals_offset_order_swap": mismatches(swapped, actual) == 0,
    }


def reverse_chunks(src, dst, path):
    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+", alignment_threshold=1, alignment_interval=128 * 1024) as f:
        old = f[path]
        data, attrs = old[()], {k: v for k, v in old.attrs.items() if k not in ("DIMENSION_LIST", "REFERENCE_LIST")}
        scales = [list(dim.values()) for dim in old.dims]
        for axis, dim_scales in enumerate(scales):
            for scale in dim_scales:
                old.dims[axis].detach_scale(scale)
        options = dict(shape=old.shape, dtype=old.dtype, chunks=old.chunks, maxshape=old.maxshape,
                       compression=old.compression, compression_opts=old.compression_opts, shuffle=old.shuffle,
                       fillvalue=old.fillvalue)
        del f[path]
        new = f.create_dataset(path, **options)
        rows = new.chunks[0]
        for start in reversed(range(0, new.shape[0], rows)):
            new[start:start + rows] = data[start:start + rows]
            f.flush()  # allocate this chunk now, before the next (lower) one
        for k, v in attrs.items():
            new.attrs[k] = v
        for axis, dim_scales in enumerate(scales):
            for scale in dim_scales:
                new.dims[axis].attach_scale(scale)
    return {"dataset": path, "chunks": -(-len(data) // rows)}


def versions():
    return {"zarr": zarr.__version__, "fsspec": fsspec.__version__, "h5py": h5py.__version__,
            "numpy": np.__version__}


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    result = {"compare": compare, "plain-fsmap": plain_fsmap, "reverse-chunks": reverse_chunks}[command](*args)
    json.dump(result, sys.stdout)
