#!/usr/bin/env bash
# Stop the private Virtuoso instance that scripts/virtuoso/setup.sh started in DIR.
#
# usage: stop.sh [--purge] DIR
#
#   --purge   remove DIR afterwards (the database with it)
#
# Sends SIGTERM to the pid in DIR/db/virtuoso.lck (Virtuoso then shuts down cleanly and
# removes the lock file), waits up to 30 s, then SIGKILL. Stopping an instance that does not
# run is not an error.

set -euo pipefail

purge=0
if [[ ${1:-} == --purge ]]; then purge=1; shift; fi
if [[ $# -ne 1 || $1 == -h || $1 == --help ]]; then
    sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0" | sed '$d' >&2
    exit 2
fi
dir=$1
lock="$dir/db/virtuoso.lck"

pid=$(sed -n 's/^VIRT_PID=//p' "$lock" 2>/dev/null || true)
if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    # Only a virtuoso-t process: a stale lock file must not make us kill someone else.
    if [[ $(cat "/proc/$pid/comm" 2>/dev/null || echo virtuoso-t) == virtuoso-t ]]; then
        kill -TERM "$pid"
        for _ in $(seq 1 150); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "stop.sh: pid $pid still running after 30 s: SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
        echo "stop.sh: stopped Virtuoso (pid $pid) in $dir"
    else
        echo "stop.sh: pid $pid in $lock is not virtuoso-t: left alone" >&2
    fi
else
    echo "stop.sh: no Virtuoso running in $dir"
fi
rm -f "$lock"
if ((purge)); then
    rm -rf -- "$dir"
fi
