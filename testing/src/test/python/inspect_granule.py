#!/usr/bin/python3
"""Dump what GeneratorTest checks about one generated ATL03 granule as JSON (raw values; the checks are in Java).

Usage: /usr/bin/python3 inspect_granule.py GRANULE.h5
"""
import hashlib
import json
import sys

import h5py
import numpy as np

BEAMS = ["gt1l", "gt1r", "gt2l", "gt2r", "gt3l", "gt3r"]
INTERLEAVE_PROBES = ["%s/heights/%s" % (beam, name) for beam in BEAMS for name in ("h_ph", "lat_ph")] + [
    "gt3l/geolocation/segment_id", "gt1r/heights/signal_conf_ph", "gt2l/bckgrd_atlas/bckgrd_rate"]


def storage_runs(dataset):
    """(offset, size) of every chunk, or of the single contiguous block."""
    dsid = dataset.id
    if dataset.chunks is None:
        return [[int(dsid.get_offset()), int(dsid.get_storage_size())]]
    runs = []
    for i in range(dsid.get_num_chunks()):
        info = dsid.get_chunk_info(i)
        runs.append([int(info.byte_offset), int(info.size)])
    return runs


def main(path):
    with h5py.File(path, "r") as f:
        digests, layout = {}, {}

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                digests[name] = hashlib.sha256(np.ascontiguousarray(obj[()]).tobytes()).hexdigest()
                if name.startswith("gt"):
                    layout[name] = {"chunks": obj.chunks, "compression": obj.compression,
                                    "compression_opts": obj.compression_opts, "shuffle": bool(obj.shuffle),
                                    "maxshape": [m if m is not None else -1 for m in obj.maxshape]}

        f.visititems(visit)
        beams = {}
        for beam in BEAMS:
            g = f[beam]
            beams[beam] = {
                "atlas_beam_type": g.attrs["atlas_beam_type"].decode(),
                "atlas_spot_number": g.attrs["atlas_spot_number"].decode(),
                "photons": int(g["heights/h_ph"].shape[0]),
                "segment_ph_cnt": g["geolocation/segment_ph_cnt"][()].tolist(),
                "ph_index_beg": g["geolocation/ph_index_beg"][()].tolist(),
                "segment_delta_time": g["geolocation/delta_time"][()].tolist(),
                "photon_delta_time": g["heights/delta_time"][()].tolist(),
                "lat_max": float(np.max(np.abs(g["heights/lat_ph"][()]))),
                "lon_jumps_over_180": int(np.sum(np.abs(np.diff(g["heights/lon_ph"][()])) > 180)),
                "dataset_count": sum(1 for _ in _datasets(g)),
            }
        result = {
            "sc_orient": int(f["orbit_info/sc_orient"][0]),
            "atlas_sdp_gps_epoch": float(f["ancillary_data/atlas_sdp_gps_epoch"][0]),
            "short_name": f.attrs["short_name"].decode(),
            "file_space_strategy": int(f.id.get_create_plist().get_file_space_strategy()[0]),
            "beams": beams,
            "layout": layout,
            "storage": {name: storage_runs(f[name]) for name in INTERLEAVE_PROBES},
            "digests": digests,
        }
    result["xarray"] = open_with_xarray(path)
    json.dump(result, sys.stdout)


def _datasets(group):
    found = []
    group.visititems(lambda n, o: found.append(n) if isinstance(o, h5py.Dataset) else None)
    return found


def open_with_xarray(path):
    try:
        import xarray
        with xarray.open_dataset(path, group="gt1l/heights", engine="h5netcdf") as ds:
            return {"dims": {k: int(v) for k, v in ds.dims.items()}, "variables": sorted(ds.variables)}
    except Exception as error:     # reported to the test, which fails with the message
        return {"error": "%s: %s" % (type(error).__name__, error)}


if __name__ == "__main__":
    main(sys.argv[1])
