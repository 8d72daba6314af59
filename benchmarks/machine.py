"""The machine a benchmark ran on, as every benchmark prints it: CPU, cores, RAM, versions,
the commit, the load average and a pure-Python speed probe (compare start and end to see a
shared machine drift)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import time
from importlib import metadata
from pathlib import Path

from benchmarks import wrk
from benchmarks.support import oxigraph_executable

ROOT = Path(__file__).resolve().parent.parent


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _oxigraph_cli() -> str:
    exe = oxigraph_executable()
    if not exe:
        return "not installed"
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or out.stderr.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages: other work on the box skews every cell."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def speed_probe() -> str:
    """Seconds for a fixed pure-Python loop: compare start and end to see the box drift."""
    began = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i
    return f"{time.perf_counter() - began:.3f} s for 3M Python additions"


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine() -> dict[str, str]:
    ram = _first("/proc/meminfo", "MemTotal:")
    if ram != "unknown":
        ram = f"{int(ram.split()[0]) / 1024 / 1024:.1f} GiB"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        commit = ""
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "xsrv-kg": f"{_version('xsrv-kg')} at commit {commit or 'unknown'}",
        "cpu": _first("/proc/cpuinfo", "model name"),
        "cores": f"{os.cpu_count()} logical, {usable or '?'} usable by this process "
                 "(shared by the clients and the server)",
        "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": ", ".join(f"{d} {_version(d)}" for d in
                              ("pyoxigraph", "rdflib", "flask", "waitress", "granian")),
        "oxigraph server": f"{_oxigraph_cli()} (PyPI package oxigraph {_version('oxigraph')})",
        "load generator": wrk.version(),
        "load average at start": loadavg(),
        "speed probe at start": speed_probe(),
    }
