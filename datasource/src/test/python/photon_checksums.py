#!/usr/bin/python3
"""Per beam, what h5py reads for the columns the atl03 source returns, as checksums in photon order (JSON).

Usage: /usr/bin/python3 photon_checksums.py GRANULE.h5

For every beam with photons: the photon count, and per column the crc32 of its little-endian bytes in photon order
and its float64 sum. Columns: the heights datasets the source reads by default, weight_ph and pce_mframe_cnt (the
`datasets` option), segment_id per photon (the segment's id repeated segment_ph_cnt times: photons are stored
segment after segment) and geolocation/segment_dist_x broadcast to photons the same way.
"""
import json
import sys
import zlib

import h5py
import numpy as np

BEAMS = ["gt1l", "gt1r", "gt2l", "gt2r", "gt3l", "gt3r"]
HEIGHTS = ["delta_time", "lat_ph", "lon_ph", "h_ph", "signal_conf_ph", "quality_ph", "weight_ph", "pce_mframe_cnt"]


def checksum(values):
    values = np.ascontiguousarray(values)
    little = values.astype(values.dtype.newbyteorder("<"), copy=False)
    return {"crc32": zlib.crc32(little.tobytes()) & 0xFFFFFFFF, "sum": float(np.sum(values, dtype=np.float64)),
            "dtype": values.dtype.str}


def main(path):
    result = {}
    with h5py.File(path, "r") as f:
        for beam in BEAMS:
            if beam + "/heights/delta_time" not in f:
                continue
            heights, geolocation = f[beam + "/heights"], f[beam + "/geolocation"]
            counts = geolocation["segment_ph_cnt"][()].astype(np.int64)
            columns = {name: checksum(heights[name][()]) for name in HEIGHTS}
            columns["segment_id"] = checksum(np.repeat(geolocation["segment_id"][()].astype(np.int32), counts))
            columns["segment_dist_x"] = checksum(np.repeat(geolocation["segment_dist_x"][()], counts))
            result[beam] = {"photons": int(heights["delta_time"].shape[0]), "columns": columns}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
