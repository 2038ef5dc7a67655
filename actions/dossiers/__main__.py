"""Command line for the embedded dossier database.

    .venv/bin/python -m actions.dossiers import FILE.csv   # upsert a one-stop export
    .venv/bin/python -m actions.dossiers count             # how many dossiers are stored

The database is ``DOSSIER_DB_URL`` (default ``var/dossiers.sqlite3``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from actions.dossiers.csv_import import import_file
from actions.dossiers.store import DossierStore
from records.database import make_engine


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.dossiers", description="Embedded dossier database.")
    commands = parser.add_subparsers(dest="command", required=True)
    importer = commands.add_parser("import", help="import a UTF-8 CSV export (all rows or none)")
    importer.add_argument("file", type=Path)
    commands.add_parser("count", help="number of stored dossiers")
    args = parser.parse_args(argv)

    store = DossierStore(make_engine())
    if args.command == "count":
        print(store.count())
        return 0
    report, result = import_file(args.file, store)
    if result is None:
        print(f"Không nhập hồ sơ nào: {len(report.errors)} lỗi trong {args.file}", file=sys.stderr)
        for error in report.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    print(
        f"Đã nhập {len(report.dossiers)} hồ sơ từ {args.file}: "
        f"{result.inserted} hồ sơ mới, {result.updated} hồ sơ cập nhật."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
