"""The .scb container: writing it, and reading it from anyone without trusting a byte of it.

A ZIP with `manifest.json`, `data.json`, `public_key`, `signature` and, when present, the printed
year-end forms (PDF) and the tally workbook (.xlsx). The manifest names the branch, the period, when
and by which program the file was made, and the SHA-256 and size of every other entry except the
signature; `signature` is an Ed25519 signature over the exact bytes of manifest.json by the key whose
public half is `public_key`. Format: docs/exchange-format.md; JSON Schema: resources/exchange/schema-v1.json.

`read_container` checks everything before anything is written anywhere, and every problem is an
`ExchangeRefused` naming the file and the reason in Vietnamese: the ZIP structure and each entry's
name, kind and declared sizes (before reading), then the entries read with a hard cap, the format
and version, the signature, the hashes, the JSON schema and the arithmetic of the tally.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
import json
import math
import re
import struct
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import UserError
from ..i18n import _
from ..vntext import hidden_characters, nfc
from . import keys
from .schema import validate
from .source import percent

FORMAT_NAME = "so-chi-bo-exchange"
FORMAT_VERSION = 1
SUFFIX = ".scb"
PROGRAM_NAME = "Sổ chi bộ"

MANIFEST = "manifest.json"
SIGNATURE = "signature"
PUBLIC_KEY = "public_key"
DATA = "data.json"
# Entry name of each role; the container holds nothing else.
ROLE_NAMES = {
    "data": DATA,
    "public_key": PUBLIC_KEY,
    "forms_pdf": "bieu-mau-cuoi-nam.pdf",
    "tally_xlsx": "bang-tong-hop.xlsx",
}
ALLOWED_NAMES = {MANIFEST, SIGNATURE, *ROLE_NAMES.values()}

KIB, MIB = 1024, 1024 * 1024
# Every received file is kept whole in the committee's database: these limits keep one file from
# bloating it. A branch of 5,000 members (the schema's limit) makes a data.json of about 1.5 MiB.
MAX_CONTAINER_BYTES = 32 * MIB      # the .scb file itself
MAX_ENTRIES = 8
MAX_TOTAL_EXPANDED = 32 * MIB
MAX_ENTRY_BYTES = {
    MANIFEST: 64 * KIB, SIGNATURE: 1 * KIB, PUBLIC_KEY: 1 * KIB, DATA: 4 * MIB,
    ROLE_NAMES["forms_pdf"]: 24 * MIB, ROLE_NAMES["tally_xlsx"]: 8 * MIB,
}
# Text compresses well, but not a thousand times: beyond this ratio an entry is a "zip bomb".
MAX_RATIO = 100
RATIO_FREE_BYTES = 64 * KIB          # small entries may compress as well as they like


class ExchangeRefused(UserError):
    """A received file is refused; nothing was written. str() names the file and the reason."""

    def __init__(self, file_name: str, reason: str):
        self.file_name = file_name
        self.reason = reason
        super().__init__(_("The file {file} was not accepted: {reason}").format(file=file_name, reason=reason))


# --- the period ----------------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Period:
    """The time a file covers: a year, a quarter (1-4) or a month (1-12) of a year."""

    year: int
    kind: str = "year"
    number: int = 0

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(year, "year", 0)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Period:
        kind = obj["kind"]
        number = obj.get("quarter", 0) if kind == "quarter" else obj.get("month", 0) if kind == "month" else 0
        return cls(obj["year"], kind, number)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "year": self.year}
        if self.kind == "quarter":
            out["quarter"] = self.number
        elif self.kind == "month":
            out["month"] = self.number
        return out

    def text(self) -> str:
        if self.kind == "quarter":
            return _("quarter {n} of {year}").format(n=self.number, year=self.year)
        if self.kind == "month":
            return _("month {n} of {year}").format(n=self.number, year=self.year)
        return _("year {year}").format(year=self.year)


def _period_problem(obj: dict[str, Any]) -> str | None:
    kind = obj.get("kind")
    if kind == "year" and ("quarter" in obj or "month" in obj):
        return _("a yearly file names no quarter or month")
    if kind == "quarter" and ("quarter" not in obj or "month" in obj):
        return _("a quarterly file must name its quarter, and only that")
    if kind == "month" and ("month" not in obj or "quarter" in obj):
        return _("a monthly file must name its month, and only that")
    return None


# --- what a container holds ----------------------------------------------------------------------

@dataclass
class Container:
    """A verified container (from `read_container`) or one being written (`build_container`)."""

    manifest: dict[str, Any]
    data: dict[str, Any]
    public_key: bytes                       # raw Ed25519 public key, 32 bytes
    attachments: dict[str, bytes] = field(default_factory=dict)   # role -> bytes (forms_pdf, tally_xlsx)
    manifest_bytes: bytes = b""
    raw: bytes = b""                        # the whole file
    file_name: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def branch_uid(self) -> str:
        return self.manifest["branch"]["uid"]

    @property
    def branch_name(self) -> str:
        return self.manifest["branch"]["name"]

    @property
    def period(self) -> Period:
        return Period.from_json(self.manifest["period"])

    @property
    def created_at(self) -> dt.datetime:
        """When the branch made the file, in UTC without tzinfo (as stored)."""
        return parse_created_at(self.manifest["created_at"])

    @property
    def key_fingerprint(self) -> str:
        return keys.fingerprint(self.public_key)


def parse_created_at(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=False, allow_nan=False).encode("utf-8")


def build_container(branch: dict[str, Any], period: Period, data: dict[str, Any], key: Ed25519PrivateKey,
                    attachments: dict[str, bytes] | None = None, now: dt.datetime | None = None,
                    program_version: str | None = None) -> bytes:
    """The bytes of a signed .scb file. `branch` is {"uid", "name", "parents"}."""
    if program_version is None:
        from ..cli import version_string

        program_version = version_string()
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    public = keys.public_raw(key)
    contents: dict[str, tuple[str, bytes]] = {
        "data": (DATA, _json_bytes(data)),
        "public_key": (PUBLIC_KEY, keys.b64(public).encode("ascii")),
    }
    for role, blob in (attachments or {}).items():
        contents[role] = (ROLE_NAMES[role], blob)
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "branch": {"uid": branch["uid"], "name": branch["name"], "parents": list(branch["parents"])},
        "period": period.to_json(),
        "created_at": now.isoformat(timespec="milliseconds"),
        "program": {"name": PROGRAM_NAME, "version": program_version},
        "signature_algorithm": "Ed25519",
        "files": {name: {"sha256": _sha(blob), "size": len(blob), "role": role}
                  for role, (name, blob) in contents.items()},
    }
    manifest_bytes = _json_bytes(manifest)
    signature = keys.b64(key.sign(manifest_bytes)).encode("ascii")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        stamp = now.astimezone(dt.UTC).timetuple()[:6]
        for name, blob in [(MANIFEST, manifest_bytes), (SIGNATURE, signature), *contents.values()]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, blob)
    return buf.getvalue()


def write_file(path: Path, blob: bytes) -> None:
    """Write `blob` to `path` through a temporary file, so a half-written file never has the name."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(blob)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(_("Cannot write the file {path}: {error}").format(path=path, error=exc.strerror or exc)) \
            from exc


