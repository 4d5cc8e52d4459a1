"""Speed and memory of the gapcheck pipeline on the real operator terms.

Re-run with:  python benchmarks/pipeline_speed.py [--data ../shared/data/operator_terms]

It measures, each time in a fresh process exactly as a user runs it:
  * cold ``gapcheck analyze`` of the largest policy set (new process, model loaded from
    disk) with an empty embedding cache (first run ever) and with the catalog cached;
  * ``gapcheck batch`` over all policy sets (model loaded once): sets per minute;
  * peak resident memory of each command.
Results are printed as a Markdown table and written to benchmarks/results/pipeline_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "operator_terms"


def words_in(folder: Path) -> int:
    return sum(
        len(p.read_text(encoding="utf-8", errors="replace").split()) for p in folder.iterdir()
    )


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command in its own process."""
    wrapper = [
        sys.executable,
        "-c",
        "import resource, subprocess, sys, json;"
        "r = subprocess.run(sys.argv[1:]);"
        "print(json.dumps([r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))",
        *command,
    ]
    start = time.perf_counter()
    result = subprocess.run(wrapper, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    returncode, max_rss_kb = json.loads(result.stdout.strip().splitlines()[-1])
    if returncode not in (0, 1):
        raise SystemExit(f"command failed ({returncode}): {' '.join(command)}\n{result.stderr}")
    return elapsed, max_rss_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sets = sorted(p for p in args.data.iterdir() if p.is_dir())
    largest = max(sets, key=words_in)
    gapcheck = [sys.executable, "-m", "gapcheck"]
    results: dict[str, object] = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "largest_set": largest.name,
        "largest_set_words": words_in(largest),
        "policy_sets": len(sets),
        "total_words": sum(words_in(s) for s in sets),
    }
    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        env = {
            **os.environ,
            "GAPCHECK_CACHE_DIR": str(scratch_dir / "cache"),
            "HF_HUB_OFFLINE": "1",
        }
        files = [str(p) for p in sorted(largest.iterdir())]
        analyze = [*gapcheck, "analyze", *files, "-o", str(scratch_dir / "r.json"), "--quiet"]
        first_time, first_rss = run(analyze, env)
        cached = [run(analyze, env) for _ in range(args.repeat)]
        results["analyze_first_run_s"] = round(first_time, 2)
        results["analyze_cold_s"] = round(statistics.median(t for t, _ in cached), 2)
        results["analyze_peak_rss_mb"] = round(max([first_rss, *(m for _, m in cached)]), 0)

        batch_in = scratch_dir / "operators"
        batch_in.mkdir()
        for policy_set in sets:
            shutil.copytree(policy_set, batch_in / policy_set.name)
        batch = [
            *gapcheck,
            "batch",
            str(batch_in),
            "-o",
            str(scratch_dir / "out"),
            "--format",
            "json",
            "--quiet",
        ]
        batch_time, batch_rss = run(batch, env)
        results["batch_total_s"] = round(batch_time, 2)
        results["batch_sets_per_minute"] = round(60 * len(sets) / batch_time, 1)
        results["batch_peak_rss_mb"] = round(batch_rss, 0)
    out = ROOT / "benchmarks" / "results" / "pipeline_speed.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("| measure | value |\n|---|---|")
    for key, value in results.items():
        print(f"| {key} | {value} |")


if __name__ == "__main__":
    main()
