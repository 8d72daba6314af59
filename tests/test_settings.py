"""Every ``XSRV_*`` variable the package reads is listed where a reader looks for it:
``Config.from_env``'s docstring and the README's *Settings* table."""

from __future__ import annotations

import re
from pathlib import Path

from xsrv_kg.config import Config

VARIABLE = re.compile(r"XSRV_[A-Z_]+")
README = Path(__file__).resolve().parent.parent / "README.md"


class Asked(dict[str, str]):
    """An empty environment that records every variable asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self.names.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.names.add(key)
        return super().__getitem__(key)


def test_every_variable_read_is_listed() -> None:
    env = Asked()
    Config.from_env(env)
    read = {n for n in env.names if n.startswith("XSRV_")}
    assert len(read) >= 18, read
    assert set(VARIABLE.findall(Config.from_env.__doc__ or "")) == read
    text = README.read_text(encoding="utf-8")
    settings = text[text.index("### Settings"):]
    settings = settings[:settings.index("\n#", 1)]
    assert set(VARIABLE.findall(settings)) == read
