#!/usr/bin/env python3
"""h5py baseline of the scan benchmark (`./atl03 scan-bench`): reads whole datasets of every beam.

Only the reads are timed (opening the file and summing are not). h5py reads on one thread: this is the number a
scientist's `f[path][...]` loop gets. Prints one JSON object on the last line of stdout.
"""
import argparse
import json
import sys
import time

import h5py
import numpy as np


def read_all(path, beams, datasets):
    """Reads every dataset of every beam; returns (read seconds, photons per beam, checksum)."""
    photons = {}
    checksum = 0.0
    seconds = 0.0
    with h5py.File(path, "r") as f:
        for beam in beams:
            for name in datasets:
                ds = f[beam + "/heights/" + name]
                started = time.perf_counter()
                values = ds[...]
                seconds += time.perf_counter() - started
                photons[beam] = int(values.shape[0])
                # use the values outside the timer so nothing could skip the decode
                checksum += float(np.sum(values, dtype=np.float64))
    return seconds, photons, checksum


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("granule")
    parser.add_argument("--beams", default="gt1l,gt1r,gt2l,gt2r,gt3l,gt3r")
    parser.add_argument("--datasets", default="lat_ph,lon_ph,h_ph,delta_time,signal_conf_ph")
    parser.add_argument("--warmups", type=int, default=1)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    beams = [b for b in args.beams.split(",") if b]
    datasets = [d for d in args.datasets.split(",") if d]
    for _ in range(args.warmups):
        read_all(args.granule, beams, datasets)
    runs = []
    photons = {}
    checksum = None
    for _ in range(args.repetitions):
        seconds, photons, checksum = read_all(args.granule, beams, datasets)
        runs.append(seconds)
    print(json.dumps({
        "seconds": runs,
        "photons_per_beam": photons,
        "photons": sum(photons.values()),
        "checksum": checksum,
        "h5py": h5py.version.version,
        "hdf5": h5py.version.hdf5_version,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
