#!/usr/bin/env python3
"""The Python peers of the benchmark matrix (`./atl03 bench`): one reader, one query, every repetition.

    bench_peers.py READER --query Q1..Q5 --files F1,F2,... [--bbox W,S,E,N] [--time T0,T1]
                   [--polygon "x y,x y,..."] [--repetitions N] [--drop-caches]
    bench_peers.py --serve     (the same arguments as a JSON list per stdin line, one JSON result line each)

READER: h5py | xarray-h5netcdf (HDF5 files) | xarray-zarr (kerchunk refs through fsspec + zarr) |
fiona | geopandas (FlatGeobuf). Each repetition opens the files, reads what the query needs, filters, and computes
the query's result: photon count, mean h_ph and the order-independent checksums of bench's Java side
(PhotonChecksums: per column, the sum mod 2^64 of Spark's xxhash64(granule, beam, photon_index, column, value)),
so every cell of a query can be checked against every other. Timed: open + read + filter + result; not timed:
interpreter start and imports. Reads are counted from /proc/self/io around each repetition (rchar: bytes returned
by read syscalls, page cache included; syscr: read syscalls). Prints one JSON object on the last line of stdout.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

BEAMS = ["gt1l", "gt1r", "gt2l", "gt2r", "gt3l", "gt3r"]
SCAN_COLUMNS = ["lat_ph", "lon_ph", "h_ph", "delta_time", "signal_conf_ph"]
QUERY_COLUMNS = {"Q1": ["h_ph"], "Q2": SCAN_COLUMNS, "Q3": SCAN_COLUMNS, "Q4": SCAN_COLUMNS, "Q5": SCAN_COLUMNS}
SIGNAL_CONF = ["land", "ocean", "sea_ice", "land_ice", "inland_water"]
ROWS = "(rows)"

# ---- Spark's XXH64 (org.apache.spark.sql.catalyst.expressions.XXH64), vectorised over the seed and the value ----

U64 = np.uint64
P1, P2, P3, P4, P5 = (U64(0x9E3779B185EBCA87), U64(0xC2B2AE3D27D4EB4F), U64(0x165667B19E3779F9),
                      U64(0x85EBCA77C2B2AE63), U64(0x27D4EB2F165667C5))
SPARK_SEED = 42  # xxhash64()'s seed
NAN_BITS = U64(0x7FF8000000000000)  # Double.doubleToLongBits(NaN)


def _rotl(x, r):
    return (x << U64(r)) | (x >> U64(64 - r))


def _fmix(h):
    h = h ^ (h >> U64(33))
    h = h * P2
    h = h ^ (h >> U64(29))
    h = h * P3
    return h ^ (h >> U64(32))


def hash_long(values, seed):
    """XXH64.hashLong(value, seed) for uint64 arrays (or scalars) of values and seeds."""
    h = seed + P5 + U64(8)
    h = h ^ (_rotl(values * P2, 31) * P1)
    h = _rotl(h, 27) * P1 + P4
    return _fmix(h)


def hash_bytes(data, seed):
    """XXH64.hashUnsafeBytes of a constant byte string with uint64 seeds (an array: one per row)."""
    n = len(data)
    words = lambda at: U64(int.from_bytes(data[at:at + 8], "little"))
    offset = 0
    if n >= 32:
        v1, v2, v3, v4 = seed + P1 + P2, seed + P2, seed + U64(0), seed - P1
        while offset <= n - 32:
            v1 = _rotl(v1 + words(offset) * P2, 31) * P1
            v2 = _rotl(v2 + words(offset + 8) * P2, 31) * P1
            v3 = _rotl(v3 + words(offset + 16) * P2, 31) * P1
            v4 = _rotl(v4 + words(offset + 24) * P2, 31) * P1
            offset += 32
        h = _rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)
        for v in (v1, v2, v3, v4):
            h = (h ^ (_rotl(v * P2, 31) * P1)) * P1 + P4
    else:
        h = seed + P5
    h = h + U64(n)
    while offset <= n - 8:
        h = h ^ (_rotl(words(offset) * P2, 31) * P1)
        h = _rotl(h, 27) * P1 + P4
        offset += 8
    if offset + 4 <= n:
        h = h ^ (U64(int.from_bytes(data[offset:offset + 4], "little")) * P1)
        h = _rotl(h, 23) * P2 + P3
        offset += 4
    while offset < n:
        h = h ^ (U64(data[offset]) * P5)
        h = _rotl(h, 11) * P1
        offset += 1
    return _fmix(h)


def double_bits(values):
    """What Spark's xxhash64 hashes for a double: doubleToLongBits, -0.0 as 0.0, NaN canonical."""
    v = np.asarray(values, dtype=np.float64)
    bits = np.where(v == 0.0, 0.0, v).view(np.uint64)
    return np.where(np.isnan(v), NAN_BITS, bits)


