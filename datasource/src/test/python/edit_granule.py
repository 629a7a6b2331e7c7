#!/usr/bin/python3
"""Makes the odd HDF5 files the atl03 source's bad-input tests read, with h5py.

  edit_granule.py empty-beam SRC DST BEAM     copy SRC with BEAM's photons removed: every heights dataset resized
                                              to 0 rows, segment_ph_cnt and ph_index_beg set to 0 (segments kept)
  edit_granule.py drop-dataset SRC DST PATH   copy SRC without the dataset PATH
  edit_granule.py not-atl03 DST               an HDF5 file with a chunked dataset but no ATL03 beam group
"""
import shutil
import sys

import h5py
import numpy as np


def empty_beam(src, dst, beam):
    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+") as f:
        heights = f[beam + "/heights"]
        for name in list(heights):
            if isinstance(heights[name], h5py.Dataset):
                heights[name].resize(0, axis=0)
        geolocation = f[beam + "/geolocation"]
        geolocation["segment_ph_cnt"][...] = 0
        geolocation["ph_index_beg"][...] = 0


def drop_dataset(src, dst, path):
    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+") as f:
        del f[path]


def not_atl03(dst):
    with h5py.File(dst, "w") as f:
        f.create_dataset("measurements/height", data=np.arange(50000, dtype=np.float32), chunks=(10000,),
                         compression="gzip")
        f.attrs["short_name"] = np.bytes_(b"ATL06")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"empty-beam": empty_beam, "drop-dataset": drop_dataset, "not-atl03": not_atl03}[command](*args)
