"""Build hook: the wheel carries the project's data folders.

The top-level folders (ontology/, data/, shapes/, queries/, web/, templates/) stay the source
of truth in the repository; building copies them into the package as ``xsrv_kg/_home/``, which
:data:`xsrv_kg.config.DEFAULT_HOME` finds when the package is installed outside a checkout.
An editable install (``pip install -e .``) copies nothing: it runs on the checkout itself.
Everything else about the package is declared in setup.cfg.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

#: The folders a running service reads, relative to the project home (see xsrv_kg/config.py).
HOME_FOLDERS = ("ontology", "data", "shapes", "queries", "web", "templates")
HOME_PACKAGE_DIR = Path("xsrv_kg") / "_home"


class BuildWithHome(build_py):
    """``build_py`` that also copies the home folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / HOME_PACKAGE_DIR
        for name in HOME_FOLDERS:
            source = root / name
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing: the wheel needs it")
            if (target / name).exists():
                shutil.rmtree(target / name)
            shutil.copytree(source, target / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.py[cod]"))


setup(cmdclass={"build_py": BuildWithHome})
