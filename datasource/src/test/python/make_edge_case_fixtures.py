#!/usr/bin/python3
"""Writes small HDF5 files, one per edge case of the chunk reader, into the directory given as argv[1].

Run by the Java tests into a temporary directory (never committed). Values follow simple formulas that the
tests recompute; every file is named after the case it covers. Needs h5py and numpy (Debian: python3-h5py).
"""
import glob
import json
import sys
import zlib

import h5py
import numpy as np

out = sys.argv[1].rstrip("/") + "/"


def ramp(n, dtype, scale=1):
    return (np.arange(n) * scale).astype(dtype)


# Chunks never written read as the fill value (jhdf reads them as 0).
with h5py.File(out + "fill_value_unwritten_chunks.h5", "w", libver=("earliest", "v110")) as f:
    d = f.create_dataset("f8_deflate", shape=(100,), chunks=(10,), dtype="<f8", fillvalue=-9999.5,
                         compression="gzip", shuffle=True)
    d[0:10] = ramp(10, "<f8", 0.5)            # chunk 0 written
    d[35:38] = ramp(3, "<f8", 0.5) + 35 * 0.5  # chunk 3 partly written: rest of it holds the fill value in the file
    d[90:100] = ramp(10, "<f8", 0.5) + 45.0    # chunk 9 written; chunks 1, 2, 4..8 never written
    d = f.create_dataset("i4_plain", shape=(95,), chunks=(10,), dtype="<i4", fillvalue=7)
    d[20:30] = np.arange(20, 30, dtype="<i4")  # only chunk 2; the dataset's last chunk is partial and unwritten
    d = f.create_dataset("i1_rows", shape=(30, 5), chunks=(10, 5), dtype="i1", fillvalue=-1,
                         compression="gzip", shuffle=True)
    d[10:20, :] = np.arange(50, dtype="i1").reshape(10, 5)  # only the middle chunk
    f.create_dataset("never_written", shape=(25,), chunks=(10,), dtype="<f4", fillvalue=3.5)

# Per-chunk filter masks: bit i set = filter i of the pipeline skipped for that chunk.
with h5py.File(out + "filter_mask_skipped_deflate.h5", "w", libver=("earliest", "v110")) as f:
    vals = ramp(30, "<i4", 3)
    d = f.create_dataset("deflate_only", shape=(30,), chunks=(10,), dtype="<i4", compression="gzip")
    d.id.write_direct_chunk((0,), zlib.compress(vals[0:10].tobytes(), 6), filter_mask=0)
    d.id.write_direct_chunk((10,), vals[10:20].tobytes(), filter_mask=1)   # stored raw
    d.id.write_direct_chunk((20,), zlib.compress(vals[20:30].tobytes(), 1), filter_mask=0)
    pipeline = [d.id.get_create_plist().get_filter(i)[0] for i in range(d.id.get_create_plist().get_nfilters())]
    assert pipeline == [h5py.h5z.FILTER_DEFLATE], pipeline

    vals8 = ramp(30, "<i8", 1000003)
    d = f.create_dataset("shuffle_deflate", shape=(30,), chunks=(10,), dtype="<i8", compression="gzip",
                         shuffle=True)
    pl = d.id.get_create_plist()
    assert [pl.get_filter(i)[0] for i in range(pl.get_nfilters())] == [h5py.h5z.FILTER_SHUFFLE,
                                                                          h5py.h5z.FILTER_DEFLATE]

    def shuffled(a):
        return np.ascontiguousarray(a.view(np.uint8).reshape(-1, a.dtype.itemsize).T).tobytes()

    d.id.write_direct_chunk((0,), zlib.compress(shuffled(vals8[0:10])), filter_mask=0)  # both filters
    d.id.write_direct_chunk((10,), shuffled(vals8[10:20]), filter_mask=0b10)            # deflate skipped
    d.id.write_direct_chunk((20,), zlib.compress(vals8[20:30].tobytes()), filter_mask=0b01)  # shuffle skipped

# Big-endian storage must come back as little-endian values.
with h5py.File(out + "big_endian.h5", "w", libver=("earliest", "v110")) as f:
    f.create_dataset("f8", data=(ramp(25, "<f8", 0.25) - 3).astype(">f8"), chunks=(10,), compression="gzip", shuffle=True)
    f.create_dataset("i4", data=ramp(25, ">i4", -7), chunks=(10,), compression="gzip", shuffle=True)
    f.create_dataset("u2", data=ramp(25, ">u2", 2000), chunks=(10,))
    f.create_dataset("i8_rows", data=ramp(30, ">i8", 1 << 33).reshape(10, 3), chunks=(4, 3), compression="gzip")
    f.create_dataset("f4_contiguous", data=ramp(25, ">f4", 1.5))
    f.create_dataset("f8_fill", shape=(20,), chunks=(10,), dtype=">f8", fillvalue=-1.25)

