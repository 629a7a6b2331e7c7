#!/usr/bin/python3
"""Synthetic ICESat-2 ATL03 granules with NASA's structure, dtypes, chunking, filters and physical layout.

Run with Debian's /usr/bin/python3 (h5py 3.7 / HDF5 1.10.8 / numpy 1.24):

  /usr/bin/python3 atl03_generate.py --out DIR [--granules 2] [--photons-per-strong-beam 200000] [--seed 1]
                                     [--layout v006|v007|contiguous] [--start 2019-06-01T00:00:00]

The variable inventory comes only from atl03_template.json (made by make_atl03_template.py from a real file).
The SIMULATION part (orbit ground track, segments, photons) is independent of HDF5; the WRITER part only lays
arrays out. Photons are simulated and written in along-track batches, so memory stays bounded for 7 GB-class
granules: only per-segment photon counts (a few bytes per 20 m segment) are kept for the whole granule.

Physical layout, as the mission writes it: every along-track dataset has an unlimited first dimension, chunks of
10,000 (v006) or 100,000 (v007) elements along track, gzip 6 and shuffle as the template says. All datasets of all
beams are created first, then extended batch after batch, beam after beam, so chunks and chunk-index B-tree nodes of
different datasets and beams interleave through the file. Layout `contiguous`: fixed-size datasets with contiguous
storage (no filters), allocated at creation time one after the other, so each dataset is one run of bytes.

One line per granule is printed: `path photons=N bytes=N seconds=S` (photons = all six beams).
"""
import argparse
import datetime as dt
import json
import math
import os
import sys
import time
import uuid

import h5py
import numpy as np

# ---------------------------------------------------------------------------------------------------------------
# Mission constants
# ---------------------------------------------------------------------------------------------------------------
EARTH_RADIUS_M = 6371008.8
EARTH_ROTATION_RAD_S = 7.2921159e-5
ORBIT_PERIOD_S = 5653.0                       # ~94.2 min, 1387 orbits in a 91-day repeat
INCLINATION_RAD = math.radians(92.0)
GROUND_SPEED_M_S = 2 * math.pi * EARTH_RADIUS_M / ORBIT_PERIOD_S   # ~7.08 km/s
PULSE_RATE_HZ = 10000.0
SHOT_SPACING_M = GROUND_SPEED_M_S / PULSE_RATE_HZ                 # ~0.71 m
SHOTS_PER_MAJOR_FRAME = 200
SEGMENT_LENGTH_M = 20.0
BCKGRD_PERIOD_S = 50 / PULSE_RATE_HZ                               # 50-shot background rate
SIGNAL_FIND_PERIOD_S = 0.00657                                     # typical signal-finding interval
MAX_SEGMENTS_PER_GRANULE = 143000                                  # 1/14 orbit ~ 2,860 km of 20 m segments
ATLAS_SDP_GPS_EPOCH = 1198800018.0                                 # GPS seconds at 2018-01-01T00:00:00Z
SDP_EPOCH = dt.datetime(2018, 1, 1, tzinfo=dt.timezone.utc)
CYCLE_1_START = 24_652_800.0 + 0.0                                 # 2018-10-13T08:00:00Z as delta_time
REPEAT_CYCLE_S = 91 * 86400.0
RGTS_PER_CYCLE = 1387

BEAMS = ["gt1l", "gt1r", "gt2l", "gt2r", "gt3l", "gt3r"]
# across-track offset of each ground track from the reference track, positive to the left of travel
BEAM_OFFSET_M = {"gt1l": 3345.0, "gt1r": 3255.0, "gt2l": 45.0, "gt2r": -45.0, "gt3l": -3255.0, "gt3r": -3345.0}
WEAK_TO_STRONG = 0.25
SURFACE_TYPES = ["land", "ocean", "sea_ice", "land_ice", "inland_water"]
SURFACE_PHOTON_WEIGHT = np.array([1.0, 0.7, 1.3, 1.4, 0.8])
SURFACE_SIGNAL_FRACTION = np.array([0.55, 0.75, 0.8, 0.85, 0.6])
SURFACE_BASE_HEIGHT_M = np.array([600.0, 0.0, 0.3, 2400.0, 150.0])
SURFACE_RELIEF_M = np.array([400.0, 1.0, 0.4, 300.0, 2.0])
BACKGROUND_HALF_WINDOW_M = 300.0
PHOTON_BATCH_STRONG = 10000          # along-track batch ~ one v006 chunk of strong-beam photons
TEMPLATE_FILE = "atl03_template.json"


