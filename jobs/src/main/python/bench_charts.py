#!/usr/bin/env python3
"""Charts of a bench run (`./atl03 bench`): bench_charts.py RESULTS.json OUT_DIR

chart-Q1.png … chart-Q5.png: median seconds per cell as grouped bars (a group per format, a bar per reader, min–max
as error bars), log scale when the times span more than 20×; chart-Q6.png: throughput vs granule count per reader ×
format × master; chart-crossover.png: where Spark pays off, median seconds vs photons in the beam per reader ×
storage (log-log). Only measured cells are drawn; the report lists n/a and could-not-run cells.
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def grouped_bars(query, cells, out):
    formats = [f for f in dict.fromkeys(c["format"] for c in cells)]
    readers = [r for r in dict.fromkeys(c["reader"] for c in cells)]
    width = 0.8 / max(1, len(readers))
    fig, ax = plt.subplots(figsize=(max(6, 1.3 * len(formats) + 2), 4.5))
    medians = [c["median_seconds"] for c in cells]
    for i, reader in enumerate(readers):
        xs, ys, lo, hi = [], [], [], []
        for j, fmt in enumerate(formats):
            for c in cells:
                if c["reader"] == reader and c["format"] == fmt:
                    xs.append(j - 0.4 + width * (i + 0.5))
                    ys.append(c["median_seconds"])
                    lo.append(c["median_seconds"] - c["min_seconds"])
                    hi.append(c["max_seconds"] - c["median_seconds"])
        if xs:
            ax.bar(xs, ys, width, yerr=[lo, hi], capsize=2, label=reader)
    ax.set_xticks(range(len(formats)))
    ax.set_xticklabels(formats, rotation=20)
    ax.set_ylabel("median seconds (min–max)")
    if medians and max(medians) / max(min(medians), 1e-9) > 20:
        ax.set_yscale("log")
        ax.set_ylabel("median seconds, log scale (min–max)")
    ax.set_title(query + ": " + str(cells[0]["photons"]) + " photons")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "chart-" + query + ".png"), dpi=110)
    plt.close(fig)


def scaling(cells, out):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    series = {}
    for c in cells:
        series.setdefault((c["reader"], c["format"], c["master"]), []).append(
            (c["granules"], c["photons_per_second"] / 1e6))
    for (reader, fmt, master), points in series.items():
        points.sort()
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label="%s × %s, %s" % (reader, fmt, master))
    ax.set_xlabel("granules")
    ax.set_ylabel("M photons/s (median)")
    ax.set_title("Q6: throughput vs granule count and executor cores")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "chart-Q6.png"), dpi=110)
    plt.close(fig)


def crossover(run, out):
    points = [p for p in run["crossover"]["points"] if p["status"] == "ok"]
    if not points:
        return
    fig, ax = plt.subplots(figsize=(7.5, 5))
    series = {}
    for p in points:
        series.setdefault((p["reader"], p["storage"]), []).append((p["photons"], p["median_seconds"]))
    colors = {}
    for (reader, storage), xy in series.items():
        xy.sort()
        color = colors.setdefault(reader, "C%d" % len(colors))
        ax.plot([x for x, _ in xy], [y for _, y in xy], marker="o", color=color,
                linestyle="-" if storage == "local" else "--", label="%s, %s" % (reader, storage))
    for c in run["crossover"]["crossings"]:
        if c["kind"] == "between":
            ax.axvline(c["photons"], color="grey", linestyle=":", linewidth=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("photons in the beam read (log)")
    ax.set_ylabel("median seconds (log)")
    ax.set_title("Where Spark pays off: one beam's mean h_ph vs its photons\n(dotted: measured crossovers)",
                 fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "chart-crossover.png"), dpi=110)
    plt.close(fig)


def main(results, out):
    with open(results) as f:
        run = json.load(f)
    measured = [c for c in run["cells"] if c["status"] == "ok"]
    for query in ["Q1", "Q2", "Q3", "Q4", "Q5"]:
        cells = [c for c in measured if c["query"] == query]
        if cells:
            grouped_bars(query, cells, out)
    q6 = [c for c in measured if c["query"] == "Q6"]
    if q6:
        scaling(q6, out)
    if run.get("crossover"):
        crossover(run, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
