"""The package as a new user gets it: `python -m build`, the wheel installed in a fresh venv,
the commands run from a temporary directory on the data the wheel ships.

The venv sees the installed dependencies (``--system-site-packages``) so nothing is
downloaded but the build backend; ``pip install --no-index`` proves the wheel needs nothing
else. Each command's output is compared with the same command run from the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from benchmarks.support import free_port, stop, wait_until_up
from xsrv_kg.config import DEFAULT_HOME

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
#: The folders setup.py copies into the wheel as xsrv_kg/_home/.
HOME_FOLDERS = ("ontology", "data", "shapes", "queries", "web", "templates")


def _home_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix()
            for name in HOME_FOLDERS for p in (root / name).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


@dataclass
class Installed:
    dist: Path
    venv: Path
    workdir: Path  # an empty temporary directory, outside the checkout

    @property
    def wheel(self) -> Path:
        return next(self.dist.glob("xsrv_kg-*.whl"))

    @property
    def sdist(self) -> Path:
        return next(self.dist.glob("xsrv_kg-*.tar.gz"))

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def command(self) -> Path:
        return self.venv / "bin" / "xsrv-kg"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment without anything that points at the checkout."""
        env = {k: v for k, v in os.environ.items()
               if k not in {"PYTHONPATH", "XSRV_HOME"} and not k.startswith("XSRV_")}
        return {**env, **extra}

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([str(self.command), *args], cwd=self.workdir,
                              env=self.env(**extra), capture_output=True, timeout=300)


def _checkout(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The same command run on the checkout (this tree)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XSRV_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "xsrv_kg", *args], cwd=ROOT, env=env,
                          capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    dist, venv, workdir = base / "dist", base / "venv", base / "work"
    workdir.mkdir()
    built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, timeout=300)
    one = Installed(dist, venv, workdir)
    pip = subprocess.run([str(one.python), "-m", "pip", "install", "--no-index",
                          str(one.wheel)], capture_output=True, text=True, timeout=300,
                         env=one.env())
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    return one


def test_the_wheel_carries_every_file_of_the_home_folders(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        shipped = {n.removeprefix("xsrv_kg/_home/") for n in wheel.namelist()
                   if n.startswith("xsrv_kg/_home/")}
        names = set(wheel.namelist())
    assert shipped == _home_files(ROOT)
    # The package's own templates and queries, and the command.
    assert "xsrv_kg/templates/base.html" in names
    assert any(n.startswith("xsrv_kg/sparql/") and n.endswith(".rq") for n in names)
    assert "xsrv_kg/sparql/draft-decide.ru" in names  # the draft review's update


def test_the_sdist_carries_the_home_folders_the_wheel_is_built_from(
        installed: Installed) -> None:
    with tarfile.open(installed.sdist) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        names = {n.removeprefix(top + "/") for n in sdist.getnames()}
    assert _home_files(ROOT) <= names
    assert {"setup.py", "setup.cfg", "pyproject.toml", "README.md", "LICENSE"} <= names


def test_the_metadata_is_what_pypi_shows(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        meta_name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(meta_name).decode("utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Requires-Python: >=3.10" in metadata
    assert "Description-Content-Type: text/markdown" in metadata
    assert readme.splitlines()[0] in metadata  # the long description is the README
    assert any(line.startswith(("License: MIT", "License-Expression: MIT"))
               for line in metadata.splitlines())
    assert "Project-URL: Source, " in metadata
    assert "Classifier: Programming Language :: Python :: 3 :: Only" in metadata
    assert "Provides-Extra: pandas" in metadata


def test_the_installed_package_runs_from_the_venv_on_its_shipped_home(
        installed: Installed) -> None:
    probe = subprocess.run(
        [str(installed.python), "-c",
         "import xsrv_kg, xsrv_kg.config as c; print(xsrv_kg.__file__); print(c.DEFAULT_HOME)"],
        cwd=installed.workdir, env=installed.env(), capture_output=True, text=True, check=True)
    module, home = (Path(line) for line in probe.stdout.splitlines())
    site = installed.venv.resolve()
    assert module.resolve().is_relative_to(site), module
    assert home == module.parent / "_home"
    assert _home_files(home) == _home_files(ROOT)


@pytest.mark.parametrize("args", [
    ("validate",),
    ("validate", "--format", "json", "--lang", "en"),
    ("query", "townships-by-category.rq", "--format", "csv"),
    ("export", "--part", "data", "--format", "nquads"),
    ("link", "--report"),
], ids=lambda args: "-".join(args[:2]))
def test_a_command_from_a_temporary_directory_gives_what_the_checkout_gives(
        installed: Installed, args: tuple[str, ...]) -> None:
    got = installed.run(*args)
    expected = _checkout(*args)
    assert expected.returncode == 0, expected.stderr.decode("utf-8", "replace")
    assert got.returncode == 0, got.stderr.decode("utf-8", "replace")
    if args[0] == "export":  # blank node labels differ from run to run
        assert _dataset(got.stdout) == _dataset(expected.stdout)
    else:
        assert got.stdout == expected.stdout
    assert got.stdout.strip()


def _dataset(nquads: bytes) -> ox.Dataset:
    dataset = ox.Dataset(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def test_xsrv_home_points_the_installed_command_at_a_working_copy(
        installed: Installed, tmp_path: Path) -> None:
    for name in HOME_FOLDERS:
        shutil.copytree(DEFAULT_HOME / name, tmp_path / name)
    (tmp_path / "queries" / "my-own.rq").write_text(
        "SELECT (COUNT(*) AS ?townships) WHERE { ?t a xsrv:TownshipLevelDivision }\n", encoding="utf-8")
    mine = installed.run("query", "my-own.rq", "--format", "csv", XSRV_HOME=str(tmp_path))
    assert mine.returncode == 0, mine.stderr.decode("utf-8", "replace")
    same = _checkout("query", (tmp_path / "queries" / "my-own.rq").as_posix(),
                     "--format", "csv")
    assert mine.stdout == same.stdout
    # Without XSRV_HOME the shipped copy has no such query.
    assert installed.run("query", "my-own.rq").returncode != 0


def test_serve_from_the_wheel_answers_a_query_over_http_and_stops(installed: Installed) -> None:
    port = free_port()
    process = subprocess.Popen(
        [str(installed.command), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=installed.workdir, env=installed.env(), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    query = (DEFAULT_HOME / "queries" / "township-codes.rq").read_text(encoding="utf-8")
    try:
        wait_until_up(url + "/sparql", process)
        answer = requests.post(url + "/sparql", data={"query": query},
                               headers={"Accept": "application/sparql-results+json"},
                               timeout=60)
        home_css = requests.get(url + "/static/xsrv.css", timeout=60)
    finally:
        stopped = stop(process)
    assert stopped, "serve did not stop on SIGTERM"
    assert process.returncode == 0
    assert answer.status_code == 200, answer.text
    expected = _checkout("query", "township-codes.rq", "--format", "json")
    assert json.loads(answer.content) == json.loads(expected.stdout)
    assert home_css.status_code == 200  # web/ comes from the shipped copy too
    assert home_css.content == (DEFAULT_HOME / "web" / "xsrv.css").read_bytes()
