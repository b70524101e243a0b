"""SVG depictions: well-formed, highlighted where asked, safe to put into an HTML page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdkit import Chem

from synthwatch.chem.depiction import HIGHLIGHT_HEX, to_svg
from synthwatch.chem.structure import from_smiles
from synthwatch.errors import ChemistryError

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    """Parse our own output (no entities, no DTD) to prove it is well-formed XML."""
    return ET.fromstring(svg)  # noqa: S314


FENTANYL = "CCC(=O)N(C1CCN(CCc2ccccc2)CC1)c1ccccc1"


def test_svg_is_well_formed_xml_of_the_requested_size() -> None:
    svg = to_svg(from_smiles(FENTANYL), width=320, height=200)
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "320px"
    assert root.get("height") == "200px"
    assert not svg.startswith("<?xml")  # not allowed inline in HTML
    assert HIGHLIGHT_HEX not in svg


def test_highlighted_atoms_are_drawn_in_the_highlight_colour() -> None:
    mol = from_smiles(FENTANYL)
    svg = to_svg(mol, [0, 1, 2])
    _parse(svg)
    assert HIGHLIGHT_HEX == "#F28C33"
    assert svg.count(HIGHLIGHT_HEX) >= 3
    assert to_svg(mol, range(3)) == svg  # any sequence of indices


def test_legend_cannot_inject_markup() -> None:
    legend = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    svg = to_svg(from_smiles("CCO"), legend=legend)
    root = _parse(svg)
    assert "<script" not in svg
    assert "<img" not in svg
    assert "&lt;script&gt;" in svg
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}title").text == legend  # type: ignore[union-attr]
    assert not list(root.iter(f"{SVG}script"))
    assert not any(
        name.lower().startswith("on") for element in root.iter() for name in element.attrib
    )


def test_legend_with_control_and_lone_surrogate_characters_still_gives_valid_xml() -> None:
    svg = to_svg(from_smiles("CCO"), legend="a\x00b\x1b\ud800c\u202e漢")
    root = _parse(svg)
    assert root.find(f"{SVG}title").text == "abc漢"  # type: ignore[union-attr]


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80))
def test_any_legend_gives_valid_xml_without_script(legend: str) -> None:
    svg = to_svg(from_smiles("c1ccccc1O"), [0], legend=legend)
    _parse(svg)
    assert "<script" not in svg.lower()


def test_molecule_without_coordinates_or_with_stereo_and_charges_is_drawn() -> None:
    for smiles in ("C[C@@H](N)Cc1ccccc1", "C[N+](C)(C)C.[Cl-]", "[2H]C([2H])([2H])O"):
        _parse(to_svg(from_smiles(smiles)))


@pytest.mark.parametrize(
    ("atoms", "size", "message"),
    [
        ([99], (400, 300), "highlight atom index 99 out of range (molecule has 3 atoms)"),
        ([-1], (400, 300), "highlight atom index -1 out of range"),
        ([], (0, 300), "SVG size 0x300 is outside 1..4000 pixels"),
        ([], (400, 100_000), "SVG size 400x100000 is outside 1..4000 pixels"),
    ],
)
def test_impossible_requests_raise_value_error(
    atoms: list[int], size: tuple[int, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        to_svg(from_smiles("CCO"), atoms, width=size[0], height=size[1])


def test_empty_molecule_is_a_chemistry_error() -> None:
    with pytest.raises(ChemistryError, match="no atoms"):
        to_svg(Chem.Mol())
