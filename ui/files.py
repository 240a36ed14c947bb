"""Where the program proposes to save a paper: the folder the user last chose for that kind of paper,
else the user's Documents folder — never the program's own folder (a bare file name in a save dialog
lands in the current folder, which for an installed program is where it is installed)."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .qt import QtCore, QtWidgets

SETTINGS_KEY = "files/last_folder/{kind}"


def documents_dir() -> Path:
    """The user's Documents folder (Windows: Tài liệu / Documents), or the home folder when there is none."""
    location = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(location) if location else Path.home()
    return path if path.is_dir() else Path.home()


def _settings() -> QtCore.QSettings:
    return QtCore.QSettings("SoChiBo", "SoChiBo")


def start_path(name: str, kind: str = "papers") -> Path:
    """The path a save dialog starts with for the file `name`: in the last folder used for `kind`
    (if it still exists), else in the Documents folder."""
    last = str(_settings().value(SETTINGS_KEY.format(kind=kind), "") or "")
    folder = Path(last) if last and Path(last).is_dir() else documents_dir()
    return folder / Path(name).name


def remember(path: Path | str, kind: str = "papers") -> None:
    """The folder of a file just chosen becomes the next start for `kind`."""
    _settings().setValue(SETTINGS_KEY.format(kind=kind), str(Path(path).resolve().parent))


def ask_save_path(parent, title: str, name: str, filters: Sequence[tuple[str, str]],
                  kind: str = "papers") -> Path | None:
    """A save dialog starting at `start_path(name, kind)`, offering `filters` as (label, suffix) pairs,
    e.g. ("PDF (*.pdf)", ".pdf"). Returns the chosen path, given the suffix of the chosen filter when the
    user typed none of the suffixes, or None when cancelled; remembers the folder for `kind`."""
    labels = [label for label, _suffix in filters]
    chosen, chosen_filter = QtWidgets.QFileDialog.getSaveFileName(
        parent, title, str(start_path(name, kind)), ";;".join(labels))
    if not chosen:
        return None
    path = Path(chosen)
    suffixes = [suffix for _label, suffix in filters]
    if suffixes and path.suffix.lower() not in suffixes:
        suffix = next((sfx for label, sfx in filters if label == chosen_filter), suffixes[0])
        path = path.with_name(path.name + suffix)
    remember(path, kind)
    return path