class Checksums:
    """Accumulates count, sum of h_ph and per-column checksums of photons, beam by beam."""

    def __init__(self, columns):
        self.columns = columns
        self.photons = 0
        self.h_sum = 0.0
        self.sums = {c: 0 for c in [ROWS] + columns}

    def add(self, granule, beam, photon_index, values):
        """photon_index: int64 array; values: column -> array (signal_conf_ph: N x 5), all already filtered."""
        n = len(photon_index)
        if n == 0:
            return
        with np.errstate(over="ignore"):
            key = hash_bytes(beam.encode(), hash_bytes(granule.encode(), U64(SPARK_SEED)))
            row = hash_long(np.asarray(photon_index, dtype=np.int64).view(np.uint64), key)
            self._sum(ROWS, row)
            for column in self.columns:
                h = hash_bytes(column.encode(), row)
                v = values[column]
                if column == "signal_conf_ph":
                    ints = np.asarray(v, dtype=np.int64).view(np.uint64)
                    for j in range(ints.shape[1]):
                        h = hash_long(np.ascontiguousarray(ints[:, j]), h)
                elif v.dtype.kind == "f":
                    h = hash_long(double_bits(v), h)
                else:
                    h = hash_long(np.asarray(v, dtype=np.int64).view(np.uint64), h)
                self._sum(column, h)
        self.photons += n
        if "h_ph" in values:
            self.h_sum += float(np.sum(values["h_ph"], dtype=np.float64))

    def _sum(self, column, hashes):
        self.sums[column] = (self.sums[column] + int(np.sum(hashes, dtype=np.uint64))) % (1 << 64)

    def result(self):
        return {"photons": self.photons,
                "mean_h_ph": self.h_sum / self.photons if self.photons and "h_ph" in self.columns else None,
                "checksums": {c: "%016x" % s for c, s in self.sums.items()}}


# ---- the query's selection, the same predicates as the Spark side (between is inclusive) ----

class Selection:
    def __init__(self, args):
        self.query = args.query
        self.bbox = [float(v) for v in args.bbox.split(",")] if args.bbox else None
        self.time = [float(v) for v in args.time.split(",")] if args.time else None
        self.polygon = ([[float(c) for c in p.split()] for p in args.polygon.split(",")] if args.polygon else None)

    def beams(self, present):
        return [b for b in present if b == "gt1l"] if self.query == "Q1" else present

    def filter_columns(self):
        """The columns read whole to decide which photons the query keeps."""
        if self.query in ("Q3", "Q5"):
            return ["lat_ph", "lon_ph"]
        if self.query == "Q4":
            return ["delta_time"]
        return []

    def envelope(self):
        if self.query == "Q3":
            return self.bbox
        if self.query == "Q5":
            xs = [p[0] for p in self.polygon]
            ys = [p[1] for p in self.polygon]
            return [min(xs), min(ys), max(xs), max(ys)]
        return None

    def mask(self, v):
        """Boolean mask over the photons of a beam from its filter columns (None: every photon)."""
        if self.query == "Q3":
            w, s, e, n = self.bbox
            return (v["lat_ph"] >= s) & (v["lat_ph"] <= n) & (v["lon_ph"] >= w) & (v["lon_ph"] <= e)
        if self.query == "Q4":
            return (v["delta_time"] >= self.time[0]) & (v["delta_time"] <= self.time[1])
        if self.query == "Q5":
            return inside_polygon(v["lon_ph"], v["lat_ph"], self.polygon)
        return None


