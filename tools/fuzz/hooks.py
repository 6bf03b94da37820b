"""Schemathesis hooks for `npm run fuzz`: a check that a rejected request wrote nothing.

The API's durable writes land in two SQLite files of its DATA_DIR: the event
log (events.sqlite) and the data keys (keys.sqlite). `PRAGMA data_version`
on a connection of ours changes exactly when another connection commits to
that file, so reading it before and after each call tells whether the call
committed anything. Cases run one at a time (--workers 1) and the projections
write only read-models.sqlite, so a change during a call is that call's.
"""

import atexit
import json
import os
import sqlite3

import schemathesis
from schemathesis import Case, CheckContext, Response

DATA_DIR = os.environ["FUZZ_DATA_DIR"]
WRITE_STORES = ("events.sqlite", "keys.sqlite")

_connections = {}
_before = {}
# Figures the runner reads back (rejected calls checked, writes seen by accepted ones).
_stats = {"rejected_checked": 0, "accepted_writes": 0}


def _versions():
    versions = {}
    for name in WRITE_STORES:
        connection = _connections.get(name)
        if connection is None:
            path = os.path.join(DATA_DIR, name)
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            _connections[name] = connection
        versions[name] = connection.execute("PRAGMA data_version").fetchone()[0]
    return versions


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    _before[id(case)] = _versions()


@schemathesis.check
def no_write_on_rejection(ctx: CheckContext, response: Response, case: Case):
    before = _before.pop(id(case), None)
    if before is None:
        return None
    after = _versions()
    written = [name for name in WRITE_STORES if after[name] != before[name]]
    if response.status_code < 400:
        if written:
            _stats["accepted_writes"] += 1
        return None
    _stats["rejected_checked"] += 1
    if written:
        raise AssertionError(
            f"{case.method} {case.formatted_path} answered {response.status_code} "
            f"but committed to {', '.join(written)}"
        )
    return None


def _report():
    path = os.environ.get("FUZZ_STATS_FILE")
    if path:
        with open(path, "w") as out:
            json.dump({"rejectedChecked": _stats["rejected_checked"], "acceptedWrites": _stats["accepted_writes"]}, out)


atexit.register(_report)
