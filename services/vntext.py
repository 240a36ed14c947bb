"""Vietnamese text: normalisation, diacritic-free search and the Vietnamese name order."""
from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str | None) -> str:
    """Unicode NFC with surrounding spaces removed; every text that enters is passed through here."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text)).strip()


def clean_name(text: str | None) -> str:
    """A person's name: NFC, single spaces, each word capitalised ("nguyễn  văn a" -> "Nguyễn Văn A")."""
    words = _SPACES.split(nfc(text))
    return " ".join(w[:1].upper() + w[1:].lower() for w in words if w)


_TONE_MARKS = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}
# Marks that make a separate letter (ă â ê ô ơ ư); đ is its own code point.
_LETTER_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]
_LETTER_RANK = {unicodedata.normalize("NFC", ch): i + 1 for i, ch in enumerate(_ALPHABET)}


class _FoldTable(dict):
    """`str.translate` table of `fold`: each character without its marks (its NFD form without combining
    characters), đ as d; filled on first sight of a character, so that folding is one pass in C."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        bare = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        self[code] = bare = bare.replace("đ", "d").replace("Đ", "D")
        return bare


_FOLD = _FoldTable()


def fold(text: str | None) -> str:
    """Text for diacritic- and case-insensitive search: "Đặng Thị Ánh" -> "dang thi anh"."""
    return _SPACES.sub(" ", (text or "").translate(_FOLD).lower()).strip()


@functools.lru_cache(maxsize=1024)
def _letter(ch: str) -> tuple[int, int]:
    """(rank in the Vietnamese alphabet, tone) of one lower-case character."""
    parts = unicodedata.normalize("NFD", ch)
    base = parts[0]
    tone = 0
    for mark in parts[1:]:
        if mark in _TONE_MARKS:
            tone = _TONE_MARKS[mark]
        elif mark in _LETTER_MARKS:
            base += mark
    base = unicodedata.normalize("NFC", base)
    rank = _LETTER_RANK.get(base)
    if rank is None:
        rank = 100 + ord(base[0])  # digits, punctuation, foreign letters: after, by code point
    return rank, tone


def _split_letters(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(letter ranks, tones) for one word in the Vietnamese letter order."""
    pairs = [_letter(ch) for ch in word.lower()]
    return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)


@functools.lru_cache(maxsize=8192)
def word_key(text: str) -> tuple:
    """Key that sorts words in Vietnamese order, tones as a secondary difference."""
    words = [_split_letters(w) for w in _SPACES.split(nfc(text)) if w]
    return tuple(w[0] for w in words), tuple(w[1] for w in words)


def split_name(full_name: str) -> tuple[str, str, str]:
    """(họ, đệm, tên): "Nguyễn Thị Minh Khai" -> ("Nguyễn", "Thị Minh", "Khai")."""
    words = _SPACES.split(nfc(full_name))
    words = [w for w in words if w]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_key(full_name: str) -> tuple:
    """Sort key for names: by tên, then họ, then đệm; letters first, tones second."""
    family, middle, given = split_name(full_name)
    g, f, m = word_key(given), word_key(family), word_key(middle)
    return (g[0], f[0], m[0], g[1], f[1], m[1])


def matches(query: str, *fields: str) -> bool:
    """Every word of the query occurs (diacritic-free) somewhere in the fields."""
    terms = fold(query).split()
    if not terms:
        return True
    hay = " ".join(fold(f) for f in fields if f)
    return all(t in hay for t in terms)


# --- identity of names: look-alikes and hidden characters --------------------------------------------

# Characters that show nothing or change the direction of the text: zero-width spaces and joiners, the
# byte order mark, bidirectional controls (all of Unicode category Cf), and blank fillers.
_BLANK_FILLERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u00ad", "\u034f", "\u180e"}


def hidden_characters(text: str, allow: str = "") -> list[str]:
    """The control, format (zero-width, bidirectional) and blank-filler characters in `text`, as U+XXXX."""
    found = []
    for ch in text or "":
        if ch in allow:
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") or ch in _BLANK_FILLERS:
            code = f"U+{ord(ch):04X}"
            if code not in found:
                found.append(code)
    return found


# Letters of other scripts, and digits, that look like Latin letters (after lower-casing).
_LOOKALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y",
    "0": "o", "1": "i", "l": "i", "|": "i", "!": "i", "5": "s", "ı": "i",
})
_NOT_WORD = re.compile(r"[\W_]+")


def identity_key(text: str | None) -> str:
    """What a name looks like to a reader: equal keys mean the names can be taken for each other.

    Compatibility forms (full-width letters) folded (NFKC), hidden characters removed, case, diacritics
    and đ folded, look-alike letters of other scripts and digits mapped to Latin letters, punctuation
    and spaces removed. "Chi bộ Văn phòng" = "CHI BO VAN-PHONG" = "Chі bộ Văn\u200bphòng" (Cyrillic і).
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if not hidden_characters(ch))
    text = fold(text).translate(_LOOKALIKES)
    return _NOT_WORD.sub("", text)
