"""h5py reading one dataset of a granule whole, one measured run per process: at a URL through fsspec's HTTP file
system with a block cache (NSIDC's tuning for ATL03 on S3 over HTTPS; cloud-bench's peer), or from a local path
by h5py itself (the pipeline's crossover).

Prints one JSON line: {"seconds", "photons", "sum", "versions"}; seconds covers opening the URL, the HDF5 file and
reading the dataset whole.
"""
import argparse
import json
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url", help="an http(s) URL, or a local path")
    p.add_argument("--dataset", required=True)
    p.add_argument("--block-size", type=int, default=8 * 1024 * 1024)
    # Debian's fsspec 2022.11 names the block cache 'block' ('blockcache' raises KeyError there)
    p.add_argument("--cache-type", default="block")
    args = p.parse_args()

    import aiohttp
    import fsspec
    import h5py
    import numpy

    started = time.perf_counter()
    if "://" in args.url:
        fs = fsspec.filesystem("http")
        with fs.open(args.url, mode="rb", block_size=args.block_size, cache_type=args.cache_type) as f:
            with h5py.File(f, "r") as h5:
                values = h5[args.dataset][...]
    else:
        with h5py.File(args.url, "r") as h5:
            values = h5[args.dataset][...]
    seconds = time.perf_counter() - started

    print(json.dumps({
        "seconds": seconds,
        "photons": int(values.shape[0]),
        "sum": float(numpy.sum(values, dtype=numpy.float64)),
        "versions": {"python": sys.version.split()[0], "h5py": h5py.__version__, "hdf5": h5py.version.hdf5_version,
                     "fsspec": fsspec.__version__, "aiohttp": aiohttp.__version__, "numpy": numpy.__version__},
        "block_size": args.block_size,
        "cache_type": args.cache_type,
    }))


if __name__ == "__main__":
    main()
