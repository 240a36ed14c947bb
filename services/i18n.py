"""Messages, dates and numbers in Vietnamese.

Source strings are English and marked with `_()`; the Vietnamese catalogs live in
`resources/locale/vi/LC_MESSAGES/*.po`, one file per area of the program, compiled to `.mo`
with Babel. All catalogs are merged at start.

Maintenance (developers):
    python -m services.i18n missing              # list marked strings with no translation
    python -m services.i18n add AREA             # append those strings to AREA.po, to translate
    python -m services.i18n compile              # .po -> .mo
    python -m services.i18n check                # exit 1 if anything is untranslated or stale
"""
from __future__ import annotations

import datetime as dt
import gettext as _gettext
import io
import sys
from pathlib import Path

from babel.numbers import format_decimal, format_percent

LOCALE = "vi"
ROOT = Path(__file__).resolve().parents[1]


def _catalog_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) if bundle else ROOT
    return base / "resources" / "locale" / LOCALE / "LC_MESSAGES"


def _load() -> _gettext.NullTranslations:
    merged: _gettext.NullTranslations = _gettext.NullTranslations()
    files = sorted(_catalog_dir().glob("*.mo"))
    if not files:
        return merged
    with files[0].open("rb") as fh:
        merged = _gettext.GNUTranslations(fh)
    for path in files[1:]:
        with path.open("rb") as fh:
            merged.add_fallback(_gettext.GNUTranslations(fh))
    return merged


_translations = _load()


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (module-level tables)."""
    return message


# --- dates and numbers -----------------------------------------------------------------------

def format_date(value: dt.date | None) -> str:
    """22/12/2020"""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def long_date(value: dt.date) -> str:
    """ngày 22 tháng 12 năm 2020, as official documents write it.

    The day always has two digits; the month has two only for January and February
    ("ngày 05 tháng 02 năm 2018", "ngày 03 tháng 4 năm 2018"), as HD 36-HD/VPTW dates itself.
    """
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def format_number(value: float | int, decimals: int | None = None) -> str:
    """1.234 ; 1.234,5"""
    if decimals is None:
        return format_decimal(value, locale=LOCALE)
    return format_decimal(value, format="#,##0." + "0" * decimals if decimals else "#,##0", locale=LOCALE)


def format_pct(value: float, decimals: int = 1) -> str:
    """67,5% from 67.5"""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "") + "%"
    return format_percent(value / 100, format=pattern, locale=LOCALE)


def parse_date(text: str) -> dt.date | None:
    """Read dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and ISO yyyy-mm-dd). None if invalid."""
    text = (text or "").strip()
    if not text:
        return None
    for sep in ("/", "-", "."):
        parts = text.split(sep)
        if len(parts) == 3 and all(p.strip().isdecimal() for p in parts):
            a, b, c = (int(p) for p in parts)
            if len(parts[0].strip()) == 4:
                year, month, day = a, b, c
            else:
                day, month, year = a, b, c
            if year < 100:
                return None
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


# --- catalog maintenance ---------------------------------------------------------------------

SOURCE_DIRS = ("ui", "services", "models")


def _extract() -> dict[str, list[str]]:
    """msgid -> places, for every `_()`/`N_()`/`ngettext()` string in the program."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

    keywords = dict(DEFAULT_KEYWORDS)
    keywords["N_"] = None
    found: dict[str, list[str]] = {}
    files = [ROOT / "main.py"] + [p for d in SOURCE_DIRS for p in sorted((ROOT / d).rglob("*.py"))]
    for path in files:
        if "migrations" in path.parts:
            continue
        for lineno, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=keywords
        ):
            ids = message if isinstance(message, tuple) else (message,)
            for msgid in ids:
                if msgid:
                    found.setdefault(msgid, []).append(f"{path.relative_to(ROOT)}:{lineno}")
    return found


def _read_catalogs():
    from babel.messages.pofile import read_po

    catalogs = {}
    for po in sorted(_catalog_dir().glob("*.po")):
        with po.open("rb") as fh:
            catalogs[po] = read_po(fh, locale=LOCALE)
    return catalogs


def missing_messages() -> dict[str, list[str]]:
    """Marked strings that no catalog translates."""
    translated: set[str] = set()
    for catalog in _read_catalogs().values():
        for msg in catalog:
            if not msg.id:
                continue
            key = msg.id[0] if isinstance(msg.id, tuple) else msg.id
            strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
            if all(strings) and not msg.fuzzy:
                translated.add(key)
                if isinstance(msg.id, tuple):
                    translated.add(msg.id[1])
    return {k: v for k, v in _extract().items() if k not in translated}


def conflicting_translations() -> dict[str, dict[str, str]]:
    """Messages translated differently in two catalogs (the merged catalog would pick one at random
    of file order): msgid -> {catalog: translation}."""
    seen: dict[str, dict[str, str]] = {}
    for po, catalog in _read_catalogs().items():
        for msg in catalog:
            if msg.id:
                key = msg.id[0] if isinstance(msg.id, tuple) else msg.id
                seen.setdefault(key, {})[po.stem] = str(msg.string)
    return {k: v for k, v in seen.items() if len(set(v.values())) > 1}


def compiled_bytes(po_path: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=LOCALE)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def _messages(mo_bytes: bytes) -> dict[object, object]:
    """The translations a compiled catalog holds (id -> string), without its header: the header
    names the Babel version that wrote it, which says nothing about what the program shows."""
    from babel.messages.mofile import read_mo

    catalog = read_mo(io.BytesIO(mo_bytes))
    return {msg.id: msg.string for msg in catalog if msg.id}


def stale_mo_files() -> list[Path]:
    """Compiled catalogs missing, or holding other messages than their .po would compile to."""
    out = []
    for po in sorted(_catalog_dir().glob("*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or _messages(mo.read_bytes()) != _messages(compiled_bytes(po)):
            out.append(mo)
    return out


def _main(argv: list[str]) -> int:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    if not argv or argv[0] not in {"missing", "add", "compile", "check"}:
        print(__doc__)
        return 2
    cmd = argv[0]
    if cmd == "missing":
        for msgid, places in missing_messages().items():
            print(f"{places[0]}: {msgid!r}")
        return 0
    if cmd == "add":
        if len(argv) != 2:
            print("usage: python -m services.i18n add AREA")
            return 2
        po = _catalog_dir() / f"{argv[1]}.po"
        if po.exists():
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=LOCALE)
        else:
            catalog = Catalog(locale=LOCALE, project="Sổ chi bộ", charset="utf-8")
        for msgid, places in missing_messages().items():
            if msgid not in catalog:
                catalog.add(msgid, "", locations=[(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1])) for p in places])
        po.parent.mkdir(parents=True, exist_ok=True)
        with po.open("wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False, sort_output=False, include_lineno=False)
        print(f"updated {po}")
        return 0
    if cmd == "compile":
        for po in sorted(_catalog_dir().glob("*.po")):
            po.with_suffix(".mo").write_bytes(compiled_bytes(po))
        return 0
    missing = missing_messages()
    stale = stale_mo_files()
    conflicts = conflicting_translations()
    for msgid, where in conflicts.items():
        print(f"translated differently: {msgid!r}: {where}")
    for msgid, places in missing.items():
        print(f"untranslated: {places[0]}: {msgid!r}")
    for mo in stale:
        print(f"stale: {mo} (run: python -m services.i18n compile)")
    return 1 if missing or stale or conflicts else 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
