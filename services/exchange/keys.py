"""This installation's signing key (Ed25519), kept in the user's data folder.

The key is made the first time a file is sent and never leaves the computer; the public half
travels in every .scb file, and the committee remembers it from the branch's first file. If the key
is lost (new computer, reinstalled system) the committee must deliberately accept the new one
(`python main.py branches reset-key`); a copy of the key file kept with the database backups avoids
that. The key is written readable by this user only, where the system supports it (on Windows the
user's data folder is private to the user already).
"""
from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import UserError
from ..i18n import _
from ..paths import data_dir

KEY_FILENAME = "khoa-ky-tep-gui-cap-tren.pem"


def key_path() -> Path:
    return data_dir() / KEY_FILENAME


def _write_private(path: Path, key: Ed25519PrivateKey) -> None:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    tmp = path.with_name(path.name + ".part")
    if tmp.exists():
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_or_create_key(path: Path | None = None) -> Ed25519PrivateKey:
    """The installation's private key, made on first use."""
    path = path or key_path()
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError, OSError) as exc:
            raise UserError(_("The signing key {path} is damaged; restore it from a backup, or move it "
                              "away to make a new one (the committee must then accept the new key).").format(
                path=path)) from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise UserError(_("The signing key {path} is not an Ed25519 key.").format(path=path))
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    _write_private(path, key)
    return key


def public_raw(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(raw_public: bytes) -> str:
    """SHA-256 of the raw public key, hex: what the committee records and shows."""
    return hashlib.sha256(raw_public).hexdigest()


def short_fingerprint(fp: str) -> str:
    """The first 16 hex digits in groups of four, for reading aloud on the phone."""
    return " ".join(fp[i:i + 4].upper() for i in range(0, 16, 4))


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