# ---------------------------------------------------------------------------------------------------------------
# SIMULATION: orbit ground track, granule plan, segments and photons (no HDF5 here)
# ---------------------------------------------------------------------------------------------------------------
class GroundTrack:
    """Circular 92-degree orbit over a rotating spherical Earth; positions as a function of along-track distance."""

    def __init__(self, node_longitude_rad, start_argument_of_latitude_rad):
        self.node_longitude = node_longitude_rad
        self.start_u = start_argument_of_latitude_rad

    def _ecef(self, along_m, across_m):
        along_m = np.asarray(along_m, dtype=np.float64)
        u = self.start_u + along_m / EARTH_RADIUS_M
        node = self.node_longitude - EARTH_ROTATION_RAD_S * (along_m / GROUND_SPEED_M_S)
        cos_u, sin_u = np.cos(u), np.sin(u)
        cos_n, sin_n = np.cos(node), np.sin(node)
        cos_i, sin_i = math.cos(INCLINATION_RAD), math.sin(INCLINATION_RAD)
        position = np.stack([cos_n * cos_u - sin_n * sin_u * cos_i,
                             sin_n * cos_u + cos_n * sin_u * cos_i,
                             sin_u * sin_i])
        orbit_normal = np.stack([sin_n * sin_i * np.ones_like(u), -cos_n * sin_i * np.ones_like(u),
                                 cos_i * np.ones_like(u)])
        point = position + orbit_normal * (np.asarray(across_m) / EARTH_RADIUS_M)
        return point / np.linalg.norm(point, axis=0)

    def lat_lon(self, along_m, across_m=0.0):
        x, y, z = self._ecef(along_m, across_m)
        return np.degrees(np.arcsin(np.clip(z, -1, 1))), np.degrees(np.arctan2(y, x))

    def velocity_ecef(self, along_m):
        """Spacecraft velocity (m/s, ECEF) at orbit radius, by finite difference of the ground track."""
        orbit_radius = EARTH_RADIUS_M + 496000.0
        step = 10.0
        ahead = self._ecef(np.asarray(along_m) + step, 0.0)
        here = self._ecef(along_m, 0.0)
        return (ahead - here) * orbit_radius / (step / GROUND_SPEED_M_S)


def atlas_region(lat_deg, ascending):
    """ATL03 granule region 1..14 (orbit split by latitude band and direction)."""
    if lat_deg >= 80:
        return 4
    if lat_deg <= -79:
        return 11
    north = [(27.0, 1, 7), (59.5, 2, 6), (80.0, 3, 5)]
    south = [(-27.0, 14, 8), (-50.0, 13, 9), (-79.0, 12, 10)]
    if lat_deg >= 0:
        for limit, asc, desc in north:
            if lat_deg < limit:
                return asc if ascending else desc
    for limit, asc, desc in south:
        if lat_deg > limit:
            return asc if ascending else desc
    return 11


