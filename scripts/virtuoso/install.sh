#!/usr/bin/env bash
# Install OpenLink Virtuoso Open Source (Debian's virtuoso-opensource) if virtuoso-t or
# isql-vt is missing: apt-get, non-interactive, the package's dba password question answered
# beforehand (debconf) with $VIRTUOSO_DBA_PASSWORD (default dba); through sudo when not root.
# Used by setup.sh and .ci/run. Exits non-zero, with the reason, if it cannot install.
#
# usage: install.sh
#
# Debian's postinst starts the package's own system instance to set that password; where no
# service may start (containers and CI: policy-rc.d answers 101, "invoke-rc.d: policy-rc.d
# denied execution of start"), it cannot, and debconf prints "Unable to set password for the
# Virtuoso DBA user". Harmless here: setup.sh's private instances set their own password, and
# the system instance (port 1111/8890) is never used. See scripts/virtuoso/README.md.

set -euo pipefail
die() { echo "install.sh: $*" >&2; exit 1; }

if command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null; then
    exit 0
fi
password=${VIRTUOSO_DBA_PASSWORD:-dba}
sudo=()
if ((EUID != 0)); then
    command -v sudo >/dev/null || die "not root and no sudo: install virtuoso-opensource as root"
    sudo=(sudo)
fi
command -v apt-get >/dev/null || die "no apt-get: install Virtuoso Open Source 7 by hand"
echo "install.sh: installing virtuoso-opensource (Debian package)…" >&2
printf '%s\n' \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password $password" \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password $password" \
    | "${sudo[@]}" debconf-set-selections
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends virtuoso-opensource >&2
command -v virtuoso-t >/dev/null || die "virtuoso-t still missing after the install"
