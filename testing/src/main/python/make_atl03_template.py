#!/usr/bin/python3
"""Extract the structure of a real ATL03 file into the template JSON that atl03_generate.py reads.

Usage: /usr/bin/python3 make_atl03_template.py REAL_ATL03.h5 OUT.json [--beam gt1l]

The template records, for the one beam present in the source file: every group with its attributes, every dataset
with dtype, rate (photon / segment / bckgrd / signal_find), trailing dims, chunking, filters, fill value, the
dimension scale its first axis is attached to, its attributes and the observed value range (used by the generator to
give "filler" variables plausible values). It also records the root attributes, the beam-group attributes and the
whole METADATA tree (groups + attributes, ISO XML attributes included), so the generator never needs the source
file. Dimension-scale bookkeeping attributes (DIMENSION_LIST, REFERENCE_LIST, CLASS, NAME) are dropped: the
generator recreates them with make_scale / attach_scale.
"""
import argparse
import json
import sys

import h5py
import numpy as np

SCALE_BOOKKEEPING_ATTRIBUTES = {"DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME"}

# ATL03 groups and the along-track rate their datasets are stored at (ATL03 ATBD / data dictionary).
RATE_BY_GROUP = {
    "heights": "photon",
    "geolocation": "segment",
    "geophys_corr": "segment",
    "bckgrd_atlas": "bckgrd",
    "signal_find_output": "signal_find",
}


def encode_attribute(value):
    """JSON form of an HDF5 attribute value that keeps its type (fixed-length strings stay strings, ints keep width)."""
    if isinstance(value, bytes):
        return {"type": "string", "value": value.decode("utf-8", "replace")}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    array = np.asarray(value)
    if array.dtype.kind in ("S", "O", "U"):
        return {"type": "string[]", "value": [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
                                              for v in array.ravel()]}
    return {"type": "number", "dtype": array.dtype.str, "shape": list(array.shape), "value": array.tolist()}


def encode_attributes(attrs):
    return {name: encode_attribute(attrs[name]) for name in sorted(attrs.keys())
            if name not in SCALE_BOOKKEEPING_ATTRIBUTES}


def filters_of(dataset):
    return {"compression": dataset.compression, "compression_opts": dataset.compression_opts,
            "shuffle": bool(dataset.shuffle), "fletcher32": bool(dataset.fletcher32)}


def observed_range(dataset, fill_value):
    values = dataset[()]
    if values.size == 0 or values.dtype.kind not in "iuf":
        return None
    valid = values[values != fill_value] if fill_value is not None else values.ravel()
    if valid.dtype.kind == "f":
        valid = valid[np.isfinite(valid)]
    if valid.size == 0:
        return None
    return [valid.min().item(), valid.max().item()]


def dimension_scale_name(dataset, axis):
    if "DIMENSION_LIST" not in dataset.attrs:
        return None
    refs = dataset.attrs["DIMENSION_LIST"]
    if axis >= len(refs) or len(refs[axis]) == 0:
        return None
    return dataset.file[refs[axis][0]].name.rsplit("/", 1)[-1]


def describe_dataset(beam_group, relative_path):
    dataset = beam_group[relative_path]
    top_group = relative_path.split("/", 1)[0]
    fill_attribute = dataset.attrs.get("_FillValue")
    return {
        "path": relative_path,
        "dtype": dataset.dtype.str,
        "rate": RATE_BY_GROUP[top_group],
        "trailing_dims": list(dataset.shape[1:]),
        "chunks": list(dataset.chunks) if dataset.chunks else None,
        "maxshape": [None if m is None else int(m) for m in dataset.maxshape],
        "filters": filters_of(dataset),
        "fillvalue": dataset.fillvalue.item() if hasattr(dataset.fillvalue, "item") else dataset.fillvalue,
        "is_dimension_scale": dataset.attrs.get("CLASS") == b"DIMENSION_SCALE",
        "dim0_scale": dimension_scale_name(dataset, 0),
        "observed_range": observed_range(dataset, None if fill_attribute is None else fill_attribute.item()),
        "attributes": encode_attributes(dataset.attrs),
    }


def describe_tree(group):
    """Groups (path -> attributes) below group, METADATA-style: datasets are not expected there."""
    groups = {"": encode_attributes(group.attrs)}
    group.visititems(lambda name, obj: groups.__setitem__(name, encode_attributes(obj.attrs))
                     if isinstance(obj, h5py.Group) else None)
    return groups


def build_template(source_path, beam):
    with h5py.File(source_path, "r") as source:
        beam_group = source[beam]
        datasets, groups = [], {}

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                datasets.append(describe_dataset(beam_group, name))
            else:
                groups[name] = encode_attributes(obj.attrs)

        beam_group.visititems(visit)
        return {
            "source": {"file": source_path.rsplit("/", 1)[-1], "beam": beam,
                       "hdf5_superblock": "v2", "libver_bounds": list(source.libver)},
            "root_attributes": encode_attributes(source.attrs),
            "beam_attributes": encode_attributes(beam_group.attrs),
            "beam_groups": groups,
            "beam_datasets": datasets,
            "metadata_groups": describe_tree(source["METADATA"]) if "METADATA" in source else {},
        }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--beam", default="gt1l")
    args = parser.parse_args(argv)
    template = build_template(args.source, args.beam)
    with open(args.out, "w") as out:
        json.dump(template, out, indent=1, sort_keys=False)
        out.write("\n")
    print(f"{args.out}: {len(template['beam_datasets'])} datasets, {len(template['beam_groups'])} beam groups, "
          f"{len(template['metadata_groups'])} METADATA groups")


if __name__ == "__main__":
    main(sys.argv[1:])
