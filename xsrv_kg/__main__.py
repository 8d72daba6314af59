"""``python -m xsrv_kg`` runs the CLI (handy before the package is installed)."""

from .cli import main

main(prog_name="xsrv-kg")
