"""The ``frontdoor`` command. Its sub-commands and their JSON shapes are a stable contract."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any, TextIO

import anyio

from bot.replies import render_plain
from core.logs import configure_logging
from core.settings import Settings, SettingsError, load_settings
from core.text import MAX_ADDRESS_CHARS

__all__ = ["main"]

CHANNELS = ("sms", "telegram")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        configure_logging(load_settings().log_level, stream=sys.stderr)
    except SettingsError as exc:  # a bad environment value: one line naming the variable, no traceback
        sys.stderr.write(f"frontdoor: {exc}\n")
        return 2
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        result: int = args.run(args)
    except KeyboardInterrupt:
        return 130
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="frontdoor", description="Frontdoor: a front door for advice networks.")
    sub = parser.add_subparsers(title="commands")

    p = sub.add_parser("simulate", help="run JSON lines from stdin through the bot, one JSON line out per input")
    p.set_defaults(run=_simulate)

    p = sub.add_parser("chat", help="talk to the bot at this terminal, as a client would")
    p.add_argument("--from", dest="sender", default="console-user", help="client id (default: console-user)")
    p.add_argument("--channel", choices=CHANNELS, default="sms")
    p.set_defaults(run=_chat)

    p = sub.add_parser("serve", help="serve the web app (webhooks, simulator, health); FRONTDOOR_WEB_WORKERS "
                                     "processes on PostgreSQL")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(run=_serve)

    referrals = sub.add_parser("referrals", help="referral records").add_subparsers(title="referrals commands")
    p = referrals.add_parser("export", help="every referral as a JSON array")
    p.add_argument("--format", choices=("json",), default="json")
    p.set_defaults(run=_referrals_export)

    directory = sub.add_parser("directory", help="the service directory").add_subparsers(title="directory commands")
    p = directory.add_parser("export", help="the whole directory as HSDS-shaped JSON")
    p.add_argument("--format", choices=("hsds-json",), default="hsds-json")
    p.add_argument("--output", "-o", default="-", help="file to write (default: stdout)")
    p.set_defaults(run=_directory_export)
    p = directory.add_parser("import", help="add or update directory records (by id) from HSDS 3 JSON or a CSV folder")
    p.add_argument("file", metavar="FILE|DIR", help="Frontdoor/HSDS 3 JSON file, or a folder of HSDS CSV files")
    p.add_argument("--partial", action="store_true", help="import the valid records and list the problems of the rest")
    p.add_argument("--deactivate-missing", action="store_true",
                   help="mark organisations and services that the file does not name as inactive (never deleted)")
    p.add_argument("--max-mb", type=float, default=20.0, help="largest file accepted, in MB (default: 20)")
    p.set_defaults(run=_directory_import)
    p = directory.add_parser("generate", help="a synthetic directory for load tests (ids syn-..., marked fictional)")
    p.add_argument("--services", type=int, required=True, metavar="N", help="how many services to make")
    p.add_argument("--seed", type=int, default=1, help="the same seed always makes the same directory")
    p.add_argument("--output", "-o", default=None,
                   help="write the directory file here instead of importing it into the database")
    p.set_defaults(run=_directory_generate)

    db = sub.add_parser("db", help="database").add_subparsers(title="db commands")
    p = db.add_parser("upgrade", help="apply migrations")
    p.set_defaults(run=_db_upgrade)

    demo = sub.add_parser("demo", help="demo data").add_subparsers(title="demo commands")
    p = demo.add_parser("load", help="load the demo directory (adds or updates its records by id)")
    p.add_argument("--if-empty", action="store_true", help="only when the directory has no organisations yet")
    p.set_defaults(run=_demo_load)

    p = demo.add_parser("staff", help="demo staff sign-ins (one adviser per demo core partner, one network "
                                      "admin), passwords written to var/demo-staff.txt (mode 600)")
    p.add_argument("--if-empty", action="store_true", help="only when there is no staff account yet (the default)")
    p.add_argument("--output", default=None, help="where to write the sign-ins (default: var/demo-staff.txt)")
    p.set_defaults(run=_demo_staff)

    staff = sub.add_parser("staff", help="staff accounts").add_subparsers(title="staff commands")
    p = staff.add_parser("create", help="a new account; prints one JSON line with its id")
    p.add_argument("--email", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=("adviser", "org_admin", "network_admin"))
    p.add_argument("--org", default=None, help="organisation id (advisers and org admins)")
    p.add_argument("--password-stdin", action="store_true", required=True,
                   help="read the password from the first line of stdin (never from the command line)")
    p.set_defaults(run=_staff_create)
    p = staff.add_parser("list", help="every account as JSON lines (no password hashes or secrets)")
    p.set_defaults(run=_staff_list)
    p = staff.add_parser("deactivate", help="stop an account signing in and end its sessions now")
    p.add_argument("email")
    p.set_defaults(run=_staff_deactivate)
    p = staff.add_parser("reset-password", help="set a new password (from stdin); ends the account's sessions")
    p.add_argument("email")
    p.add_argument("--password-stdin", action="store_true", required=True)
    p.set_defaults(run=_staff_reset_password)

    p = sub.add_parser("worker", help="send queued messages (the outbox) until stopped")
    p.set_defaults(run=_worker)

    outbox = sub.add_parser("outbox", help="messages to clients").add_subparsers(title="outbox commands")
    p = outbox.add_parser("problems", help="messages not delivered (dead, failed, undelivered, suppressed) as "
                                           "JSON lines, newest first; no message text, addresses masked")
    p.add_argument("--limit", type=int, default=500, help="at most this many (default: 500)")
    p.set_defaults(run=_outbox_problems)

    tg = sub.add_parser("telegram", help="Telegram bot set-up").add_subparsers(title="telegram commands")
    p = tg.add_parser("set-webhook", help="tell Telegram to deliver updates to URL (with the secret token)")
    p.add_argument("url")
    p.set_defaults(run=_telegram_set_webhook)
    p = tg.add_parser("poll", help="local development: long-poll Telegram instead of a webhook, and send replies")
    p.set_defaults(run=_telegram_poll)

    nlu = sub.add_parser("nlu", help="the Rasa NLU model: train, serve, classify, evaluate")
    nlu_sub = nlu.add_subparsers(title="nlu commands")
    p = nlu_sub.add_parser("classify", help="JSON lines {id, text} in, one JSON line out each (via Rasa)")
    p.add_argument("--url", default=None, help="Rasa server (default: FRONTDOOR_NLU_URL)")
    p.add_argument("--today", default=None, help="date that relative dates count from (YYYY-MM-DD; default today)")
    p.set_defaults(run=_nlu_classify)
    p = nlu_sub.add_parser("train", help="train the model if its data, config or components changed")
    p.add_argument("--force", action="store_true", help="train even when a model for this content is cached")
    p.set_defaults(run=_nlu_train)
    p = nlu_sub.add_parser("serve", help="run a supervised Rasa server on loopback until stopped")
    p.add_argument("--port", type=int, default=None, help="port (default: the one in FRONTDOOR_NLU_URL)")
    p.set_defaults(run=_nlu_serve)
    p = nlu_sub.add_parser("eval", help="score the model on the held-out split and Learned Hands; write results")
    p.add_argument("--out", default=None, help="results folder (default: nlu/eval/results)")
    p.add_argument("--sweep", action="store_true", help="also print a table of decoding thresholds")
    p.set_defaults(run=_nlu_eval)
    p = nlu_sub.add_parser("crossval", help="cross-validate decoding settings on the training data (not held-out)")
    p.add_argument("--folds", type=int, default=3, help="folds over the nlu_*_extra*.yml examples (default 3)")
    p.add_argument("--workers", type=int, default=2, help="folds fitted at once (default 2)")
    p.set_defaults(run=_nlu_crossval)

    p = sub.add_parser("config", help="print the effective settings (secrets masked)")
    p.set_defaults(run=_config)
    return parser


def _emit(stream: TextIO, payload: Any) -> None:
    stream.write(json.dumps(payload, ensure_ascii=False) + "\n")
    stream.flush()


def _simulate(_args: argparse.Namespace) -> int:
    from frontdoor.runtime import build_runtime

    runtime = build_runtime()

    async def run() -> int:
        failures = 0
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            request, error = _parse_simulate_line(line)
            if error is not None:
                failures += 1
                _emit(sys.stdout, {"line": number, "error": error})
                continue
            assert request is not None
            try:
                handled = await runtime.conversations.handle(request["channel"], request["from"], request["text"])
            except Exception:  # one bad turn must not stop the rest of the script
                logging.getLogger("frontdoor.cli").exception("simulate: message failed", extra={"line": number})
                failures += 1
                _emit(sys.stdout, {"from": request["from"], "line": number,
                                   "error": "internal error; nothing was saved for this message"})
                continue
            _emit(sys.stdout, {"from": request["from"], "replies": [render_plain(r) for r in handled.replies]})
        return 1 if failures else 0

    try:
        return anyio.run(run)
    finally:
        runtime.close()


def _parse_simulate_line(line: str) -> tuple[dict[str, str] | None, str | None]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(data, dict):
        return None, "each line must be a JSON object like {\"from\": \"client-1\", \"text\": \"hi\"}"
    sender, text, channel = data.get("from"), data.get("text"), data.get("channel", "sms")
    if not isinstance(sender, str | int) or isinstance(sender, bool) or str(sender).strip() == "":
        return None, "\"from\" must be a non-empty string"
    if not isinstance(text, str):
        return None, "\"text\" must be a string"
    if channel not in CHANNELS:
        return None, f"\"channel\" must be one of {', '.join(CHANNELS)}"
    return {"from": str(sender)[:MAX_ADDRESS_CHARS], "text": text, "channel": channel}, None


def _chat(args: argparse.Namespace) -> int:
    from bot.channels.console import run_console
    from frontdoor.runtime import build_runtime

    runtime = build_runtime()
    try:
        return run_console(runtime.conversations, sender=args.sender, channel=args.channel)
    finally:
        runtime.close()


def _serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    _use_metrics_dir(settings, clean=True)  # the parent, before its web workers start: last run's files go
    from frontdoor.serve import serve

    updates: dict[str, Any] = {}
    if args.host:  # the app must know where it listens: the simulator is on by default only on loopback
        updates["host"] = args.host
    if args.port:
        updates["port"] = args.port
    return serve(settings.model_copy(update=updates))


def _use_metrics_dir(settings: Settings, *, clean: bool = False) -> None:
    """FRONTDOOR_METRICS_DIR, applied before the app (and so prometheus_client) is imported."""
    from frontdoor.metrics_dir import use_metrics_dir

    use_metrics_dir(settings, clean=clean)


def _referrals_export(_args: argparse.Namespace) -> int:
    from frontdoor.referral_export import export_referrals
    from frontdoor.runtime import build_runtime

    runtime = build_runtime()
    try:
        with runtime.sessions() as session:
            json.dump(export_referrals(session), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
    finally:
        runtime.close()
    return 0


def _directory_export(args: argparse.Namespace) -> int:
    from directory.exporter import export_directory
    from frontdoor.runtime import build_runtime

    runtime = build_runtime()
    try:
        with runtime.sessions() as session:
            text = json.dumps(export_directory(session), ensure_ascii=False, indent=2) + "\n"
    finally:
        runtime.close()
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    return 0


def _directory_import(args: argparse.Namespace) -> int:
    from core.db import transaction
    from directory.files import Limits
    from directory.formats import load_source
    from directory.importer import import_directory
    from directory.problems import DirectoryImportError
    from frontdoor.runtime import build_runtime

    warnings: list[str] = []
    runtime = build_runtime()
    try:
        data = load_source(args.file, limits=Limits(max_bytes=int(args.max_mb * 1_000_000)), warnings=warnings)
        with transaction(runtime.sessions) as session:
            report = import_directory(session, data, file=args.file, partial=args.partial,
                                      deactivate_missing=args.deactivate_missing)
    except DirectoryImportError as exc:
        sys.stderr.write(f"Import failed; the directory was not changed. {len(exc.errors)} problem(s):\n")
        for error in exc.errors:
            sys.stderr.write(f"  - {error}\n")
        return 1
    finally:
        runtime.close()
    sys.stdout.write(f"Imported {report.organizations} organisations, {report.services} services, "
                     f"{report.locations} locations: {report.changes} changes ({report.summary()}).\n")
    if report.skipped:
        sys.stdout.write(f"Left out because of problems ({len(report.skipped)}):\n")
        for problem in report.skipped:
            sys.stdout.write(f"  - {problem}\n")
    for warning in [*warnings, *report.warnings]:
        sys.stdout.write(f"  warning: {warning}\n")
    return 2 if report.skipped else 0


def _directory_generate(args: argparse.Namespace) -> int:
    from core.db import transaction
    from directory.generate import generate_directory
    from directory.importer import import_directory
    from frontdoor.runtime import build_runtime

    if args.services < 1:
        sys.stderr.write("--services must be 1 or more\n")
        return 1
    data = generate_directory(args.services, seed=args.seed)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
        sys.stdout.write(f"Wrote a synthetic directory of {args.services} services to {args.output}.\n")
        return 0
    runtime = build_runtime()
    try:
        with transaction(runtime.sessions) as session:
            report = import_directory(session, data, file="synthetic")
    finally:
        runtime.close()
    sys.stdout.write(f"Synthetic directory: {report.organizations} organisations, {report.services} services "
                     f"(ids syn-...): {report.changes} changes.\n")
    return 0


def _db_upgrade(_args: argparse.Namespace) -> int:
    from core.migrate import upgrade

    upgrade(load_settings().database_url)
    sys.stdout.write("Database is up to date.\n")
    return 0


def _demo_load(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from core.db import transaction
    from directory.demo import load_demo
    from directory.models import Organization
    from frontdoor.runtime import build_runtime

    runtime = build_runtime()
    try:
        with transaction(runtime.sessions) as session:
            existing = session.scalar(select(func.count()).select_from(Organization)) or 0
            if args.if_empty and existing:
                sys.stdout.write(f"Directory already has {existing} organisations; demo not loaded.\n")
                return 0
            report = load_demo(session)
    finally:
        runtime.close()
    sys.stdout.write(f"Demo directory loaded: {report.organizations} organisations, {report.services} services.\n")
    return 0


def _read_password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _staff_create(args: argparse.Namespace) -> int:
    import datetime as dt

    from core.db import transaction
    from frontdoor.runtime import build_runtime
    from staff.accounts import AccountError, create_account
    from staff.passwords import PasswordRejected
    from staff.totp import provisioning_uri

    password = _read_password()
    runtime = build_runtime()
    try:
        with transaction(runtime.sessions) as session:
            account = create_account(session, email=args.email, name=args.name, role=args.role,
                                     organization_id=args.org, password=password, at=dt.datetime.now(dt.UTC))
            payload: dict[str, Any] = {"id": account.id, "email": account.email, "role": account.role,
                                       "organization_id": account.organization_id}
            if account.totp_secret:
                payload["totp_uri"] = provisioning_uri(account.totp_secret, account.email)
    except (AccountError, PasswordRejected) as exc:
        sys.stderr.write(f"frontdoor staff create: {exc}\n")
        return 1
    finally:
        runtime.close()
    _emit(sys.stdout, payload)
    return 0


def _staff_list(_args: argparse.Namespace) -> int:
    from frontdoor.runtime import build_runtime
    from staff.accounts import list_accounts

    runtime = build_runtime()
    try:
        with runtime.sessions() as session:
            accounts = list_accounts(session)
    finally:
        runtime.close()
    for a in accounts:
        _emit(sys.stdout, {"id": a.id, "email": a.email, "name": a.name, "role": a.role,
                           "organization_id": a.organization_id, "active": a.active})
    return 0


def _staff_change(args: argparse.Namespace, verb: str) -> int:
    import datetime as dt

    from core.db import transaction
    from frontdoor.runtime import build_runtime
    from staff.accounts import deactivate, find_by_email, reset_password
    from staff.passwords import PasswordRejected

    password = _read_password() if verb == "reset-password" else ""
    runtime = build_runtime()
    try:
        with transaction(runtime.sessions) as session:
            account = find_by_email(session, args.email)
            if account is None:
                sys.stderr.write(f"frontdoor staff {verb}: no account with that email\n")
                return 1
            now = dt.datetime.now(dt.UTC)
            if verb == "deactivate":
                deactivate(session, account, at=now)
            else:
                reset_password(session, account, password, at=now)
            account_id = account.id
    except PasswordRejected as exc:
        sys.stderr.write(f"frontdoor staff {verb}: {exc}\n")
        return 1
    finally:
        runtime.close()
    _emit(sys.stdout, {"id": account_id, "done": verb})
    return 0


def _staff_deactivate(args: argparse.Namespace) -> int:
    return _staff_change(args, "deactivate")


def _staff_reset_password(args: argparse.Namespace) -> int:
    return _staff_change(args, "reset-password")


def _demo_staff(args: argparse.Namespace) -> int:
    import datetime as dt
    from pathlib import Path

    from core.db import transaction
    from core.settings import PROJECT_ROOT
    from frontdoor.runtime import build_runtime
    from staff.demo import create_demo_staff, write_demo_file

    runtime = build_runtime()
    try:
        with transaction(runtime.sessions) as session:
            made = create_demo_staff(session, at=dt.datetime.now(dt.UTC))
    finally:
        runtime.close()
    path = Path(args.output) if args.output else PROJECT_ROOT / "var" / "demo-staff.txt"
    if not made:
        sys.stdout.write(f"Staff accounts exist already; demo staff not created (sign-ins: {path}).\n")
        return 0
    write_demo_file(path, made)
    sys.stdout.write(f"Demo staff created: {len(made)} accounts. Emails and passwords are in {path} (mode 600); "
                     "sign in at /staff/login.\n")
    return 0


def _worker(_args: argparse.Namespace) -> int:
    settings = load_settings()
    _use_metrics_dir(settings)
    from frontdoor.workers import run_worker

    return run_worker(settings)


def _outbox_problems(args: argparse.Namespace) -> int:
    from frontdoor.runtime import build_runtime
    from frontdoor.web.staff.problems import list_problems

    runtime = build_runtime()
    try:
        with runtime.sessions() as session:
            rows = list_problems(session, limit=max(1, args.limit))
    finally:
        runtime.close()
    for row in rows:
        _emit(sys.stdout, row.as_json())
    return 0


def _telegram_set_webhook(args: argparse.Namespace) -> int:
    from frontdoor.workers import set_telegram_webhook

    return set_telegram_webhook(load_settings(), args.url)


def _telegram_poll(_args: argparse.Namespace) -> int:
    settings = load_settings()
    _use_metrics_dir(settings)
    from frontdoor.workers import poll_telegram

    return poll_telegram(settings)


def _nlu_classify(args: argparse.Namespace) -> int:
    from nlu.cli import classify

    return classify(sys.stdin, sys.stdout, url=args.url, today=args.today)


def _nlu_train(args: argparse.Namespace) -> int:
    from nlu.cli import train

    return train(force=args.force)


def _nlu_serve(args: argparse.Namespace) -> int:
    from nlu.cli import serve

    return serve(port=args.port)


def _nlu_eval(args: argparse.Namespace) -> int:
    from nlu.cli import evaluate

    return evaluate(out=args.out, sweep=args.sweep)


def _nlu_crossval(args: argparse.Namespace) -> int:
    from nlu.crossval import run_crossval

    if args.folds < 2 or args.workers < 1:
        print("--folds must be at least 2 and --workers at least 1", file=sys.stderr)
        return 2
    return run_crossval(folds=args.folds, workers=args.workers)


def _config(_args: argparse.Namespace) -> int:
    for name, value in load_settings().masked().items():
        sys.stdout.write(f"{name}={value}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
