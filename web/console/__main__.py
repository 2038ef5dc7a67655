"""Console accounts from the command line.

    .venv/bin/python -m web.console add-user NAME [--role editor|admin]

The password is read from standard input (one line), or asked for twice at
a terminal; it never appears in the shell history.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Sequence

from web.console.accounts import ROLES, Accounts, make_engine


def _password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu: ")
    if first != getpass.getpass("Nhập lại mật khẩu: "):
        raise ValueError("Hai lần nhập mật khẩu không giống nhau.")
    return first


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.console")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-user", help="create a console account")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="editor")
    args = parser.parse_args(argv)
    try:
        user = Accounts(make_engine()).add_user(args.name, _password(), args.role)
    except ValueError as exc:
        print(f"Không tạo được tài khoản: {exc}", file=sys.stderr)
        return 1
    print(f"Đã tạo tài khoản {user.name} ({user.role}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
