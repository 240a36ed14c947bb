"""Subcommands: export (a branch's file), aggregate, branches, and for a committee tally / report committee."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import _
from . import add_db_argument, open_existing
from .reports import add_report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help=_("make the file a branch sends to its committee (.scb)"),
                       description=_("Make the signed file of a year that the branch sends to its committee."))
    add_db_argument(p)
    p.add_argument("--year", type=int, required=True, help=_("the year"))
    p.add_argument("--out", type=Path, required=True, help=_("the file to write, ending in .scb"))
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("aggregate", help=_("receive branches' .scb files into a committee's database"),
                       description=_("Check and receive files sent by branches. A damaged, changed or foreign "
                                     "file is refused and changes nothing. A file from a branch the committee "
                                     "has not accepted yet (or with a new key) is held, not counted, until it is "
                                     "accepted with: branches accept. Exit status 1 when a file was refused, "
                                     "held, or waits for --replace."))
    add_db_argument(p)
    p.add_argument("files", nargs="+", type=Path, metavar=_("FILE"), help=_("the .scb files"))
    p.add_argument("--replace", action="store_true",
                   help=_("let a newer file replace the one already received for the same branch and period"))
    p.set_defaults(func=cmd_aggregate)

    p = sub.add_parser("branches", help=_("the branches a committee expects files from"),
                       description=_("List, add or remove the branches a committee expects files from; accept or "
                                     "refuse held files."))
    bsub = p.add_subparsers(dest="branches_command", metavar=_("ACTION"), required=True)
    b = bsub.add_parser("list", help=_("list the branches, what they sent, and the held files"),
                        description=_("List the branches (with their numbers) and what they sent for a year, "
                                      "and the files held until the committee accepts them."))
    add_db_argument(b)
    b.add_argument("--year", type=int, help=_("the year (default: last year)"))
    b.set_defaults(func=cmd_branches_list)
    b = bsub.add_parser("add", help=_("expect files from a branch"), description=_("Expect files from a branch."))
    add_db_argument(b)
    b.add_argument("--name", required=True, help=_("the branch's name as it writes it"))
    b.set_defaults(func=cmd_branches_add)
    b = bsub.add_parser("remove", help=_("stop expecting files from a branch (its files are kept)"),
                        description=_("Stop expecting files from a branch; the files it sent are kept."))
    add_db_argument(b)
    b.add_argument("--id", type=int, required=True, help=_("the branch's number (see: branches list)"))
    b.set_defaults(func=cmd_branches_remove)
    b = bsub.add_parser("reset-key", help=_("accept a branch's new signing key with its next file"),
                        description=_("Forget the signing key recorded for a branch: its next file is held until "
                                      "you accept it (branches accept), after the branch has read out the new "
                                      "key's digits. Do this only after confirming with the branch."))
    add_db_argument(b)
    b.add_argument("--id", type=int, required=True, help=_("the branch's number (see: branches list)"))
    b.set_defaults(func=cmd_branches_reset_key)
    b = bsub.add_parser("decide", help=_("record the committee's decision on a branch's level for a year"),
                        description=_("Record the level the committee decided for a branch (HTXSNV, HTTNV, HTNV, "
                                      "KHTNV); it is printed in the committee's summary."))
    add_db_argument(b)
    b.add_argument("--name", required=True, help=_("the branch's name"))
    b.add_argument("--year", type=int, required=True, help=_("the year"))
    group = b.add_mutually_exclusive_group(required=True)
    group.add_argument("--level", help=_("the level decided: HTXSNV, HTTNV, HTNV or KHTNV"))
    group.add_argument("--clear", action="store_true", help=_("remove the decision recorded"))
    b.set_defaults(func=cmd_branches_decide)
    b = bsub.add_parser("accept", help=_("accept a held file after checking its key with the branch"),
                        description=_("Accept a held file: call the branch, ask it to read out the digits of its "
                                      "signing key (shown on its page \"Send to the committee\" and when it makes "
                                      "the file), and type them with --fingerprint. From then on the branch's files "
                                      "must carry that key."))
    add_db_argument(b)
    b.add_argument("--file", type=int, required=True, help=_("the held file's number (see: branches list)"))
    b.add_argument("--fingerprint", required=True, help=_("the digits of the key as the branch reads them out"))
    b.add_argument("--as", dest="as_id", type=int,
                   help=_("the file is from this branch already on the list (its number): registered by name, "
                          "or known before under another id"))
    b.add_argument("--same-name", action="store_true",
                   help=_("accept it as a new branch although its name looks like one on the list"))
    b.set_defaults(func=cmd_branches_accept)
    b = bsub.add_parser("refuse", help=_("throw away a held file"),
                        description=_("Throw away a held file (a forged file, or one from a branch the committee "
                                      "does not oversee). Nothing of it is counted or kept."))
    add_db_argument(b)
    b.add_argument("--file", type=int, required=True, help=_("the held file's number (see: branches list)"))
    b.set_defaults(func=cmd_branches_refuse)




def _configure_committee_report(r: argparse.ArgumentParser) -> None:
    add_db_argument(r)
    r.add_argument("--year", type=int, required=True, help=_("the year"))
    r.add_argument("--out", type=Path, required=True, help=_("the .pdf or .xlsx file to write"))


def _default_year() -> int:
    import datetime as dt

    return dt.date.today().year - 1


def cmd_export(args: argparse.Namespace) -> int:
    from ..exchange.export import export_year

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            s = export_year(session, args.year, args.out)
    finally:
        db.close()
    print(_("Wrote {path}: {branch}, year {year}: {members} members, {rated} rated.").format(
        path=s.path, branch=s.branch, year=s.year, members=s.members, rated=s.rated))
    if not s.attachments:
        print(_("The printed year-end forms are not in the file: the year-end review has none yet."))
    return 0


def cmd_aggregate(args: argparse.Namespace) -> int:
    import sys

    from ..exchange.committee import ReceiveStatus, receive_files, require_committee
    from ..exchange.container import ExchangeRefused

    db = open_existing(args.db)
    failed = 0
    try:
        with db.begin() as session:
            require_committee(session)
        for _path, result in receive_files(db, args.files, replace=args.replace):
            if isinstance(result, ExchangeRefused):
                failed += 1
                print(_("Error: {message}").format(message=result), file=sys.stderr)
                continue
            waiting = result.status in (ReceiveStatus.NEEDS_CONFIRMATION, ReceiveStatus.HELD)
            print(result.message(), file=sys.stderr if waiting else sys.stdout)
            if waiting:
                failed += 1
            if result.status == ReceiveStatus.NEEDS_CONFIRMATION:
                print(_("Run again with --replace to replace it."), file=sys.stderr)
    finally:
        db.close()
    return 1 if failed else 0


def cmd_branches_list(args: argparse.Namespace) -> int:
    from ..exchange.committee import branch_statuses, held_files, local_text
    from ..exchange.container import Period

    year = args.year or _default_year()
    db = open_existing(args.db)
    try:
        with db.begin() as session:
            rows = [r for r in branch_statuses(session, Period.of_year(year)) if r.accepted]
            held = held_files(session)
    finally:
        db.close()
    if not rows:
        print(_("The committee expects no branch yet."))
    for r in rows:
        state = _("sent {made}").format(made=local_text(r.made_at)) if r.sent else _("not sent")
        extra = "" if r.expected else " " + _("(no longer expected)")
        print(f"#{r.id} {r.name}{extra}: {state}" + (f" — {_('key')} {r.key_fingerprint}" if r.key_fingerprint else ""))
    if held:
        print()
        print(_("Files held, not counted until accepted (branches accept --file N --fingerprint \"…\"):"))
    for h in held:
        what = _("new branch") if h.new_branch else _("new key of #{id}").format(id=h.branch_id)
        print("  " + _("file {id}: {branch} ({what}), {period}, {members} members, made {made}; key {key}").format(
            id=h.id, branch=h.branch, what=what, period=h.period.text(), members=h.members,
            made=local_text(h.made_at), key=h.short_fingerprint))
        for other_id, other in h.look_alikes:
            print("    " + _("WARNING: the name looks like that of #{id} {name}, already on the list.").format(
                id=other_id, name=other))
        for other_id, other in h.registered:
            print("    " + _("It may be #{id} {name}, registered by name: accept it with --as {id}.").format(
                id=other_id, name=other))
    return 0


def _branch_action(args: argparse.Namespace, action, message: str) -> int:
    db = open_existing(args.db)
    try:
        with db.begin(write=True) as session:
            known = action(session, args)
            name = known.name
    finally:
        db.close()
    print(message.format(name=name))
    return 0


def cmd_branches_add(args):
    from ..exchange.committee import register_branch

    return _branch_action(args, lambda s, a: register_branch(s, a.name),
                          _("The committee now expects files from {name}."))


def cmd_branches_remove(args):
    from ..exchange.committee import set_expected

    return _branch_action(args, lambda s, a: set_expected(s, a.id, False),
                          _("{name} is no longer expected; the files it sent are kept."))


def cmd_branches_reset_key(args):
    from ..exchange.committee import reset_key

    return _branch_action(args, lambda s, a: reset_key(s, a.id),
                          _("The next file from {name} will be held until you accept its new key."))


def cmd_branches_accept(args):
    from ..exchange.committee import accept_held

    return _branch_action(args, lambda s, a: accept_held(s, a.file, a.fingerprint, a.as_id, a.same_name),
                          _("Accepted: {name} and its key; its held files are counted."))


def cmd_branches_refuse(args):
    from ..exchange.committee import refuse_held

    db = open_existing(args.db)
    try:
        with db.begin(write=True) as session:
            name = refuse_held(session, args.file)
    finally:
        db.close()
    print(_("The held file {name} was thrown away.").format(name=name))
    return 0


def cmd_branches_decide(args):
    from ..exchange.committee import decide_level

    level = None if args.clear else (args.level or "").strip().upper()
    message = _("The committee's decision on {name} for {year}: {level}.").format(
        name="{name}", year=args.year, level=level) if level else \
        _("The committee's decision on {name} for {year} is removed.").format(name="{name}", year=args.year)
    return _branch_action(args, lambda s, a: decide_level(s, a.name, a.year, level), message)


def cmd_tally(args: argparse.Namespace) -> int:
    """The committee's tally; in a branch's database, the branch's own (from the year-end review)."""
    import json

    from ..branch import get_branch

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            branch = get_branch(session)
            if branch is not None and branch.kind == "committee":
                from ..exchange.committee import committee_tally

                tally = committee_tally(session, args.year)
            else:
                from ..exchange.source import branch_year_data

                tally = branch_year_data(session, args.year)["tally"]
    finally:
        db.close()
    if args.json:
        print(json.dumps(tally, ensure_ascii=False, indent=2))
    else:
        from ..exchange.report import tally_text

        print(tally_text(tally))
    return 0


def cmd_report_committee(args: argparse.Namespace) -> int:
    from ..exchange.report import write_committee_report

    db = open_existing(args.db)
    try:
        with db.begin() as session:
            write_committee_report(session, args.year, args.out)
    finally:
        db.close()
    print(_("Wrote {path}.").format(path=args.out))
    return 0


add_report("committee", _("the committee's summary of all its branches (.pdf or .xlsx)"),
           _configure_committee_report, cmd_report_committee,
           description=_("The committee's summary of its branches' ratings for a year, as a PDF "
                         "in the official layout or as a workbook, by the extension of --out."))
