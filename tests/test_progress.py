"""Progress on long work: the library reports through a callback, the command draws click's
progress bars on a terminal only, and ``--quiet`` silences them."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from xsrv_kg.config import Config
from xsrv_kg.progress import CHECKING, READING, WRITING
from xsrv_kg.sources.loader import load_project, project_files, push
from xsrv_kg.store import open_store
from xsrv_kg.validation import validate

from .conftest import Runner

ROOT = Path(__file__).resolve().parent.parent


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.calls.append((stage, done, total))

    def stage(self, name: str) -> list[tuple[int, int]]:
        return [(done, total) for stage, done, total in self.calls if stage == name]


def _ends_complete(steps: list[tuple[int, int]]) -> None:
    assert steps, "the stage was not reported"
    dones = [done for done, _ in steps]
    assert dones == sorted(dones)
    assert len({total for _, total in steps}) == 1
    assert steps[-1][0] == steps[-1][1]


def test_loading_reports_the_bytes_read_up_to_the_files_total(config: Config) -> None:
    recorder = Recorder()
    store = open_store("memory")
    try:
        sources = load_project(store, config, progress=recorder)
    finally:
        store.close()
    steps = recorder.stage(READING)
    _ends_complete(steps)
    assert steps[-1][1] == sum(s.path.stat().st_size for s in sources)
    assert len(steps) == len(sources)
    assert {stage for stage, _, _ in recorder.calls} == {READING}


def test_pushing_reports_reading_then_the_quads_written(config: Config, tmp_path: Path) -> None:
    recorder = Recorder()
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    try:
        pushed = push(store, project_files(config), progress=recorder)
    finally:
        store.close()
    _ends_complete(recorder.stage(READING))
    written = recorder.stage(WRITING)
    _ends_complete(written)
    assert written[-1][1] == sum(count for _, count, _ in pushed)
    assert [done for done, _ in written] == \
        [sum(count for _, count, _ in pushed[:i + 1]) for i in range(len(pushed))]
    first_write = next(i for i, call in enumerate(recorder.calls) if call[0] == WRITING)
    assert all(call[0] == WRITING for call in recorder.calls[first_write:])


def test_validation_reports_each_check_of_the_store_engine(store, config: Config) -> None:
    recorder = Recorder()
    report = validate(store, config, engine="store", progress=recorder)
    steps = recorder.stage(CHECKING)
    _ends_complete(steps)
    assert [done for done, _ in steps] == list(range(1, steps[-1][1] + 1))
    assert report.conforms


@pytest.mark.parametrize("args", [["validate"], ["export", "--part", "data"],
                                  ["query", "ASK {}"]])
def test_nothing_is_drawn_when_stderr_is_not_a_terminal(runner: Runner, args: list[str]
                                                        ) -> None:
    result = runner.invoke(args=args)
    assert result.exit_code == 0
    assert result.stderr == ""


def _on_a_terminal(*args: str) -> str:
    """stderr of ``xsrv-kg ARGS`` run with a pseudo-terminal as its stderr."""
    main, child = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "xsrv_kg", *args], cwd=ROOT, env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=child)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_validate_on_a_terminal_draws_a_bar_per_stage_and_quiet_draws_none() -> None:
    drawn = _on_a_terminal("validate")
    assert READING in drawn and CHECKING in drawn
    assert "/s" in drawn  # the rate
    # Each stage ends complete: position equals length on its last drawing.
    for stage in (READING, CHECKING):
        last = drawn.split(stage)[-1].split("\r")[0]
        position = last.split("]")[1].split()[0]
        done, total = position.split("/")
        assert done == total, last
    assert _on_a_terminal("validate", "--quiet") == ""