def plan_granule(index, seed, start_delta_time, photons_per_strong_beam, photons_per_segment):
    """Where and when granule `index` is: orbit geometry, time, RGT/cycle/region, segment count, sc_orient.

    Scenarios rotate so that small default runs still cover the hard cases: granule 0 is centred on the northern
    turning point (88 N) on the antimeridian, granule 1 is mid-latitude, granule 2 on the southern turning point.
    """
    rng = np.random.default_rng([seed, index, 7])
    n_segments = int(min(MAX_SEGMENTS_PER_GRANULE, max(10, round(photons_per_strong_beam / photons_per_segment))))
    length_m = n_segments * SEGMENT_LENGTH_M
    scenario = index % 3
    if scenario == 0:
        mid_u, mid_lon = math.pi / 2, 180.0
    elif scenario == 1:
        mid_u, mid_lon = math.radians(rng.uniform(20, 50)), rng.uniform(-170, 170)
    else:
        mid_u, mid_lon = 3 * math.pi / 2, rng.uniform(-170, 170)
    start_u = mid_u - (length_m / 2) / EARTH_RADIUS_M
    probe = GroundTrack(0.0, start_u)
    _, lon_at_mid = probe.lat_lon(length_m / 2)
    node_longitude = math.radians(mid_lon - float(lon_at_mid))
    track = GroundTrack(node_longitude, start_u)
    # consecutive granules are at least two orbits apart, so every granule has its own RGT
    t0 = start_delta_time + index * (2 * ORBIT_PERIOD_S + rng.uniform(0, ORBIT_PERIOD_S))
    since_cycle_1 = t0 - CYCLE_1_START
    cycle = 1 + int(since_cycle_1 // REPEAT_CYCLE_S)
    rgt = 1 + int((since_cycle_1 % REPEAT_CYCLE_S) // (REPEAT_CYCLE_S / RGTS_PER_CYCLE))
    start_lat, _ = track.lat_lon(0.0)
    region = atlas_region(float(start_lat), math.cos(start_u) > 0)
    first_segment_id = 1 + int(((start_u % (2 * math.pi)) * EARTH_RADIUS_M) // SEGMENT_LENGTH_M)
    return {
        "index": index, "track": track, "t0": t0, "n_segments": n_segments, "length_m": length_m,
        "cycle": cycle, "rgt": rgt, "region": region, "orbit_number": int(since_cycle_1 // ORBIT_PERIOD_S) + 1,
        "sc_orient": int(rng.integers(0, 2)), "first_segment_id": first_segment_id,
        "start_u": start_u, "node_longitude_deg": math.degrees(node_longitude) % 360.0,
        "uuid": str(uuid.UUID(bytes=rng.bytes(16), version=4)),
    }


def beam_is_strong(beam, sc_orient):
    """sc_orient 0 (backward): left beams strong; 1 (forward): right beams strong."""
    return beam.endswith("l") == (sc_orient == 0)


def spot_number(beam, sc_orient):
    position = BEAMS.index(beam) + 1
    return position if sc_orient == 0 else 7 - position


def surface_along_track(plan, seed):
    """Surface type of every segment: runs of a few km, ice more likely toward the poles."""
    rng = np.random.default_rng([seed, plan["index"], 11])
    n = plan["n_segments"]
    surface = np.empty(n, dtype=np.int8)
    dropout = np.zeros(n, dtype=bool)
    position = 0
    while position < n:
        run = max(1, int(rng.exponential(250)))          # ~5 km of 20 m segments
        lat, _ = plan["track"].lat_lon(position * SEGMENT_LENGTH_M)
        polar = abs(float(lat)) > 60
        weights = [0.15, 0.25, 0.35, 0.2, 0.05] if polar else [0.4, 0.45, 0.0, 0.05, 0.1]
        surface[position:position + run] = rng.choice(5, p=weights)
        position += run
    # clouds and gaps: short runs of segments without any photon
    for start in rng.choice(n, size=max(1, n // 400), replace=False):
        dropout[start:start + int(rng.integers(1, 12))] = True
    return surface, dropout


def photons_per_segment(plan, seed, surface, dropout, photons_per_strong_beam):
    """Exact photon count of every segment of every beam: strong beams sum to the target, weak ones to 1/4."""
    counts = {}
    for beam_index, beam in enumerate(BEAMS):
        rng = np.random.default_rng([seed, plan["index"], 13, beam_index])
        weights = SURFACE_PHOTON_WEIGHT[surface] * rng.gamma(8.0, 1 / 8.0, size=surface.size)
        weights[dropout] = 0.0
        total = photons_per_strong_beam if beam_is_strong(beam, plan["sc_orient"]) \
            else int(round(photons_per_strong_beam * WEAK_TO_STRONG))
        counts[beam] = rng.multinomial(total, weights / weights.sum()).astype(np.int32)
    return counts


def terrain_height(along_m, surface, phase):
    base = SURFACE_BASE_HEIGHT_M[surface]
    relief = SURFACE_RELIEF_M[surface]
    return base + relief * (np.sin(along_m / 7300.0 + phase) + 0.4 * np.sin(along_m / 830.0 + 2 * phase))


def smooth_series(along_m, observed_range, name_phase, is_integer):
    low, high = observed_range
    values = low + (high - low) * (0.5 + 0.5 * np.sin(along_m / 41000.0 + name_phase))
    return np.rint(values) if is_integer else values


def simulate_batch(plan, seed, beam, seg_lo, seg_hi, counts, surface, photon_offset):
    """Photon-rate and key segment-rate arrays of one beam for segments [seg_lo, seg_hi)."""
    beam_index = BEAMS.index(beam)
    rng = np.random.default_rng([seed, plan["index"], 17, beam_index, seg_lo])
    strong = beam_is_strong(beam, plan["sc_orient"])
    track, t0 = plan["track"], plan["t0"]
    seg_counts = counts[seg_lo:seg_hi]
    seg_surface = surface[seg_lo:seg_hi]
    n_seg = seg_hi - seg_lo
    n_ph = int(seg_counts.sum())
    seg_start_m = (np.arange(seg_lo, seg_hi) * SEGMENT_LENGTH_M)
    photon_segment = np.repeat(np.arange(n_seg), seg_counts)

    # along-track position inside the segment, sorted per segment so time never decreases
    offset_in_segment = rng.uniform(0, SEGMENT_LENGTH_M, n_ph)
    order = np.lexsort((offset_in_segment, photon_segment))
    offset_in_segment = offset_in_segment[order]
    along_m = seg_start_m[photon_segment] + offset_in_segment
    shot = np.floor(along_m / SHOT_SPACING_M).astype(np.int64)
    delta_time = t0 + shot / PULSE_RATE_HZ

    photon_surface = seg_surface[photon_segment]
    is_signal = rng.random(n_ph) < SURFACE_SIGNAL_FRACTION[photon_surface]
    is_tep = (~is_signal) & strong & (rng.random(n_ph) < 0.0005)
    ground = terrain_height(along_m, photon_surface, plan["index"] * 0.7 + beam_index * 0.01)
    h_ph = np.where(is_signal, ground + rng.normal(0, 0.25, n_ph),
                    ground + rng.uniform(-BACKGROUND_HALF_WINDOW_M, BACKGROUND_HALF_WINDOW_M, n_ph))
    across = BEAM_OFFSET_M[beam] + rng.normal(0, 2.0, n_ph)
    lat_ph, lon_ph = track.lat_lon(along_m, across)

    conf = np.full((n_ph, 5), -1, dtype=np.int8)
    level = np.where(is_signal, rng.choice([2, 3, 4], p=[0.1, 0.2, 0.7], size=n_ph),
                     rng.choice([0, 1], p=[0.9, 0.1], size=n_ph)).astype(np.int8)
    conf[np.arange(n_ph), photon_surface] = level
    sea_ice = photon_surface == 2
    conf[sea_ice, 1] = level[sea_ice]                   # sea ice segments are also ocean, as in real ATL03
    conf[is_tep, :] = -2

    channel_count = 16 if strong else 4
    first_channel = 1 + (spot_number(beam, plan["sc_orient"]) - 1) * 20
    photons = {
        "heights/delta_time": delta_time,
        "heights/lat_ph": lat_ph,
        "heights/lon_ph": lon_ph,
        "heights/h_ph": h_ph.astype(np.float32),
        "heights/dist_ph_along": offset_in_segment.astype(np.float32),
        "heights/dist_ph_across": across.astype(np.float32),
        "heights/signal_conf_ph": conf,
        "heights/quality_ph": (rng.random(n_ph) < 0.001).astype(np.int8),
        "heights/weight_ph": np.clip(np.where(is_signal, rng.normal(230, 15, n_ph), rng.normal(40, 20, n_ph)),
                                     0, 255).astype(np.uint8),
        "heights/pce_mframe_cnt": (87_000_000 + plan["index"] * 1_000_000 + shot // SHOTS_PER_MAJOR_FRAME
                                   ).astype(np.uint32),
        "heights/ph_id_channel": (first_channel + rng.integers(0, channel_count, n_ph)).astype(np.uint8),
        "heights/ph_id_count": (1 + (rng.random(n_ph) < 0.1)).astype(np.uint8),
        "heights/ph_id_pulse": (1 + shot % SHOTS_PER_MAJOR_FRAME).astype(np.uint8),
    }

    # segment rate: reference photon = the photon nearest the segment centre
    starts = np.concatenate([[0], np.cumsum(seg_counts)[:-1]]).astype(np.int64)
    distance_to_centre = np.abs(offset_in_segment - SEGMENT_LENGTH_M / 2)
    reference_in_segment = np.zeros(n_seg, dtype=np.int64)
    non_empty = seg_counts > 0
    if n_ph:
        best = np.minimum.reduceat(distance_to_centre, starts[non_empty]) if non_empty.any() else []
        for k, segment in enumerate(np.flatnonzero(non_empty)):
            lo = starts[segment]
            reference_in_segment[segment] = int(np.argmax(
                distance_to_centre[lo:lo + seg_counts[segment]] == best[k]))
    centre_m = seg_start_m + SEGMENT_LENGTH_M / 2
    centre_lat, centre_lon = track.lat_lon(centre_m, BEAM_OFFSET_M[beam])
    reference_global = starts + reference_in_segment
    safe_index = np.minimum(reference_global, max(n_ph - 1, 0))
    ref_lat = np.where(non_empty, lat_ph[safe_index] if n_ph else centre_lat, centre_lat)
    ref_lon = np.where(non_empty, lon_ph[safe_index] if n_ph else centre_lon, centre_lon)
    ref_time = np.where(non_empty, delta_time[safe_index] if n_ph else 0.0, t0 + centre_m / GROUND_SPEED_M_S)
    surf_type = np.zeros((n_seg, 5), dtype=np.int8)
    surf_type[np.arange(n_seg), seg_surface] = 1
    surf_type[seg_surface == 2, 1] = 1
    segment_id = plan["first_segment_id"] + np.arange(seg_lo, seg_hi, dtype=np.int32)
    segments = {
        "geolocation/delta_time": ref_time,
        "geolocation/segment_id": segment_id.astype(np.int32),
        "geolocation/segment_ph_cnt": seg_counts.astype(np.int32),
        "geolocation/ph_index_beg": np.where(non_empty, photon_offset + starts + 1, 0).astype(np.int64),
        "geolocation/reference_photon_index": np.where(non_empty, reference_in_segment + 1, 0).astype(np.int32),
        "geolocation/reference_photon_lat": ref_lat,
        "geolocation/reference_photon_lon": ref_lon,
        "geolocation/segment_dist_x": (segment_id.astype(np.float64) - 1) * SEGMENT_LENGTH_M,
        "geolocation/segment_length": np.full(n_seg, SEGMENT_LENGTH_M),
        "geolocation/surf_type": surf_type,
        "geolocation/velocity_sc": track.velocity_ecef(centre_m).T.astype(np.float32),
        "geolocation/altitude_sc": 496000.0 + 2000.0 * np.sin(centre_m / 1e6 + plan["start_u"]),
        "geophys_corr/delta_time": ref_time,
        "geophys_corr/dem_h": terrain_height(centre_m, seg_surface, plan["index"] * 0.7).astype(np.float32),
    }
    return photons, segments, centre_m


def clocked_rate_range(plan, period_s, seg_lo, seg_hi):
    """Indices [k_lo, k_hi) of a fixed-period rate (background / signal finding) inside segments [lo, hi)."""
    step_m = period_s * GROUND_SPEED_M_S
    return (int(math.ceil(seg_lo * SEGMENT_LENGTH_M / step_m)), int(math.ceil(seg_hi * SEGMENT_LENGTH_M / step_m)))


# ---------------------------------------------------------------------------------------------------------------
# WRITER: template -> HDF5 objects, chunk-aligned appends, metadata
# ---------------------------------------------------------------------------------------------------------------
def attribute_value(encoded):
    if encoded["type"] == "string":
        return np.bytes_(encoded["value"].encode("utf-8"))
    if encoded["type"] == "string[]":
        return np.array([v.encode("utf-8") for v in encoded["value"]])
    return np.array(encoded["value"], dtype=encoded["dtype"]).reshape(encoded["shape"])


def write_attributes(obj, encoded_attributes, overrides=None):
    for name, encoded in encoded_attributes.items():
        obj.attrs[name] = attribute_value(encoded)
    for name, value in (overrides or {}).items():
        obj.attrs[name] = np.bytes_(value.encode()) if isinstance(value, str) else value


class ChunkAlignedAppender:
    """Buffers one dataset's along-track values and appends them to the file in whole chunks."""

    def __init__(self, dataset, chunk_length, contiguous):
        self.dataset = dataset
        self.chunk_length = chunk_length
        self.contiguous = contiguous
        self.pending = []
        self.pending_rows = 0
        self.written = 0

    def append(self, values):
        if len(values):
            self.pending.append(values)
            self.pending_rows += len(values)
        if self.pending_rows >= self.chunk_length:
            self._write(self.pending_rows - self.pending_rows % self.chunk_length)

    def finish(self):
        if self.pending_rows:
            self._write(self.pending_rows)

    def _write(self, rows):
        block = np.concatenate(self.pending) if len(self.pending) > 1 else self.pending[0]
        head, tail = block[:rows], block[rows:]
        end = self.written + rows
        if not self.contiguous:
            self.dataset.resize(end, axis=0)
        self.dataset[self.written:end] = head
        self.written = end
        self.pending = [tail] if len(tail) else []
        self.pending_rows = len(tail)


class GranuleWriter:
    def __init__(self, path, template, layout, plan, totals):
        self.template = template
        self.layout = layout
        self.contiguous = layout == "contiguous"
        self.chunk_length = 100000 if layout == "v007" else 10000
        kwargs = {"libver": ("v108", "v110")}
        if layout == "v007":
            # release 007 files use paged aggregation with 8 MiB file-space pages
            kwargs.update(fs_strategy="page", fs_page_size=8 * 1024 * 1024)
        self.file = h5py.File(path, "w", **kwargs)
        self.plan = plan
        self.totals = totals
        self.appenders = {}
        self.scales = {}

    def create_structure(self, root_overrides, metadata_overrides):
        f, plan = self.file, self.plan
        write_attributes(f, {k: v for k, v in self.template["root_attributes"].items()
                             if k != "Processing Parameters"}, root_overrides)
        for group_path, attributes in sorted(self.template["metadata_groups"].items()):
            group = f.require_group("METADATA/" + group_path if group_path else "METADATA")
            write_attributes(group, attributes, metadata_overrides.get(group_path))
        for name, values in (("ds_surf_type", np.arange(1, 6, dtype=np.int32)),
                             ("ds_xyz", np.arange(1, 4, dtype=np.int32))):
            scale = f.create_dataset(name, data=values)
            scale.make_scale(name)
            self.scales[name] = scale
        for beam in BEAMS:
            self._create_beam(beam)

    def _create_beam(self, beam):
        plan = self.plan
        group = self.file.create_group(beam)
        strong = beam_is_strong(beam, plan["sc_orient"])
        spot = spot_number(beam, plan["sc_orient"])
        write_attributes(group, self.template["beam_attributes"], {
            "atlas_beam_type": "strong" if strong else "weak",
            "atlas_spot_number": str(spot),
            "atlas_pce": "pce%d" % ((spot + 1) // 2),
            "groundtrack_id": beam,
            "sc_orientation": "Forward" if plan["sc_orient"] == 1 else "Backward",
            "atmosphere_profile": "profile_%s" % beam[2],
        })
        for group_path, attributes in sorted(self.template["beam_groups"].items()):
            write_attributes(group.require_group(group_path), attributes)
        for spec in self.template["beam_datasets"]:
            rows = self.totals[beam][spec["rate"]]
            trailing = tuple(spec["trailing_dims"])
            filters = spec["filters"]
            if self.contiguous:
                dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
                dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)       # one run per dataset, in creation order
                dcpl.set_fill_time(h5py.h5d.FILL_TIME_NEVER)         # every element gets written anyway
                dataset = group.create_dataset(spec["path"], shape=(rows,) + trailing, dtype=spec["dtype"],
                                               fillvalue=spec["fillvalue"], dcpl=dcpl)
            else:
                dataset = group.create_dataset(
                    spec["path"], shape=(0,) + trailing, dtype=spec["dtype"],
                    maxshape=tuple(spec["maxshape"]), chunks=(self.chunk_length,) + trailing,
                    compression=filters["compression"], compression_opts=filters["compression_opts"],
                    shuffle=filters["shuffle"], fillvalue=spec["fillvalue"])
            write_attributes(dataset, spec["attributes"])
            if spec["is_dimension_scale"]:
                dataset.make_scale("delta_time")
            self.appenders[(beam, spec["path"])] = ChunkAlignedAppender(dataset, self.chunk_length, self.contiguous)

    def append(self, beam, arrays):
        for path, values in arrays.items():
            self.appenders[(beam, path)].append(values)

    def finish(self):
        for appender in self.appenders.values():
            appender.finish()
        self._attach_dimension_scales()
        self.file.close()

    def _attach_dimension_scales(self):
        """As in real ATL03, each along-track dataset's first axis is attached to its group's delta_time."""
        for beam in BEAMS:
            group = self.file[beam]
            for spec in self.template["beam_datasets"]:
                dataset = group[spec["path"]]
                if spec["dim0_scale"] and not spec["is_dimension_scale"]:
                    scale_path = spec["path"].rsplit("/", 1)[0] + "/" + spec["dim0_scale"]
                    dataset.dims[0].attach_scale(group[scale_path])
                if spec["trailing_dims"] == [5]:
                    dataset.dims[1].attach_scale(self.scales["ds_surf_type"])
                elif spec["trailing_dims"] == [3]:
                    dataset.dims[1].attach_scale(self.scales["ds_xyz"])

    def write_ancillary(self, ancillary, orbit_info):
        for group_name, items in (("ancillary_data", ancillary), ("orbit_info", orbit_info)):
            group = self.file.create_group(group_name)
            for name, (value, units, description) in items.items():
                data = np.array([value.encode()]) if isinstance(value, str) else np.atleast_1d(value)
                dataset = group.create_dataset(name, data=data)
                dataset.attrs["units"] = np.bytes_(units.encode())
                dataset.attrs["description"] = np.bytes_(description.encode())
                dataset.attrs["long_name"] = np.bytes_(name.replace("_", " ").encode())
                dataset.attrs["source"] = np.bytes_(b"Operations")


# ---------------------------------------------------------------------------------------------------------------
# Granule assembly: simulation batches -> writer
# ---------------------------------------------------------------------------------------------------------------
def iso(delta_time):
    return (SDP_EPOCH + dt.timedelta(seconds=delta_time)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def granule_name(plan):
    start = SDP_EPOCH + dt.timedelta(seconds=plan["t0"])
    return "ATL03_%s_%04d%02d%02d_006_01.h5" % (start.strftime("%Y%m%d%H%M%S"), plan["rgt"], plan["cycle"],
                                                plan["region"])


def filler_values(spec, along_m, is_integer):
    phase = (sum(map(ord, spec["path"])) % 628) / 100.0
    shape = (len(along_m),) + tuple(spec["trailing_dims"])
    if spec["observed_range"] is None:
        return np.full(shape, spec["fillvalue"], dtype=spec["dtype"])
    values = smooth_series(along_m, spec["observed_range"], phase, is_integer)
    values = values.reshape((-1,) + (1,) * len(spec["trailing_dims"]))
    return np.broadcast_to(values, shape).astype(spec["dtype"])


def generate_granule(out_dir, template, layout, seed, index, start_delta_time, photons_per_strong_beam,
                     photons_per_segment_mean):
    began = time.monotonic()
    plan = plan_granule(index, seed, start_delta_time, photons_per_strong_beam, photons_per_segment_mean)
    surface, dropout = surface_along_track(plan, seed)
    counts = photons_per_segment(plan, seed, surface, dropout, photons_per_strong_beam)
    n_seg = plan["n_segments"]
    bckgrd_total = clocked_rate_range(plan, BCKGRD_PERIOD_S, 0, n_seg)[1]
    signal_find_total = clocked_rate_range(plan, SIGNAL_FIND_PERIOD_S, 0, n_seg)[1]
    totals = {beam: {"photon": int(counts[beam].sum()), "segment": n_seg, "bckgrd": bckgrd_total,
                     "signal_find": signal_find_total} for beam in BEAMS}
    t_end = plan["t0"] + plan["length_m"] / GROUND_SPEED_M_S
    path = os.path.join(out_dir, granule_name(plan))

    lat_lon_extent = [plan["track"].lat_lon(s) for s in np.linspace(0, plan["length_m"], 64)]
    lats = [float(lat) for lat, _ in lat_lon_extent]
    lons = [float(lon) for _, lon in lat_lon_extent]
    root_overrides = {
        "short_name": "ATL03", "level": "L2", "granule_type": "ATL03",
        "title": "ATLAS/ICESat-2 L2A Global Geolocated Photon Data (synthetic, atl03-spark generator)",
        "time_coverage_start": iso(plan["t0"]), "time_coverage_end": iso(t_end),
        "time_coverage_duration": float(t_end - plan["t0"]),
        "geospatial_lat_min": min(lats), "geospatial_lat_max": max(lats),
        "geospatial_lon_min": min(lons), "geospatial_lon_max": max(lons),
        "identifier_file_uuid": plan["uuid"], "hdfversion": "HDF5 %s" % h5py.version.hdf5_version,
    }
    metadata_overrides = {
        "DatasetIdentification": {"fileName": os.path.basename(path), "uuid": plan["uuid"]},
        "Extent": {"rangeBeginningDateTime": iso(plan["t0"]), "rangeEndingDateTime": iso(t_end),
                   "northBoundLatitude": max(lats), "southBoundLatitude": min(lats),
                   "westBoundLongitude": min(lons), "eastBoundLongitude": max(lons)},
    }
    writer = GranuleWriter(path, template, layout, plan, totals)
    writer.create_structure(root_overrides, metadata_overrides)
    gps_seconds = ATLAS_SDP_GPS_EPOCH + plan["t0"]
    writer.write_ancillary({
        "atlas_sdp_gps_epoch": (ATLAS_SDP_GPS_EPOCH, "seconds since 1980-01-06T00:00:00.000000Z",
                                "Number of GPS seconds between the GPS epoch and the ATLAS SDP epoch"),
        "control": ("synthetic granule, seed=%d layout=%s" % (seed, layout), "1", "PGE control file contents"),
        "data_start_utc": (iso(plan["t0"]), "1", "UTC of the first data"),
        "data_end_utc": (iso(t_end), "1", "UTC of the last data"),
        "granule_start_utc": (iso(plan["t0"]), "1", "Requested granule start (UTC)"),
        "granule_end_utc": (iso(t_end), "1", "Requested granule end (UTC)"),
        "start_delta_time": (plan["t0"], "seconds since 2018-01-01", "Granule start time in delta_time"),
        "end_delta_time": (t_end, "seconds since 2018-01-01", "Granule end time in delta_time"),
        "start_gpsweek": (np.int32(gps_seconds // 604800), "weeks from 1980-01-06", "GPS week of the start"),
        "start_gpssow": (gps_seconds % 604800, "seconds", "GPS seconds of week of the start"),
        "start_rgt": (np.int32(plan["rgt"]), "1", "Reference ground track at the start"),
        "end_rgt": (np.int32(plan["rgt"]), "1", "Reference ground track at the end"),
        "start_cycle": (np.int32(plan["cycle"]), "1", "Cycle at the start"),
        "end_cycle": (np.int32(plan["cycle"]), "1", "Cycle at the end"),
        "start_region": (np.int32(plan["region"]), "1", "Region at the start"),
        "end_region": (np.int32(plan["region"]), "1", "Region at the end"),
        "start_orbit": (np.int32(plan["orbit_number"]), "1", "Orbit at the start"),
        "end_orbit": (np.int32(plan["orbit_number"]), "1", "Orbit at the end"),
        "start_geoseg": (np.int32(plan["first_segment_id"]), "1", "First geolocation segment"),
        "end_geoseg": (np.int32(plan["first_segment_id"] + n_seg - 1), "1", "Last geolocation segment"),
        "release": ("006", "1", "Release number"),
        "version": ("01", "1", "Version number"),
    }, {
        "sc_orient": (np.int8(plan["sc_orient"]), "1", "Spacecraft orientation: 0 backward, 1 forward, 2 transition"),
        "sc_orient_time": (plan["t0"], "seconds since 2018-01-01", "Time of the last orientation change"),
        "rgt": (np.int16(plan["rgt"]), "1", "Reference ground track"),
        "cycle_number": (np.int8(plan["cycle"]), "1", "91-day repeat cycle number"),
        "orbit_number": (np.uint16(plan["orbit_number"]), "1", "Orbit number"),
        "crossing_time": (plan["t0"] - plan["start_u"] % (2 * math.pi) / (2 * math.pi) * ORBIT_PERIOD_S,
                          "seconds since 2018-01-01", "Time of the ascending node crossing"),
        "lan": (plan["node_longitude_deg"], "degrees_east", "Longitude of the ascending node"),
    })

    specs_by_rate = {}
    for spec in template["beam_datasets"]:
        specs_by_rate.setdefault(spec["rate"], []).append(spec)
    photon_offsets = {beam: 0 for beam in BEAMS}
    mean_strong = max(1.0, photons_per_strong_beam / n_seg)
    batch_segments = max(1, int(PHOTON_BATCH_STRONG / mean_strong))
    for seg_lo in range(0, n_seg, batch_segments):
        seg_hi = min(n_seg, seg_lo + batch_segments)
        for beam in BEAMS:
            photons, segments, centre_m = simulate_batch(plan, seed, beam, seg_lo, seg_hi, counts[beam], surface,
                                                         photon_offsets[beam])
            photon_offsets[beam] += len(photons["heights/delta_time"])
            arrays = dict(photons)
            for spec in specs_by_rate["segment"]:
                is_integer = np.dtype(spec["dtype"]).kind in "iu"
                arrays[spec["path"]] = segments.get(spec["path"])
                if arrays[spec["path"]] is None:
                    arrays[spec["path"]] = filler_values(spec, centre_m, is_integer)
            for rate, period in (("bckgrd", BCKGRD_PERIOD_S), ("signal_find", SIGNAL_FIND_PERIOD_S)):
                k_lo, k_hi = clocked_rate_range(plan, period, seg_lo, seg_hi)
                k = np.arange(k_lo, k_hi)
                along = k * period * GROUND_SPEED_M_S
                for spec in specs_by_rate.get(rate, []):
                    name = spec["path"].rsplit("/", 1)[-1]
                    if name == "delta_time":
                        arrays[spec["path"]] = plan["t0"] + k * period
                    elif name == "pce_mframe_cnt":
                        arrays[spec["path"]] = (87_000_000 + index * 1_000_000 + k // 4).astype(spec["dtype"])
                    else:
                        arrays[spec["path"]] = filler_values(spec, along, np.dtype(spec["dtype"]).kind in "iu")
            writer.append(beam, arrays)
        writer.file.flush()
    writer.finish()
    photons_total = sum(photon_offsets.values())
    return path, photons_total, os.path.getsize(path), time.monotonic() - began


def parse_start(text):
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return (moment - SDP_EPOCH).total_seconds()


def load_template(path=None):
    path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), TEMPLATE_FILE)
    with open(path) as source:
        return json.load(source)


def main(argv):
    parser = argparse.ArgumentParser(description="Synthetic ICESat-2 ATL03 granules (h5py writer)")
    parser.add_argument("--out", required=True, help="output directory (created if missing)")
    parser.add_argument("--granules", type=int, default=2)
    parser.add_argument("--photons-per-strong-beam", type=int, default=200000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layout", choices=["v006", "v007", "contiguous"], default="v006")
    parser.add_argument("--start", default="2019-06-01T00:00:00Z", help="UTC start of the first granule")
    parser.add_argument("--photons-per-segment", type=float, default=100.0,
                        help="mean strong-beam photons per 20 m segment; sets the track length, which is capped at "
                             "a real granule's %d segments (beyond that, segments get denser)"
                             % MAX_SEGMENTS_PER_GRANULE)
    parser.add_argument("--template", help="template JSON (default: atl03_template.json next to this script)")
    args = parser.parse_args(argv)
    if args.granules < 1 or args.photons_per_strong_beam < 1:
        parser.error("--granules and --photons-per-strong-beam must be positive")
    os.makedirs(args.out, exist_ok=True)
    template = load_template(args.template)
    start = parse_start(args.start)
    for index in range(args.granules):
        path, photons, size, seconds = generate_granule(args.out, template, args.layout, args.seed, index, start,
                                                        args.photons_per_strong_beam, args.photons_per_segment)
        print("%s photons=%d bytes=%d seconds=%.2f" % (path, photons, size, seconds), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
