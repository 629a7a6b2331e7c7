#!/usr/bin/python3
"""Copies an ATL03 granule with another ATLAS SDP epoch, for the pushdown's differential test.

  shift_sdp_epoch.py SRC DST SECONDS

DST is SRC with ancillary_data/atlas_sdp_gps_epoch moved by SECONDS (GPS seconds) and nothing else changed: every
delta_time now stands for another UTC time, so a reader's `time` column and its filters on `time` must both use
the granule's own epoch, not the mission's.
"""
import shutil
import sys

import h5py


def main(src, dst, seconds):
    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+") as f:
        epoch = f["ancillary_data/atlas_sdp_gps_epoch"]
        epoch[...] = epoch[...] + float(seconds)
        print(dst, "atlas_sdp_gps_epoch", float(epoch[...].ravel()[0]))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3])