# --- reading -------------------------------------------------------------------------------------

class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKey(k)
        out[k] = v
    return out


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _reject_constant(text: str) -> Any:
    raise ValueError(text)


def _parse_json(raw: bytes, entry: str, refuse) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse(_("{entry} is not UTF-8 text").format(entry=entry)) from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_float=_finite,
                          parse_constant=_reject_constant)
    except _DuplicateKey as exc:
        raise refuse(_("{entry} names \"{key}\" twice").format(entry=entry, key=str(exc)[:60])) from None
    except (ValueError, RecursionError):
        raise refuse(_("{entry} is not valid JSON").format(entry=entry)) from None


_DRIVE = re.compile(r"^[A-Za-z]:")


def _check_entry(info: zipfile.ZipInfo, refuse) -> None:
    name = info.filename
    shown = name[:80]
    if "\x00" in name or name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise refuse(_("it contains an entry with an absolute path ({name})").format(name=shown))
    parts = re.split(r"[/\\]", name)
    if ".." in parts:
        raise refuse(_("it contains an entry whose name points outside the container ({name})").format(name=shown))
    mode = (info.external_attr >> 16) & 0o170000
    if mode == 0o120000:
        raise refuse(_("it contains a symbolic link ({name})").format(name=shown))
    if name.endswith(("/", "\\")) or len(parts) > 1 or info.is_dir():
        raise refuse(_("it contains a folder ({name}); the container holds files only").format(name=shown))
    if name not in ALLOWED_NAMES:
        raise refuse(_("it contains an unexpected entry ({name})").format(name=shown))
    if info.flag_bits & 0x1:
        raise refuse(_("the entry {name} is encrypted").format(name=shown))
    if _has_zip64_extra(info.extra):
        raise refuse(_("the ZIP container uses ZIP64 records, which a file sent by Sổ chi bộ never has"))
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise refuse(_("the entry {name} uses an unsupported compression").format(name=shown))
    if info.file_size > MAX_ENTRY_BYTES[name]:
        raise refuse(_("the entry {name} is too large ({size} bytes)").format(name=shown, size=info.file_size))
    if info.file_size > RATIO_FREE_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise refuse(_("the entry {name} would expand {ratio} times: the file looks built to fill the disk")
                     .format(name=shown, ratio=info.file_size // max(info.compress_size, 1)))


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, refuse) -> bytes:
    cap = min(MAX_ENTRY_BYTES[info.filename], info.file_size)
    with zf.open(info) as fh:
        blob = fh.read(cap + 1)
    if len(blob) != info.file_size:
        raise refuse(_("the entry {name} is not the size the container declares").format(name=info.filename))
    return blob


MAX_DIRECTORY_BYTES = 64 * KIB


def _has_zip64_extra(extra: bytes) -> bool:
    """Whether an entry's extra field holds a ZIP64 record (header id 0x0001)."""
    pos = 0
    while pos + 4 <= len(extra):
        header, length = struct.unpack_from("<HH", extra, pos)
        if header == 0x0001:
            return True
        pos += 4 + length
    return False


def _check_directory(raw: bytes, refuse) -> None:
    """Read the entry count and the directory's size from the end record before the ZIP reader
    builds anything from them: a directory of a million entries is refused without parsing it.

    Sổ chi bộ never writes ZIP64 records (its files are far below 4 GiB), so a file with a ZIP64 end
    record or locator is refused: Python's reader would take the counts from those records instead of
    the ones checked here. So is a file with bytes after its end record, or spread over several disks.
    """
    end = raw.rfind(b"PK\x05\x06", max(0, len(raw) - 65557))
    if end < 0 or len(raw) < end + 22:
        raise refuse(_("the ZIP container is damaged"))
    disk, dir_disk, disk_count, count, size, _offset, comment = struct.unpack_from("<HHHHIIH", raw, end + 4)
    if b"PK\x06\x07" in raw[max(0, end - 20):end] or b"PK\x06\x06" in raw[max(0, end - 4096):end]:
        raise refuse(_("the ZIP container uses ZIP64 records, which a file sent by Sổ chi bộ never has"))
    if disk or dir_disk or disk_count != count or end + 22 + comment != len(raw):
        raise refuse(_("the ZIP container is damaged"))
    if count > MAX_ENTRIES:
        raise refuse(_("it contains too many entries ({n})").format(n=count))
    if size > MAX_DIRECTORY_BYTES:
        raise refuse(_("the ZIP container is damaged"))


def _read_zip(raw: bytes, refuse) -> dict[str, bytes]:
    if not raw.startswith(b"PK\x03\x04"):
        raise refuse(_("it is not a file sent by Sổ chi bộ (not a ZIP container)"))
    _check_directory(raw, refuse)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise refuse(_("it contains too many entries ({n})").format(n=len(infos)))
            twice = [n for n, c in Counter(i.filename for i in infos).items() if c > 1]
            if twice:
                raise refuse(_("it contains the entry {name} twice").format(name=twice[0][:80]))
            for info in infos:
                _check_entry(info, refuse)
            if sum(i.file_size for i in infos) > MAX_TOTAL_EXPANDED:
                raise refuse(_("its entries together are too large"))
            return {info.filename: _read_entry(zf, info, refuse) for info in infos}
    except ExchangeRefused:
        raise
    except Exception:  # noqa: BLE001 - any failure of the ZIP reader on foreign bytes means a damaged file
        raise refuse(_("the ZIP container is damaged")) from None


def read_container(raw: bytes, file_name: str = "") -> Container:
    """Check a received file completely; return its content, or raise ExchangeRefused."""
    file_name = file_name or _("(unnamed)")

    def refuse(reason: str) -> ExchangeRefused:
        return ExchangeRefused(file_name, reason)

    if len(raw) > MAX_CONTAINER_BYTES:
        raise refuse(_("it is too large ({size} bytes)").format(size=len(raw)))
    entries = _read_zip(raw, refuse)
    for required in (MANIFEST, SIGNATURE, PUBLIC_KEY, DATA):
        if required not in entries:
            raise refuse(_("{entry} is missing").format(entry=required))

    manifest_bytes = entries[MANIFEST]
    manifest = _parse_json(manifest_bytes, MANIFEST, refuse)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise refuse(_("it is not a file sent by Sổ chi bộ ({entry} does not name the format)").format(
            entry=MANIFEST))
    version = manifest.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise refuse(_("it was made in format version {version}, and this program reads version {ours}; "
                       "install the newer Sổ chi bộ to read it").format(
            version=json.dumps(version, ensure_ascii=False)[:20], ours=FORMAT_VERSION))

    public_key = _b64(entries[PUBLIC_KEY], 32, PUBLIC_KEY, refuse)
    signature = _b64(entries[SIGNATURE], 64, SIGNATURE, refuse)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, manifest_bytes)
    except (InvalidSignature, ValueError):
        raise refuse(_("the signature does not match: the file was changed after the branch made it, "
                       "or it was not made by Sổ chi bộ")) from None

    problems = validate(manifest, "manifest")
    if problems:
        raise refuse(f"{MANIFEST}: " + "; ".join(problems))
    period_problem = _period_problem(manifest["period"])
    if period_problem:
        raise refuse(f"{MANIFEST}: {period_problem}")
    try:
        parse_created_at(manifest["created_at"])
    except ValueError:
        raise refuse(_("{entry}: the date the file was made is not a real date").format(entry=MANIFEST)) from None

    listed = manifest["files"]
    present = set(entries) - {MANIFEST, SIGNATURE}
    for name in sorted(present - set(listed)):
        raise refuse(_("the entry {name} is not listed in {manifest}").format(name=name, manifest=MANIFEST))
    for name in sorted(set(listed) - present):
        raise refuse(_("the entry {name} listed in {manifest} is missing").format(name=name, manifest=MANIFEST))
    roles: dict[str, str] = {}
    for name, info in listed.items():
        if ROLE_NAMES.get(info["role"]) != name or info["role"] in roles:
            raise refuse(_("{manifest} gives the entry {name} a wrong role").format(manifest=MANIFEST, name=name))
        roles[info["role"]] = name
        blob = entries[name]
        if len(blob) != info["size"] or _sha(blob) != info["sha256"]:
            raise refuse(_("the content of {name} does not match its SHA-256 in {manifest}: "
                           "the file was changed after the branch made it").format(name=name, manifest=MANIFEST))

    data = _parse_json(entries[DATA], DATA, refuse)
    problems = validate(data, "data")
    if problems:
        raise refuse(f"{DATA}: " + "; ".join(problems))
    for problem in data_problems(data, manifest):
        raise refuse(f"{DATA}: {problem}")

    attachments = {}
    for role, magic in (("forms_pdf", b"%PDF-"), ("tally_xlsx", b"PK\x03\x04")):
        if role in roles:
            blob = entries[roles[role]]
            if not blob.startswith(magic):
                raise refuse(_("the entry {name} is not what its name says").format(name=roles[role]))
            attachments[role] = blob
    return Container(manifest=manifest, data=data, public_key=public_key, attachments=attachments,
                     manifest_bytes=manifest_bytes, raw=raw, file_name=file_name)


