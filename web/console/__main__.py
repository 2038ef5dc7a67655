"""Console accounts from the command line.

    .venv/bin/python -m web.console add-user NAME [--role editor|admin]
    .venv/bin/python -m web.console totp-enable NAME [--replace]
    .venv/bin/python -m web.console totp-disable NAME

The password is read from standard input (one line), or asked for twice at
a terminal; it never appears in the shell history. ``totp-enable`` turns on
two-step log-in for an account and prints the otpauth:// URI to add to an
authenticator app (it carries the secret: give it to the account's owner only).
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


def _add_user(args: argparse.Namespace) -> int:
    try:
        user = Accounts(make_engine()).add_user(args.name, _password(), args.role)
    except ValueError as exc:
        print(f"Không tạo được tài khoản: {exc}", file=sys.stderr)
        return 1
    print(f"Đã tạo tài khoản {user.name} ({user.role}).")
    return 0


def _totp_enable(args: argparse.Namespace) -> int:
    accounts = Accounts(make_engine())
    try:
        uri = accounts.enable_totp(args.name, replace=args.replace)
    except ValueError as exc:
        print(f"Không bật được đăng nhập hai bước: {exc}", file=sys.stderr)
        return 1
    if not accounts.encrypts_totp_secrets:
        print("Lưu ý: CONSOLE_TOTP_KEY chưa đặt, mã bí mật được lưu không mã hóa trong cơ sở dữ liệu.", file=sys.stderr)
    print(f"Đã bật đăng nhập hai bước cho {args.name}; các phiên đang mở của tài khoản đã kết thúc.")
    print("Thêm vào ứng dụng xác thực (Google Authenticator, Microsoft Authenticator, FreeOTP…) địa chỉ sau,")
    print("chỉ giao cho chủ tài khoản, không lưu ở nơi khác:")
    print(uri)
    return 0


def _totp_disable(args: argparse.Namespace) -> int:
    try:
        was_on = Accounts(make_engine()).disable_totp(args.name)
    except ValueError as exc:
        print(f"Không tắt được đăng nhập hai bước: {exc}", file=sys.stderr)
        return 1
    print(f"Đã tắt đăng nhập hai bước cho {args.name}." if was_on
          else f"Tài khoản {args.name} chưa bật đăng nhập hai bước.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.console")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-user", help="create a console account")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="editor")
    add.set_defaults(run=_add_user)
    enable = commands.add_parser("totp-enable", help="turn on two-step log-in (TOTP) and print the otpauth:// URI")
    enable.add_argument("name")
    enable.add_argument("--replace", action="store_true", help="enrol again with a new secret")
    enable.set_defaults(run=_totp_enable)
    disable = commands.add_parser("totp-disable", help="turn off two-step log-in")
    disable.add_argument("name")
    disable.set_defaults(run=_totp_disable)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