def inside_polygon(x, y, ring):
    """Even-odd ray casting of points against a simple polygon (ST_Contains for points off the boundary)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    inside = np.zeros(x.shape, dtype=bool)
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if y1 == y2:
            continue
        crosses = (y1 > y) != (y2 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            xc = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        inside ^= crosses & (x < xc)
    return inside


# ---- readers ----

class CannotRead(Exception):
    """The library cannot read this input at all (a limitation of the library, reported as such, not a crash)."""


CANNOT_READ_EXIT = 3

def granule_name(path):
    return os.path.basename(path)


def read_arrays(sel, columns, read_whole, read_range):
    """Reads the filter columns whole, then the other columns only over the index range holding the matches."""
    whole = {c: read_whole(c) for c in sel.filter_columns()}
    mask = sel.mask(whole)
    if mask is None:
        values = {c: read_whole(c) for c in columns}
        count = len(values[columns[0]])
        return np.arange(count, dtype=np.int64), values
    hits = np.flatnonzero(mask)
    if len(hits) == 0:
        return hits.astype(np.int64), {c: np.empty((0, 5) if c == "signal_conf_ph" else 0) for c in columns}
    lo, hi = int(hits[0]), int(hits[-1]) + 1
    values = {}
    for c in columns:
        part = whole[c][lo:hi] if c in whole else read_range(c, lo, hi)
        values[c] = part[mask[lo:hi]]
    return hits.astype(np.int64), values


def run_h5py(files, sel, columns, acc):
    import h5py
    for path in files:
        with h5py.File(path, "r") as f:
            present = [b for b in BEAMS if b + "/heights/delta_time" in f]
            for beam in sel.beams(present):
                heights = f[beam + "/heights"]
                index, values = read_arrays(sel, columns, lambda c: heights[c][...], lambda c, lo, hi: heights[c][lo:hi])
                acc.add(granule_name(path), beam, index, values)


def run_xarray_h5netcdf(files, sel, columns, acc):
    import h5netcdf  # noqa: F401  (the engine)
    import xarray as xr
    import h5py
    for path in files:
        with h5py.File(path, "r") as f:
            present = [b for b in BEAMS if b + "/heights/delta_time" in f]
        for beam in sel.beams(present):
            # decode_cf=False: the raw stored values, as every other reader returns them (no fill → NaN)
            try:
                ds = xr.open_dataset(path, group=beam + "/heights", engine="h5netcdf", decode_cf=False)
            except ValueError as e:
                # h5netcdf 1.1 refuses NASA's signal_conf_ph (first dimension a scale, second none) at open
                if "mixing of labeled and unlabeled dimensions" in str(e):
                    raise CannotRead("xarray + h5netcdf %s cannot open %s group %s/heights: %s"
                                     % (h5netcdf.__version__, path, beam, e))
                raise
            with ds:
                index, values = read_arrays(sel, columns, lambda c: ds[c].values,
                                            lambda c, lo, hi: ds[c][lo:hi].values)
                acc.add(granule_name(path), beam, index, values)


class OneKeyAtATime:
    """fsspec's reference file system as a mapping without getitems, so zarr fetches chunks one key at a time:
    Debian 12's fsspec 2022.11 pairs a multi-key cat's byte ranges with the wrong keys when they are not in file
    order (see jobs/src/test/python/zarr_reads_refs.py)."""

    def __init__(self, fs):
        self._fs = fs

    def __getitem__(self, key):
        if key not in self._fs.references:
            raise KeyError(key)
        return self._fs.cat(key)

    def __iter__(self):
        return iter(self._fs.references)

    def __len__(self):
        return len(self._fs.references)

    def __contains__(self, key):
        return key in self._fs.references

    def keys(self):
        return self._fs.references.keys()


def run_xarray_zarr(files, sel, columns, acc):
    import fsspec
    import xarray as xr
    import zarr
    from collections.abc import Mapping
    Mapping.register(OneKeyAtATime)
    for refs in files:
        with open(refs) as f:
            spec = json.load(f)
        url = spec.get("templates", {}).get("u")
        if url is None:
            raise SystemExit(refs + ": no data URL template 'u' in the references")
        if "://" not in url and not url.startswith("/"):
            # a data URL relative to the refs file (convert --relative-urls): fsspec would resolve it against the cwd
            url = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(refs)), url))
            spec["templates"]["u"] = url
        fs = fsspec.filesystem("reference", fo=spec)
        store = zarr.storage.KVStore(OneKeyAtATime(fs))
        present = [b for b in BEAMS if b + "/heights/delta_time/.zarray" in fs.references]
        for beam in sel.beams(present):
            ds = xr.open_dataset(store, group=beam + "/heights", engine="zarr", consolidated=False,
                                 decode_cf=False, chunks=None)
            index, values = read_arrays(sel, columns, lambda c: ds[c].values, lambda c, lo, hi: ds[c][lo:hi].values)
            acc.add(granule_name(url), beam, index, values)


def fgb_where(sel):
    if sel.query == "Q1":
        return "beam = 'gt1l'"
    if sel.query == "Q4":
        return "delta_time >= %r AND delta_time <= %r" % (sel.time[0], sel.time[1])
    return None


def add_rows(acc, sel, columns, granule, beam, index, lon, lat, props):
    """Adds the photons of one (granule, beam) of a FlatGeobuf read, after the query's exact filter (lon/lat: None
    when the read skipped the geometry)."""
    v = {}
    if lon is not None:
        v["lon_ph"] = np.asarray(lon, dtype=np.float64)
        v["lat_ph"] = np.asarray(lat, dtype=np.float64)
    if "delta_time" in props:
        v["delta_time"] = np.asarray(props["delta_time"], dtype=np.float64)
    mask = sel.mask(v)
    if mask is None:
        mask = np.ones(len(index), dtype=bool)
    values = {}
    for c in columns:
        if c == "signal_conf_ph":
            values[c] = np.stack([np.asarray(props["signal_conf_ph_" + s], dtype=np.int64) for s in SIGNAL_CONF],
                                 axis=1)[mask]
        elif c in v:
            values[c] = v[c][mask]
        else:
            values[c] = np.asarray(props[c], dtype=np.float32 if c == "h_ph" else np.float64)[mask]
    acc.add(granule, beam, np.asarray(index, dtype=np.int64)[mask], values)


def grouped(keys):
    """Row positions per (granule, beam) key, in first-seen order."""
    groups = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)
    return groups


def fgb_props(sel, columns):
    """The properties a query needs: the key, its columns and its filter's (the geometry holds lon/lat). OGR reads
    only these (fiona's include_fields): a feature's other properties are never decoded into Python objects."""
    names = ["granule", "beam", "photon_index"]
    wanted = columns + [c for c in sel.filter_columns() if c not in columns]
    names += [c for c in wanted if c not in ("lat_ph", "lon_ph", "signal_conf_ph")]
    if "signal_conf_ph" in columns:
        names += ["signal_conf_ph_" + s for s in SIGNAL_CONF]
    return names


def fgb_needs_geometry(sel, columns):
    return any(c in ("lat_ph", "lon_ph") for c in columns + sel.filter_columns())


def fgb_open_options(sel, columns):
    """fiona.open's keywords (geopandas.read_file passes them on): only the needed fields, no geometry unless used."""
    return {"include_fields": fgb_props(sel, columns), "ignore_geometry": not fgb_needs_geometry(sel, columns)}


def fgb_filters(sel):
    """The filters pushed to OGR: the query's envelope (bbox) and attribute predicate (where)."""
    kwargs = {}
    if sel.envelope():
        kwargs["bbox"] = tuple(sel.envelope())
    if fgb_where(sel):
        kwargs["where"] = fgb_where(sel)
    return kwargs


def run_fiona(files, sel, columns, acc):
    import fiona
    names = fgb_props(sel, columns)
    geometry = fgb_needs_geometry(sel, columns)
    for path in files:
        with fiona.open(path, **fgb_open_options(sel, columns)) as src:
            cols = {n: [] for n in names}
            lon, lat = [], []
            for feature in src.filter(**fgb_filters(sel)):
                p = feature["properties"]
                for n in names:
                    cols[n].append(p[n])
                if geometry:
                    x, y = feature["geometry"]["coordinates"][:2]
                    lon.append(x)
                    lat.append(y)
        for (granule, beam), rows in grouped(zip(cols["granule"], cols["beam"])).items():
            take = lambda values: [values[i] for i in rows]
            add_rows(acc, sel, columns, granule, beam, take(cols["photon_index"]), take(lon) if geometry else None,
                     take(lat) if geometry else None, {n: take(cols[n]) for n in names})


def run_geopandas(files, sel, columns, acc):
    import geopandas
    geometry = fgb_needs_geometry(sel, columns)
    for path in files:
        # geopandas 0.12 hands bbox/where to fiona's filter and the rest to fiona.open
        frame = geopandas.read_file(path, **fgb_filters(sel), **fgb_open_options(sel, columns))
        lon = frame.geometry.x.to_numpy() if geometry else None
        lat = frame.geometry.y.to_numpy() if geometry else None
        for (granule, beam), rows in frame.groupby(["granule", "beam"], sort=False).indices.items():
            props = {c: frame[c].to_numpy()[rows] for c in frame.columns if c != "geometry"}
            add_rows(acc, sel, columns, granule, beam, props["photon_index"], None if lon is None else lon[rows],
                     None if lat is None else lat[rows], props)


READERS = {"h5py": run_h5py, "xarray-h5netcdf": run_xarray_h5netcdf, "xarray-zarr": run_xarray_zarr,
           "fiona": run_fiona, "geopandas": run_geopandas}
MODULES = {"h5py": ["h5py"], "xarray-h5netcdf": ["xarray", "h5netcdf", "h5py"],
           "xarray-zarr": ["xarray", "zarr", "fsspec"], "fiona": ["fiona"], "geopandas": ["geopandas", "fiona"]}


def proc_io():
    try:
        with open("/proc/self/io") as f:
            fields = dict(line.split(": ") for line in f.read().splitlines())
        return int(fields["rchar"]), int(fields["syscr"])
    except OSError:
        return None, None


def drop_caches():
    """Empties the OS page cache (root only); True when it did."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def versions(reader):
    out = {"python": sys.version.split()[0], "numpy": np.__version__}
    for m in MODULES[reader]:
        module = __import__(m)
        out[m] = getattr(module, "__version__", None)
    if reader in ("h5py", "xarray-h5netcdf"):
        import h5py
        out["hdf5"] = h5py.version.hdf5_version
    if reader in ("fiona", "geopandas"):
        import fiona
        out["gdal"] = fiona.__gdal_version__
    return out


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reader", choices=sorted(READERS))
    parser.add_argument("--query", choices=sorted(QUERY_COLUMNS), default="Q2")
    parser.add_argument("--files", default="")
    parser.add_argument("--bbox")
    parser.add_argument("--time")
    parser.add_argument("--polygon")
    parser.add_argument("--repetitions", type=int, default=1)
    parser.add_argument("--drop-caches", action="store_true")
    return parser.parse_args(argv)


def measure(args):
    """One cell, every repetition: the JSON object of its timings, reads and result (or what it cannot read)."""
    files = [f for f in args.files.split(",") if f]
    sel = Selection(args)
    columns = QUERY_COLUMNS[args.query]
    run = READERS[args.reader]
    info = versions(args.reader)
    repetitions = []
    result = None
    for i in range(args.repetitions):
        dropped = drop_caches() if args.drop_caches and i == 0 else False
        acc = Checksums(columns)
        rchar, syscr = proc_io()
        started = time.perf_counter()
        try:
            run(files, sel, columns, acc)
        except CannotRead as e:
            return {"reader": args.reader, "versions": info, "cannot_read": str(e)}
        seconds = time.perf_counter() - started
        rchar2, syscr2 = proc_io()
        repetitions.append({"seconds": seconds, "cold": i == 0, "page_cache_dropped": dropped,
                            "bytes_read": None if rchar is None else rchar2 - rchar,
                            "requests": None if syscr is None else syscr2 - syscr})
        result = acc.result()
    return {"reader": args.reader, "versions": info, "repetitions": repetitions, "result": result}


def serve():
    """--serve: one cell per stdin line (a JSON list of the arguments), its JSON object on one stdout line. The
    bench keeps one such process per reader, so the interpreter starts and imports once, not once per cell."""
    for line in sys.stdin:
        try:
            out = measure(parse(json.loads(line)))
        except (Exception, SystemExit) as e:  # argparse and the readers exit on bad input: report, keep serving
            out = {"error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(out), flush=True)


def main():
    if sys.argv[1:] == ["--serve"]:
        serve()
        return
    out = measure(parse(sys.argv[1:]))
    print(json.dumps(out))
    if "cannot_read" in out:
        sys.exit(CANNOT_READ_EXIT)


if __name__ == "__main__":
    main()
