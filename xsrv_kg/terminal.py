"""What the CLI writes to a terminal and reads from its arguments: UTF-8, whatever the locale.

Chinese text must print under ``LANG=C`` too, and a reader that goes away (``| head``) must
not leave a traceback, so output goes out as bytes through :func:`write_bytes`.
"""

from __future__ import annotations

import os
import sys


def write_bytes(data: bytes, *, err: bool = False) -> None:
    """Write bytes to stdout (or stderr), bypassing the locale's text encoding."""
    stream = (sys.stderr if err else sys.stdout).buffer
    try:
        stream.write(data)
        stream.flush()
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, like other Unix tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None


def echo(text: str, *, err: bool = False) -> None:
    """Write text as UTF-8, ending with a newline.

    ``surrogateescape`` gives back the original bytes of arguments and file names that a
    non-UTF-8 locale could not decode (they reappear in error messages).
    """
    if text and not text.endswith("\n"):
        text += "\n"
    write_bytes(text.encode("utf-8", "surrogateescape"), err=err)


def argument_text(text: str) -> str:
    """Undo the ``surrogateescape`` decoding a non-UTF-8 locale applies to ``sys.argv``.

    Query text typed in a UTF-8 terminal reaches Python as lone surrogates under ``LANG=C``;
    pyoxigraph cannot take those, so the bytes are decoded again, as UTF-8.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "replace")
    return text
