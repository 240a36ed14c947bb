"""Malformed containers thrown at the committee's importer: only the documented refusal, never a crash,
never a partial write."""
from __future__ import annotations

import base64
import datetime as dt
import json
import warnings

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.exchange import keys
from services.exchange.committee import receive_bytes
from services.exchange.container import (
    DATA,
    MANIFEST,
    ExchangeRefused,
    Period,
    build_container,
    data_problems,
    read_container,
)
from services.exchange.schema import validate
from tests.exchange_support import dump, entries, make_committee, resign, zip_of
from tests.test_exchange_container import BRANCH, sample_data

KEY = Ed25519PrivateKey.generate()
VALID = build_container(BRANCH, Period.of_year(2020), sample_data(), KEY,
                        now=dt.datetime(2021, 1, 10, tzinfo=dt.UTC), program_version="0.1.0")
NAMES = [MANIFEST, DATA, "signature", "public_key", "bieu-mau-cuoi-nam.pdf", "bang-tong-hop.xlsx",
         "../x", "/abs", "C:\\x", "a/b", "", ".", "x" * 300]
RUNS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**12) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


@pytest.fixture
def committee(new_target):
    db = make_committee(new_target("dang-uy"), expected=["Chi bộ Văn phòng Sở"])
    yield db
    db.close()


ORIGINAL = read_container(VALID, "ok.scb")


def throw(committee, raw: bytes, acceptable=None) -> None:
    """Refused with the documented message and nothing written; accepted only when `acceptable(raw)`
    says the file is one the committee may take (never, without it)."""
    before = dump(committee.engine)
    try:
        receive_bytes(committee, raw, "thu.scb")
    except ExchangeRefused as exc:
        assert str(exc).startswith("Không nhận tệp thu.scb: ")
        assert dump(committee.engine) == before
    else:
        assert acceptable is not None and acceptable(raw), "a damaged or forged file was accepted"


def _same_signed_content(raw: bytes) -> bool:
    """Bytes outside what is signed and hashed (ZIP timestamps, say) may change; what counts may not."""
    c = read_container(raw, "thu.scb")
    return (c.manifest_bytes, c.data, c.attachments, c.public_key) == \
        (ORIGINAL.manifest_bytes, ORIGINAL.data, ORIGINAL.attachments, ORIGINAL.public_key)


def _valid_data(raw: bytes) -> bool:
    """A properly signed file whose data happens to be valid after the edit."""
    parts = entries(raw)
    data, manifest = json.loads(parts[DATA]), json.loads(parts[MANIFEST])
    return validate(data, "data") == [] and validate(manifest, "manifest") == [] \
        and data_problems(data, manifest) == []


@RUNS
@given(raw=st.binary(max_size=2000))
def test_random_bytes(committee, raw):
    throw(committee, raw)
    throw(committee, b"PK\x03\x04" + raw)


@RUNS
@given(flips=st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(1, 255)), min_size=1, max_size=6),
       cut=st.integers(0, len(VALID)))
def test_valid_file_with_bytes_changed_or_cut(committee, flips, cut):
    raw = bytearray(VALID)
    for pos, xor in flips:
        raw[pos] ^= xor
    throw(committee, bytes(raw), acceptable=_same_signed_content)
    throw(committee, VALID[:cut], acceptable=_same_signed_content)


@RUNS
@given(items=st.lists(st.tuples(st.sampled_from(NAMES) | st.text(max_size=30), st.binary(max_size=200)),
                      max_size=10))
def test_random_zip_entries(committee, items):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns when asked to write a name twice
        named = [(n.split("\x00")[0] or "x", b) for n, b in items]  # zipfile cuts a name at NUL
        raw = zip_of(named)
        mixed = zip_of([*entries(VALID).items(), *named[:2]])
    throw(committee, raw)
    throw(committee, mixed, acceptable=_same_signed_content)  # no extra entry: the valid file itself


@RUNS
@given(value=json_values, where=st.sampled_from(["data", "tally", "member", "manifest", "period"]),
       index=st.integers(0, 100))
def test_signed_files_with_wrong_json(committee, value, where, index):
    """Properly signed and hashed, so the check reaches the schema and the arithmetic."""
    data = sample_data()
    edit_manifest = None
    if where == "data":
        blob = json.dumps(value).encode()
    else:
        if where == "tally":
            data["tally"][list(data["tally"])[index % len(data["tally"])]] = value
        elif where == "member":
            data["members"][0]["level"] = value
        elif where == "period":
            data["period"] = value
        else:
            def edit_manifest(m):
                m[list(m)[index % len(m)]] = value
        blob = json.dumps(data).encode()
    throw(committee, resign(VALID, KEY, manifest_edit=edit_manifest, replace={DATA: blob}), acceptable=_valid_data)


def test_a_valid_file_still_goes_in(committee):
    """The property tests above would pass trivially if nothing were accepted."""
    result = receive_bytes(committee, VALID, "ok.scb")
    assert result.branch == "Chi bộ Văn phòng Sở"
    with pytest.raises(ExchangeRefused):
        receive_bytes(committee, resign(VALID, KEY, manifest_edit=lambda m: m["branch"].update(uid="x y")),
                      "x.scb")


@RUNS
@given(field=st.sampled_from(["members_total", "assessed", "not_assessed", "HTXSNV", "HTTNV", "HTNV", "KHTNV"]),
       value=st.integers(0, 12))
def test_signed_tallies_that_do_not_add_up(committee, field, value):
    """Properly signed, schema-valid numbers: accepted only when the tally still adds up."""
    data = sample_data()
    target = data["tally"]["levels"] if field in data["tally"]["levels"] else data["tally"]
    target[field] = value
    throw(committee, resign(VALID, KEY, replace={DATA: json.dumps(data).encode()}), acceptable=_valid_data)


@RUNS
@given(member=st.integers(0, 3), name=st.text(min_size=1, max_size=30), entry=st.sampled_from([DATA, "public_key"]))
def test_entries_changed_without_signing_again(committee, member, name, entry):
    """Whoever edits data.json (a valid edit: a member's name) or swaps the key, but cannot sign: refused."""
    parts = dict(entries(VALID))
    if entry == DATA:
        data = json.loads(parts[DATA])
        data["members"][member]["name"] += name
        parts[DATA] = json.dumps(data, ensure_ascii=False).encode()
    else:
        parts["public_key"] = base64.b64encode(keys.public_raw(Ed25519PrivateKey.generate()))
    throw(committee, zip_of(list(parts.items())))
