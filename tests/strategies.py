"""Hypothesis strategies for valid reports, shared by the domain and store property tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from synthwatch.domain.report import ReportKind

# Real places with their ISO 3166-2 codes.
PLACES = [
    ("US", "US-TX"), ("US", "US-AZ"), ("US", None), ("MX", "MX-SON"), ("MX", "MX-BCN"),
    ("CA", "CA-BC"), ("CA", "CA-ON"), ("CN", "CN-SH"), ("IN", "IN-MH"), ("NL", None),
]  # fmt: skip
CAS_NUMBERS = ["437-38-7", "79099-07-3", "21409-26-7", "3731-59-7", "57-27-2", "50-00-0"]
ENTITIES = [
    {"type": "phone", "value": "+52 662 123 4567"},
    {"type": "phone", "value": "(520) 555-0134", "country": "US"},
    {"type": "email", "value": "Ventas@Quimica-Norte.example"},
    {"type": "company", "value": "Shanghai Huayuan Chemical Co., Ltd."},
    {"type": "person", "value": "GUZMAN LOERA, Joaquin"},
    {"type": "address", "value": "Av. Reforma 222, Col. Juárez, CDMX"},
    {"type": "tracking_number", "value": "1Z 999 AA1 01 2345 6784"},
    {"type": "wallet", "value": "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
    {"type": "vessel", "value": "MV Ocean Star IMO 9074729"},
]
MEMBERS = ["U.S. Customs and Border Protection", "Laboratorio Central de Sonora"]

# Text as people type it: any printable character, tabs and newlines, no other control codes.
free_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r"),
    max_size=300,
)
names = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(bool)
)

today = datetime.now(UTC).date()
days = st.dates(min_value=date(1900, 1, 1), max_value=today)
moments = st.one_of(
    days.map(date.isoformat),
    st.datetimes(
        min_value=datetime(1900, 1, 2), max_value=datetime.now() - timedelta(days=1),
        timezones=st.just(UTC),
    ).map(lambda d: d.isoformat()),
)  # fmt: skip


@st.composite
def substances(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {}
    choice = draw(st.sampled_from(["text", "cas", "smiles", "all"]))
    if choice in ("text", "all"):
        item["text"] = draw(names)
    if choice in ("cas", "all"):
        item["cas"] = draw(st.sampled_from(CAS_NUMBERS))
    if choice in ("smiles", "all"):
        item["smiles"] = draw(
            st.sampled_from(["CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "O=C1CCNCC1"])
        )
    if draw(st.booleans()):
        item["quantity"] = draw(st.floats(min_value=0, max_value=1e6, allow_nan=False))
        item["unit"] = draw(st.sampled_from(["g", "kg", "mg", "lb", "tablet", "mL"]))
    if draw(st.booleans()):
        item["purity"] = draw(st.floats(min_value=0, max_value=100, allow_nan=False))
    return item


@st.composite
def markings(draw: st.DrawFn) -> dict[str, Any]:
    tlp = draw(st.sampled_from(["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]))
    marking: dict[str, Any] = {"tlp": tlp}
    if tlp in ("AMBER", "AMBER+STRICT") and draw(st.booleans()):
        marking["recipients"] = draw(st.lists(st.sampled_from(MEMBERS), max_size=2, unique=True))
    if tlp == "RED":
        marking["users"] = draw(
            st.lists(st.sampled_from(["ana", "li.wei", "jsmith"]), min_size=1, unique=True)
        )
    return marking


@st.composite
def report_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid report in its JSON form, as a member might send it."""
    country, subdivision = draw(st.sampled_from(PLACES))
    location: dict[str, Any] = {"country": country}
    if subdivision:
        location["subdivision"] = subdivision
    if draw(st.booleans()):
        location["place"] = draw(names)
    if draw(st.booleans()):
        location["lat"] = draw(st.floats(min_value=-90, max_value=90, allow_nan=False))
        location["lon"] = draw(st.floats(min_value=-180, max_value=180, allow_nan=False))
    kind = draw(st.sampled_from(list(ReportKind)))
    document: dict[str, Any] = {
        "external_id": draw(names),
        "kind": kind.value,
        "observed_at": draw(moments),
        "location": location,
        "substances": draw(st.lists(substances(), min_size=1, max_size=3)),
        "entities": draw(st.lists(st.sampled_from(ENTITIES), max_size=4)),
        "count": draw(st.integers(min_value=0, max_value=1_000_000_000)),
        "narrative": draw(free_text),
        "marking": draw(markings()),
    }
    if draw(st.booleans()):
        document["grading"] = {
            "source": draw(st.sampled_from("ABCDEF")),
            "information": draw(st.integers(1, 6)),
        }
    return document
