"""``python -m xsrv_kg`` runs the CLI (handy before the package is installed)."""

from .cli import main

# Guarded: query worker processes re-import the main module and must not run the CLI.
if __name__ == "__main__":
    main(prog_name="xsrv-kg")
