#!/usr/bin/env python3
"""Charts of a scale-bench run (`./atl03 scale-bench`): scale_charts.py RESULTS.json OUT_DIR

chart-planning.png: median planning seconds against the number of granules, from the files and from the catalog,
per store (local disk, S3 behind the latency proxy) and query (1 % bbox, full scan), log–log.
chart-scaling.png: full-scan throughput on the standalone cluster with 1 and 2 executors, per set of granules.
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def planning(runs, out):
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
    for ax, query in zip(axes, ["1 % bbox", "full scan"]):
        series = {}
        for r in runs:
            if r["query"] == query:
                series.setdefault((r["store"], r["source"]), []).append((r["granules"], r["planning_median_s"]))
        for (store, source), points in sorted(series.items()):
            points.sort()
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o",
                    linestyle="-" if source == "catalog" else "--", label="%s, from the %s" % (store, source))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("granules")
        ax.set_title("planning a " + query)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    axes[0].set_ylabel("median planning seconds on the driver")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "chart-planning.png"), dpi=110)
    plt.close(fig)


def scaling(sets, out):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    labels = ["%d × %s" % (s["granules"], format(s["photons_per_strong_beam"], ",")) for s in sets]
    xs = range(len(sets))
    one = [s["photons"] / s["one_executor_median_s"] / 1e6 for s in sets]
    two = [s["photons"] / s["two_executors_median_s"] / 1e6 for s in sets]
    ax.bar([x - 0.2 for x in xs], one, 0.4, label="1 executor")
    ax.bar([x + 0.2 for x in xs], two, 0.4, label="2 executors")
    for x, s in zip(xs, sets):
        ax.annotate("%.2f×" % s["speedup"], (x + 0.2, two[x]), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(xs))
    ax.set_xticklabels(labels)
    ax.set_xlabel("granules × photons per strong beam")
    ax.set_ylabel("M photons/s (median), full scan")
    ax.set_title("executor scaling on the standalone cluster")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "chart-scaling.png"), dpi=110)
    plt.close(fig)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        results = json.load(f)
    out = sys.argv[2]
    if results.get("planning"):
        planning(results["planning"], out)
    if results.get("executor_scaling"):
        scaling(results["executor_scaling"], out)


if __name__ == "__main__":
    main()