def _b64(raw: bytes, length: int, entry: str, refuse) -> bytes:
    try:
        value = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        value = b""
    if len(value) != length:
        raise refuse(_("the entry {name} is damaged").format(name=entry))
    return value


def _name_problems(data: dict[str, Any], manifest: dict[str, Any]) -> list[str]:
    """Names with control, zero-width or bidirectional characters: refused, they hide what they are."""
    problems = []
    named = [(_("the name of the branch"), manifest["branch"]["name"])]
    named += [(_("the name of a superior committee"), p) for p in manifest["branch"]["parents"]]
    named += [(_("the name of a member"), m["name"]) for m in data["members"]]
    named += [(_("the name of a member"), m["name"]) for m in data["meetings"]["three_unexcused"]]
    for what, name in named:
        hidden = hidden_characters(name)
        if hidden:
            problems.append(_("{what} contains invisible or control characters ({codes})").format(
                what=what, codes=", ".join(hidden[:5])))
            break
    return problems


def tally_agreement_problems(data: dict[str, Any], manifest: dict[str, Any]) -> list[str]:
    """The tally must be the count of the member list, and name the branch that signed the file."""
    problems = []
    t = data["tally"]
    members = data["members"]
    if nfc(t["branch"]) != nfc(manifest["branch"]["name"]):
        problems.append(_("the tally is of \"{tally}\", but the file is signed by \"{signed}\"").format(
            tally=str(t["branch"])[:80], signed=manifest["branch"]["name"][:80]))
    levels = Counter(m["level"] for m in members if m["level"])
    rated = sum(levels.values())
    if t["members_total"] != len(members):
        problems.append(_("the tally counts {n} members, but the file lists {listed}").format(
            n=t["members_total"], listed=len(members)))
    if t["assessed"] != rated:
        problems.append(_("the tally counts {n} members rated, but the list has {listed} with a level").format(
            n=t["assessed"], listed=rated))
    for code, n in t["levels"].items():
        if levels.get(code, 0) != n:
            problems.append(_("the tally counts {n} members at {level}, but the list has {listed}").format(
                n=n, level=code, listed=levels.get(code, 0)))
    reasons = Counter(nfc(m["not_rated_reason"] or "") for m in members if not m["level"])
    if Counter({nfc(k): v for k, v in t["not_assessed_reasons"].items() if v}) != +reasons:
        problems.append(_("the reasons for not rating in the tally are not those of the member list"))
    for code, value in t["percent"].items():
        if code in t["levels"] and abs(value - percent(t["levels"][code], t["assessed"])) > 0.011:
            problems.append(_("the percentages of the tally do not follow from its numbers"))
            break
    return problems


def data_problems(data: dict[str, Any], manifest: dict[str, Any]) -> list[str]:
    """What the schema cannot say: data.json agrees with the manifest and its tally adds up."""
    problems = _name_problems(data, manifest)
    if data["period"] != manifest["period"] or _period_problem(data["period"]):
        problems.append(_("the period does not agree with {manifest}").format(manifest=MANIFEST))
    uids = Counter(m["uid"] for m in data["members"])
    twice = [u for u, c in uids.items() if c > 1]
    if twice:
        problems.append(_("the member {uid} is listed twice").format(uid=twice[0]))
    t = data["tally"]
    if t["year"] != data["period"]["year"]:
        problems.append(_("the tally is for {year}, not for the year of the file").format(year=t["year"]))
    if sum(t["levels"].values()) != t["assessed"]:
        problems.append(_("the levels of the tally do not add up to the number of members rated"))
    if t["assessed"] + t["not_assessed"] != t["members_total"]:
        problems.append(_("members rated and not rated do not add up to the total in the tally"))
    if sum(t["not_assessed_reasons"].values()) != t["not_assessed"]:
        problems.append(_("the reasons for not rating do not add up to the number not rated"))
    if not problems:
        problems += tally_agreement_problems(data, manifest)
    return problems
