"""A worker of :func:`zsanalytics.ingest`: reads the files of one job and writes what they
gave, pickled. Run by ingest itself as ``python -m zsanalytics._ingest_worker JOB OUT``; JOB and
OUT are files in a private temporary folder that ingest made (and only ingest reads OUT)."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path


def main(job: str, out: str) -> None:
    from zsanalytics.store import _read_file

    task = pickle.loads(Path(job).read_bytes())
    reads = [_read_file(Path(p), currency=task["currency"], year=task["year"])
             for p in task["paths"]]
    Path(out).write_bytes(pickle.dumps(reads, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main(*sys.argv[1:3])
