"""Vietnamese text typed with the old 8-bit font encodings, as found in old office spreadsheets.

Before Unicode, Vietnamese offices typed with fonts whose 8-bit codes put Vietnamese letters in
the places of Western ones.  Opened today, such a cell shows Latin-1 characters:

* TCVN3 (TCVN 5712:1993 "ABC", fonts .VnTime / .VnTimeH): one code per letter.
  "NguyÔn V¨n A" is "Nguyễn Văn A".  Only the 67 lower-case letters and the capitals
  Ă Â Ê Ô Ơ Ư Đ have codes; the capitals with a tone mark exist only as the *glyphs* of the
  all-caps .VnTimeH fonts, which draw the lower-case codes as capitals.  So such a capital is
  the same code as its lower-case letter: we decode it as lower case, except where the cell or
  the word is visibly written in capitals ("NGUYÔN" -> "NGUYỄN") or every other word of the cell
  starts with a capital ("§Æng ThÞ ¸nh" -> "Đặng Thị Ánh").
* VNI Windows (fonts VNI-Times ...): an ASCII vowel followed by a mark character.
  "Nguyeãn Vaên A" is "Nguyễn Văn A"; đ ơ ư and the toned i, plus ỵ, are single characters.

``fix_legacy`` decides per cell, conservatively: a reading is accepted only when every
character it does not explain is harmless punctuation and (nearly) every word it produces is a
well-formed Vietnamese syllable; a text that already reads as Vietnamese Unicode is never
converted.  ``detect_legacy_column`` adds the context of a whole column, so that short cells
that could be read several ways ("Sè" is "Số" in TCVN3, but also a valid Unicode word) follow
their column.  All output is Unicode NFC.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "TCVN3",
    "VNI",
    "VIETNAMESE_LOWER",
    "VIETNAMESE_UPPER",
    "to_tcvn3",
    "to_vni",
    "from_legacy",
    "detect_legacy",
    "fix_legacy",
    "detect_legacy_column",
    "fix_legacy_column",
]

TCVN3 = "TCVN3"
VNI = "VNI"
_ENCODINGS = (TCVN3, VNI)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------------------------
# Vietnamese letters
# ---------------------------------------------------------------------------------------------

# Tone numbers used throughout: 0 ngang, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng.
_TONE_MARKS = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_SAC, _NANG = 1, 5
_VOWEL_BASES = "aăâeêioôơuưy"

_LETTER_INFO: dict[str, tuple[str, int]] = {}  # any-case letter -> (lower-case toneless base, tone)
_lower: list[str] = []
for _base in _VOWEL_BASES:
    for _tone, _mark in enumerate(_TONE_MARKS):
        _letter = _nfc(_base + _mark)
        _LETTER_INFO[_letter] = (_base, _tone)
        _LETTER_INFO[_letter.upper()] = (_base, _tone)
        if not _letter.isascii():
            _lower.append(_letter)
_lower.append("đ")
_LETTER_INFO["đ"] = _LETTER_INFO["Đ"] = ("đ", 0)

#: The 67 lower-case Vietnamese letters that are not plain ASCII, and their 67 capitals.
VIETNAMESE_LOWER: tuple[str, ...] = tuple(_lower)
VIETNAMESE_UPPER: tuple[str, ...] = tuple(ch.upper() for ch in _lower)
_VIET_LETTERS = frozenset(VIETNAMESE_LOWER + VIETNAMESE_UPPER)

# ---------------------------------------------------------------------------------------------
# TCVN3 (ABC): one 8-bit code per letter.  Codes seen as Latin-1 characters.
# ---------------------------------------------------------------------------------------------

_TCVN3_CODES: dict[str, int] = {
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ă": 0xA8, "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "â": 0xA9, "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "đ": 0xAE,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ê": 0xAA, "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ô": 0xAB, "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ơ": 0xAC, "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ư": 0xAD, "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
    # The only capitals with their own codes.
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
}
_TCVN3_CODES = {_nfc(k): v for k, v in _TCVN3_CODES.items()}
_TCVN3_ENCODE: dict[str, str] = {letter: chr(code) for letter, code in _TCVN3_CODES.items()}
for _cap in VIETNAMESE_UPPER:  # capitals without a code: .VnTimeH types them with the lower-case code
    _TCVN3_ENCODE.setdefault(_cap, _TCVN3_ENCODE[_cap.lower()])
_TCVN3_DECODE: dict[str, str] = {chr(code): letter for letter, code in _TCVN3_CODES.items()}
_TCVN3_PLAIN_BASES = frozenset("ăâêôơưđ")  # lower-case letters that do have a capital code

# ---------------------------------------------------------------------------------------------
# VNI Windows: ASCII base letter + mark character(s).
# ---------------------------------------------------------------------------------------------

# Indexed by tone number (ngang, sắc, huyền, hỏi, ngã, nặng).
_VNI_TONE = ("", "ù", "ø", "û", "õ", "ï")  # after a e o u y and after ơ ư
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")  # â ê ô with their tones
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")  # ă with its tones
_VNI_I = ("i", "í", "ì", "æ", "ó", "ò")  # i with its tones: single characters
_VNI_HORN_BASE = {"ơ": "ô", "ư": "ö"}


def _vni_lower(base: str, tone: int) -> str:
    if base == "đ":
        return "ñ"
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == _NANG:
        return "î"
    if base in "âêô":
        return {"â": "a", "ê": "e", "ô": "o"}[base] + _VNI_CIRCUMFLEX[tone]
    if base == "ă":
        return "a" + _VNI_BREVE[tone]
    return _VNI_HORN_BASE.get(base, base) + _VNI_TONE[tone]


_VNI_ENCODE: dict[str, str] = {}
for _letter in VIETNAMESE_LOWER:
    _vni = _vni_lower(*_LETTER_INFO[_letter])
    _VNI_ENCODE[_letter] = _vni
    _VNI_ENCODE[_letter.upper()] = _vni.upper()  # capitals use the capital marks: "EÃ" for Ễ
_VNI_DECODE: dict[str, str] = {v: k for k, v in _VNI_ENCODE.items()}

# ---------------------------------------------------------------------------------------------
# Vietnamese syllables
# ---------------------------------------------------------------------------------------------

_INITIALS = (
    "ngh", "ch", "gh", "gi", "kh", "kr", "ng", "nh", "ph", "pl", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x", "",
)
_OPEN = "-"  # the nucleus may end the syllable
# nucleus -> the endings it takes ("k" is for Central Highlands names: Đắk Lắk).
_NUCLEI = {
    "a": "- c ch k m n ng nh p t",
    "ă": "c k m n ng p t",
    "â": "c k m n ng p t",
    "e": "- c m n ng p t",
    "ê": "- ch m n nh p t",
    "i": "- ch m n nh p t",
    "o": "- c k m n ng p t",
    "ô": "- c k m n ng p t",
    "ơ": "- k m n p t",
    "u": "- c k m n ng p t",
    "ư": "- c k m n ng t",
    "y": "-",
    "iê": "- c m n ng p t",  # open only in minority names (Niê)
    "yê": "c m n ng p t",
    "uô": "c m n ng p t",
    "ươ": "c m n ng p t",
    "oa": "- c ch m n ng nh p t",
    "oă": "c m n ng t",
    "oe": "- n t",
    "oo": "c ng",
    "uâ": "n ng t",
    "uê": "- ch n nh",
    "uy": "- ch n nh p t",
    "uyê": "n t",
}
for _glide in ("ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu yêu oai oay oao oeo "
               "uây uôi ươi ươu uya uyu uơ").split():
    _NUCLEI[_glide] = _OPEN
# Where the tone mark may sit in an open rhyme (index into the vowels).  Closed rhymes take it
# on their last vowel.  "oa oe uy uê uơ" allow both the old (hòa) and the new (hoà) placement.
_TONE_SPOTS: dict[str, frozenset[int]] = {}
for _nucleus in _NUCLEI:
    if len(_nucleus) == 1:
        _TONE_SPOTS[_nucleus] = frozenset((0,))
    elif _nucleus in ("oa", "oe", "uy", "uê", "uơ"):
        _TONE_SPOTS[_nucleus] = frozenset((0, 1))
    elif len(_nucleus) == 3 or _nucleus == "iê":
        _TONE_SPOTS[_nucleus] = frozenset((1,))
    else:  # ai ao ... ưu, ia ua ưa: on the first vowel
        _TONE_SPOTS[_nucleus] = frozenset((0,))
_RHYMES: dict[str, tuple[str, frozenset[int]]] = {}  # rhyme -> (final consonant or "", tone spots)
for _nucleus, _endings in _NUCLEI.items():
    for _end in _endings.split():
        _final = "" if _end == _OPEN else _end
        _spots = _TONE_SPOTS[_nucleus] if not _final else frozenset((len(_nucleus) - 1,))
        _RHYMES[_nucleus + _final] = (_final, _spots)
_STOP_FINALS = frozenset(("c", "ch", "k", "p", "t"))


def _spelling_ok(initial: str, rhyme: str) -> bool:
    front = rhyme[0] in "ieêy"
    if initial in ("k", "gh", "ngh"):
        return front
    if initial in ("c", "ng"):
        return not front
    if initial == "g":
        return rhyme[0] not in "eê"
    if initial == "q":
        return rhyme[0] == "u"
    if initial == "qu":
        return rhyme[0] != "u"
    return True


@lru_cache(maxsize=8192)
def _is_syllable(word: str) -> bool:
    """A lower-case word is one well-formed Vietnamese syllable: at most one tone mark, on a vowel
    that can carry it, a known initial and rhyme, the c/k/g spelling rules, and only sắc/nặng
    before a stop final."""
    bases: list[str] = []
    tone = 0
    tone_at = -1
    for ch in word:
        info = _LETTER_INFO.get(ch)
        if info is None:
            if not ("a" <= ch <= "z"):
                return False
            info = (ch, 0)
        base, mark = info
        if mark:
            if tone:
                return False
            tone, tone_at = mark, len(bases)
        bases.append(base)
    plain = "".join(bases)
    for initial in _INITIALS:
        if not plain.startswith(initial):
            continue
        rhyme = plain[len(initial):]
        known = _RHYMES.get(rhyme)
        if known is None or not _spelling_ok(initial, rhyme):
            continue
        final, spots = known
        if tone and (tone_at - len(initial)) not in spots:
            continue
        if final in _STOP_FINALS and tone not in (_SAC, _NANG):
            continue
        return True
    return False


def _case_ok(word: str) -> bool:
    return word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())


# A few very frequent syllables of names and party/office text, to choose between two legacy
# readings that are otherwise equally good ("ñi": VNI "đi" rather than TCVN3 "ủi").
_COMMON = frozenset(_nfc(w) for w in (
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh đào mai "
    "văn thị hữu đức minh anh hùng dũng tuấn hương lan hoa thu hà ngọc thanh quang hải hồng "
    "thủy thúy tuyết hạnh phúc sơn trung nam bắc tây đông thành phố huyện tỉnh xã phường quận "
    "đảng bộ chi ủy ban nhân dân sở phòng đồng chí bí thư phó chủ tịch hội nghị quyết đại "
    "hoàn tốt xuất sắc nhiệm vụ không được và của có là những các với cho người đã này một "
    "trong để về năm tháng ngày số đường trường học giáo viên cán công an việt lao động thương "
    "binh xây dựng kiểm tra đoàn thanh niên phụ nữ cựu chiến mặt trận tổ quốc đi đến"
).split())

# ---------------------------------------------------------------------------------------------
# Reading a text
# ---------------------------------------------------------------------------------------------

# Rough frequency of the tones (ngang, sắc, huyền, hỏi, ngã, nặng), the last tie-breaker.
_TONE_PRIOR = (3, 2, 2, 1, 1, 2)
_CP1252_EXTRA = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))
_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"[^\W_]+")  # letters and digits
_NEUTRAL, _SOFT, _HARD = 0, 1, 2


def _representable(ch: str) -> bool:
    """Could this character come from an 8-bit file read as Latin-1 or Windows-1252?"""
    return ord(ch) < 0x100 or ch in _CP1252_EXTRA


def _unexplained(text: str, i: int) -> int:
    """How bad a non-ASCII character is that a legacy reading leaves as it is."""
    ch = text[i]
    if ch.isalpha():
        return _HARD  # a Western letter the encoding does not use (or a mark with nothing to sit on)
    if ch == "\u00a0" or ord(ch) >= 0x2000:
        return _NEUTRAL  # no-break space, typographic quotes and dashes
    touches = (i > 0 and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha())
    return _SOFT if touches else _NEUTRAL


@dataclass(frozen=True)
class _Reading:
    text: str
    letters: int  # non-ASCII source characters turned into Vietnamese letters
    hard: int
    soft: int
    valid: int  # words with a Vietnamese letter that are well-formed syllables
    invalid: int
    common: int
    prior: float  # how usual the letters are (plain and horn letters over hỏi/ngã tones)

    @property
    def acceptable(self) -> bool:
        return (self.hard == 0 and self.letters > 0 and self.soft * 3 <= self.letters
                and self.valid > 0 and self.invalid * 4 <= self.valid)

    @property
    def rank(self) -> tuple[int, int, int, int, float]:
        return (self.invalid, self.soft, -self.valid, -self.common, -self.prior)


def _score(decoded: str, letters: int, hard: int, soft: int) -> _Reading:
    valid = invalid = common = 0
    for word in _TOKEN.findall(decoded):
        if word.isascii():
            continue
        lower = word.lower()
        if _is_syllable(lower):  # false for a letter glued to digits ("3×4" is not "3ì4")
            valid += 1
            common += lower in _COMMON
        else:
            invalid += 1
    weights = [_TONE_PRIOR[_LETTER_INFO[ch][1]] for ch in decoded if ch in _VIET_LETTERS]
    prior = sum(weights) / len(weights) if weights else 0.0
    return _Reading(decoded, letters, hard, soft, valid, invalid, common, prior)


# Letter kinds for restoring capitals in TCVN3.
_K_OTHER, _K_ASCII, _K_CAPITAL, _K_BASE, _K_TONED, _K_FOREIGN = range(6)


def _decode_tcvn3(text: str) -> tuple[str, int, int, int]:
    chars: list[str] = []
    kinds: list[int] = []
    letters = hard = soft = 0
    for i, ch in enumerate(text):
        letter = _TCVN3_DECODE.get(ch)
        if letter is not None:
            letters += 1
            chars.append(letter)
            if letter.isupper():
                kinds.append(_K_CAPITAL)
            else:
                kinds.append(_K_BASE if letter in _TCVN3_PLAIN_BASES else _K_TONED)
            continue
        chars.append(ch)
        if ch.isascii():
            kinds.append(_K_ASCII if ch.isalpha() else _K_OTHER)
            continue
        kinds.append(_K_FOREIGN if ch.isalpha() else _K_OTHER)
        badness = _unexplained(text, i)
        hard += badness == _HARD
        soft += badness == _SOFT
    _restore_tcvn3_capitals(chars, kinds)
    return "".join(chars), letters, hard, soft


def _restore_tcvn3_capitals(chars: list[str], kinds: list[int]) -> None:
    """Upper-case the letters whose TCVN3 code cannot tell the case, where the text shows it."""
    words: list[list[int]] = []
    current: list[int] = []
    for i, kind in enumerate(kinds):
        if kind == _K_OTHER:
            if current:
                words.append(current)
                current = []
        else:
            current.append(i)
    if current:
        words.append(current)

    def is_upper(i: int) -> bool:
        return kinds[i] == _K_CAPITAL or (kinds[i] == _K_ASCII and chars[i].isupper())

    def is_ascii_lower(i: int) -> bool:
        return kinds[i] == _K_ASCII and chars[i].islower()

    def capitals_inside(word: list[int]) -> bool:  # "NGUYÔN": a capital after the first letter
        return any(is_upper(i) for i in word[1:])

    cell_has_lower = any(is_ascii_lower(i) for i in range(len(kinds)))
    if not cell_has_lower and any(capitals_inside(w) for w in words):
        caps_words = list(words)  # the whole cell is in capitals: "X· HéI" -> "XÃ HỘI"
    else:
        caps_words = [w for w in words if capitals_inside(w) and not any(is_ascii_lower(i) for i in w)]
    for word in caps_words:
        for i in word:
            if kinds[i] in (_K_BASE, _K_TONED):
                chars[i] = chars[i].upper()

    # Title case: when every other word starts with a capital, so does one starting with a
    # toned letter ("§Æng ThÞ ¸nh" -> "Đặng Thị Ánh").
    rest = [w for w in words if w not in caps_words]
    starts = [w[0] for w in words]
    if any(is_upper(i) for i in starts) and not any(
            is_ascii_lower(i) or kinds[i] == _K_BASE for i in (w[0] for w in rest)):
        for word in rest:
            if kinds[word[0]] == _K_TONED:
                chars[word[0]] = chars[word[0]].upper()


def _decode_vni(text: str) -> tuple[str, int, int, int]:
    out: list[str] = []
    letters = hard = soft = 0
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if len(pair) == 2 and pair in _VNI_DECODE:
            out.append(_VNI_DECODE[pair])
            letters += 1
            i += 2
            continue
        ch = text[i]
        if ch in _VNI_DECODE:
            out.append(_VNI_DECODE[ch])
            if not ch.isascii():
                letters += 1
        else:
            out.append(ch)
            if not ch.isascii():
                badness = _unexplained(text, i)
                hard += badness == _HARD
                soft += badness == _SOFT
        i += 1
    return "".join(out), letters, hard, soft


_DECODERS = {TCVN3: _decode_tcvn3, VNI: _decode_vni}


def _unicode_plausible(text: str) -> bool:
    """The text already reads as Vietnamese in Unicode: every non-ASCII letter is Vietnamese,
    every word with one is a well-formed syllable in a normal case pattern, and no symbol sits
    inside a word (as TCVN3's "V¨n" would).  Decides ties in favour of leaving the text alone."""
    for i, ch in enumerate(text):
        if ch.isascii() or ch in _VIET_LETTERS:
            continue
        if ch.isalpha():
            return False
        if ch == "\u00a0" or ord(ch) >= 0x2000:
            continue
        before = i > 0 and text[i - 1].isalpha()
        after = i + 1 < len(text) and text[i + 1].isalpha()
        if (before and after) or (ch in _TCVN3_DECODE and (before or after)):
            return False  # a symbol inside a word, or a TCVN3 letter code ("«ng", "Th¬") next to one
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words or not all(_case_ok(w) and _is_syllable(w.lower()) for w in words):
        return False
    # "BÝ th\xad": a short capitalised word among lower-case ones is TCVN3's Bí, not "BÝ".
    has_lower = any(ch.islower() for ch in text)
    return not (has_lower and any(len(w) > 1 and w.isupper() for w in words))


@dataclass(frozen=True)
class _Analysis:
    text: str  # the input, NFC
    kind: str  # "ascii", "unicode" (cannot be legacy) or "latin" (might be)
    plausible: bool = False  # reads as Vietnamese Unicode
    readings: dict[str, _Reading] = field(default_factory=dict)  # acceptable legacy readings
    best: str | None = None

    def votes(self) -> dict[str | None, float]:
        if self.kind == "ascii":
            return {}
        if self.kind == "unicode":
            return {None: 1.0}
        if self.best is not None:
            return {self.best: 1.0}
        options: list[str | None] = list(self.readings)
        if self.plausible:
            options.append(None)
        return {option: 1.0 / len(options) for option in options}


@lru_cache(maxsize=4096)
def _analyse(text: str) -> _Analysis:
    text = _nfc(text)
    if text.isascii():
        return _Analysis(text, "ascii")
    if not all(_representable(ch) for ch in text):
        return _Analysis(text, "unicode", plausible=True)
    plausible = _unicode_plausible(text)
    readings = {}
    for encoding, decode in _DECODERS.items():
        reading = _score(*decode(text))
        if reading.acceptable:
            readings[encoding] = reading
    best = None
    if readings and not plausible:
        ranked = sorted(readings, key=lambda enc: readings[enc].rank)
        if len(ranked) == 1 or readings[ranked[0]].rank < readings[ranked[1]].rank:
            best = ranked[0]
    return _Analysis(text, "latin", plausible, readings, best)


def _check_encoding(encoding: str | None) -> None:
    if encoding is not None and encoding not in _ENCODINGS:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected {TCVN3!r}, {VNI!r} or None")


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def to_tcvn3(text: str) -> str:
    """Unicode Vietnamese as it appears in a TCVN3 (.VnTime) file read as Latin-1.

    Capitals with a tone mark have no code of their own and come out as the lower-case code,
    as the .VnTimeH fonts type them.  Characters TCVN3 cannot hold are left as they are."""
    return "".join(_TCVN3_ENCODE.get(ch, ch) for ch in _nfc(text))


def to_vni(text: str) -> str:
    """Unicode Vietnamese as it appears in a VNI Windows (VNI-Times) file read as Latin-1."""
    return "".join(_VNI_ENCODE.get(ch, ch) for ch in _nfc(text))


def from_legacy(text: str, encoding: str | None) -> str:
    """Decode ``text`` as ``encoding`` ("TCVN3", "VNI"; None only normalises) without detection."""
    _check_encoding(encoding)
    text = _nfc(text)
    if encoding is None:
        return text
    return _DECODERS[encoding](text)[0]


def detect_legacy(text: str) -> str | None:
    """"TCVN3" or "VNI" when the text is clearly in that legacy encoding; None for Unicode, plain
    ASCII, non-Vietnamese text and texts that read equally well more than one way."""
    return _analyse(text).best


def fix_legacy(text: str, *, hint: str | None = None) -> tuple[str, str | None]:
    """(Unicode NFC text, encoding it was converted from or None).

    ``hint`` is the encoding of the text's column (see ``detect_legacy_column``): it decides
    cells that read well both in it and otherwise, never one that reads badly in it."""
    _check_encoding(hint)
    return _fix(_analyse(text), hint)


def _fix(analysis: _Analysis, hint: str | None) -> tuple[str, str | None]:
    if analysis.kind != "latin":
        return analysis.text, None
    encoding = hint if hint in analysis.readings else analysis.best
    if encoding is None:
        return analysis.text, None
    return analysis.readings[encoding].text, encoding


def detect_legacy_column(values: Iterable[str]) -> str | None:
    """The legacy encoding of a spreadsheet column, by majority over its non-ASCII cells.

    A cell that is clearly one thing votes for it; a cell that reads well several ways splits
    its vote; cells that read as nothing (foreign words, junk) and ASCII cells do not vote.
    Returns "TCVN3" or "VNI" only when it beats both Unicode and the other encoding."""
    return _vote(_analyse(value) for value in values if isinstance(value, str))


def _vote(analyses: Iterable[_Analysis]) -> str | None:
    totals: dict[str | None, float] = {None: 0.0, TCVN3: 0.0, VNI: 0.0}
    for analysis in analyses:
        for option, weight in analysis.votes().items():
            totals[option] += weight
    winner = max(_ENCODINGS, key=lambda enc: totals[enc])
    loser = VNI if winner == TCVN3 else TCVN3
    if totals[winner] > totals[None] and totals[winner] > totals[loser]:
        return winner
    return None


def fix_legacy_cells(values: Sequence[str]) -> tuple[list[tuple[str, str | None]], str | None]:
    """`fix_legacy` of every cell of a column with the column's encoding as the hint (`detect_legacy_column`),
    each cell analysed once: ([(text, encoding it was converted from or None)], the column's encoding)."""
    analyses = [_analyse(v) for v in values]
    encoding = _vote(analyses)
    return [_fix(a, encoding) for a in analyses], encoding


def fix_legacy_column(values: list[str]) -> tuple[list[str], str | None]:
    """Every cell of a column converted with the column's encoding as a hint, and that encoding.
    Values that are not strings are returned unchanged."""
    encoding = detect_legacy_column(values)
    fixed = [fix_legacy(v, hint=encoding)[0] if isinstance(v, str) else v for v in values]
    return fixed, encoding