# Contiguous layout, including storage that was never allocated (reads as the fill value).
with h5py.File(out + "contiguous.h5", "w", libver=("earliest", "v110")) as f:
    f.create_dataset("f8", data=ramp(1000, "<f8", 0.1))
    f.create_dataset("i4_rows", data=ramp(300, "<i4", 1).reshape(100, 3))
    f.create_dataset("unallocated", shape=(50,), dtype="<i2", fillvalue=-3)

# Compact layout: data inside the object header.
with h5py.File(out + "compact.h5", "w", libver=("earliest", "v110")) as f:
    for name, data in [("i2", ramp(20, "<i2", -3)), ("f8_rows", ramp(12, "<f8", 0.5).reshape(4, 3))]:
        space = h5py.h5s.create_simple(data.shape)
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_layout(h5py.h5d.COMPACT)
        ds = h5py.h5d.create(f.id, name.encode(), h5py.h5t.py_create(data.dtype), space, dcpl=dcpl)
        ds.write(h5py.h5s.ALL, h5py.h5s.ALL, data)
        ds.close()

# HDF5 1.10+ chunk indexes (libver latest): one file per index type.
with h5py.File(out + "v4_indexes_single_chunk.h5", "w", libver="latest") as f:
    f.create_dataset("data", data=ramp(50, "<f8", 1.5), chunks=(50,), compression="gzip", shuffle=True)
with h5py.File(out + "v4_indexes_implicit.h5", "w", libver="latest") as f:
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_chunk((10,))
    dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)  # early allocation, no filters: the implicit index
    ds = h5py.h5d.create(f.id, b"data", h5py.h5t.py_create(np.dtype("<i4")), h5py.h5s.create_simple((45,)), dcpl=dcpl)
    ds.write(h5py.h5s.ALL, h5py.h5s.ALL, ramp(45, "<i4", 11))
    ds.close()
with h5py.File(out + "v4_indexes_fixed_array.h5", "w", libver="latest") as f:
    d = f.create_dataset("data", shape=(100,), chunks=(10,), dtype="<f4", fillvalue=-2.0, compression="gzip")
    d[0:40] = ramp(40, "<f4", 0.25)
    d[70:100] = ramp(30, "<f4", 0.25) + 17.5  # chunks 4..6 never written
with h5py.File(out + "v4_indexes_extensible_array.h5", "w", libver="latest") as f:
    d = f.create_dataset("data", shape=(0,), maxshape=(None,), chunks=(10,), dtype="<i8", fillvalue=-5,
                         compression="gzip", shuffle=True)
    d.resize((60,))
    d[0:20] = ramp(20, "<i8", 3)
    d[40:60] = ramp(20, "<i8", 3) + 120  # chunks 2, 3 never written
    d = f.create_dataset("dense", shape=(0,), maxshape=(None,), chunks=(10,), dtype="<f8", compression="gzip")
    d.resize((75,))
    d[...] = ramp(75, "<f8", 0.5)  # every chunk written: jhdf reads this index correctly
with h5py.File(out + "v4_indexes_btree2.h5", "w", libver="latest") as f:
    d = f.create_dataset("data", shape=(35, 5), maxshape=(None, None), chunks=(10, 5), dtype="<u2",
                         compression="gzip", shuffle=True)
    d[...] = ramp(175, "<u2", 7).reshape(35, 5)

# A version 1 chunk B-tree three levels deep (6,000 one-element chunks: about 105 leaves under 2 inner nodes):
# the index a depth-first walk reads node by node.
with h5py.File(out + "btree_v1_three_levels.h5", "w") as f:
    d = f.create_dataset("data", shape=(6000,), chunks=(1,), dtype="<i4", fillvalue=-1)
    d[...] = ramp(6000, "<i4", 3) - 7

# What the HDF5 C library reads back, as the reference: <file>.expected.json with every dataset's values.
for path in sorted(glob.glob(out + "*.h5")):
    expected = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                expected["/" + name] = {
                    "dtype": obj.dtype.str,
                    "shape": list(obj.shape),
                    "fillvalue": float(obj.fillvalue),
                    "values": [float(v) for v in obj[...].ravel()],
                }
        f.visititems(visit)
    with open(path[:-3] + ".expected.json", "w") as j:
        json.dump(expected, j, indent=1)

print("ok")
