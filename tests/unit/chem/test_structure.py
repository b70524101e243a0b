"""Parsing what users paste: SMILES, InChI, molfiles/SDF -> a molecule or a reason, never a crash."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdkit import Chem
from rdkit.Chem import rdDepictor

from synthwatch.chem.normalize import to_parent
from synthwatch.chem.structure import (
    MAX_HEAVY_ATOMS,
    detect_structure_kind,
    from_inchi,
    from_molblock,
    from_smiles,
    to_canonical_smiles,
    to_formula,
    to_inchikey,
)
from synthwatch.errors import ChemistryError

FENTANYL = "CCC(=O)N(C1CCN(CCc2ccccc2)CC1)c1ccccc1"
FENTANYL_KEY = "PJMPHNIQZUBGLI-UHFFFAOYSA-N"  # PubChem CID 3345
# Standard InChI of fentanyl (PubChem CID 3345).
FENTANYL_INCHI = (
    "InChI=1S/C22H28N2O/c1-2-22(25)24(20-11-7-4-8-12-20)21-14-17-23(18-15-21)16-13-19-9-5-3-6-10-19"
    "/h3-12,21H,2,13-18H2,1H3"
)
DRUGS = [
    FENTANYL,
    "CN1[C@H]2CC[C@@H]1[C@@H](C(=O)OC)[C@@H](OC(=O)c1ccccc1)C2",  # cocaine
    "CN[C@@H](C)Cc1ccccc1",  # (S)-methamphetamine
    "CC(=O)Oc1ccc2C[C@H]3N(C)CC[C@@]45[C@@H](Oc1c24)[C@H](OC(C)=O)C=C[C@@H]35",  # heroin
    "CCN(CC)C(=O)[C@H]1CN(C)[C@@H]2Cc3c[nH]c4cccc(c34)C2=C1",  # LSD
    "C[C@@H](c1cccc(C)c1C)c1c[nH]cn1",  # dexmedetomidine
    "CN[C@@H](C)C(=O)c1ccc2c(c1)OCO2",  # methylone
]

V2000_ETHANOL = """ethanol
  handwritten

  3  2  0  0  0  0  0  0  0  0999 V2000
    0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0
    1.2990    0.7500    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0
    2.5981    0.0000    0.0000 O   0  0  0  0  0  0  0  0  0  0  0  0
  1  2  1  0
  2  3  1  0
M  END
"""

EMPTY_MOLFILE = """
  nothing here

  0  0  0  0  0  0  0  0  0  0999 V2000
M  END
"""


def _reason(call: object, text: str) -> str:
    assert callable(call)
    with pytest.raises(ChemistryError) as caught:
        call(text)
    return str(caught.value)


def _molblock(smiles: str, *, v3000: bool = False) -> str:
    mol = Chem.MolFromSmiles(smiles)
    rdDepictor.Compute2DCoords(mol)
    return Chem.MolToV3KMolBlock(mol) if v3000 else Chem.MolToMolBlock(mol)


# --------------------------------------------------------------------------- SMILES


def test_smiles_parses_and_gives_the_published_key_and_formula() -> None:
    mol = from_smiles(FENTANYL)
    assert to_inchikey(mol) == FENTANYL_KEY
    assert to_formula(mol) == "C22H28N2O"
    assert to_canonical_smiles(mol) == "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"


def test_surrounding_whitespace_and_zero_width_characters_are_stripped() -> None:
    expected = to_inchikey(from_smiles("CCO"))
    for text in ("  CCO\n", "\ufeffCCO", "\u200bCCO\u200b", "\tCCO\u3000"):
        assert to_inchikey(from_smiles(text)) == expected


def test_cxsmiles_extension_is_accepted_but_other_trailing_text_is_not() -> None:
    assert to_canonical_smiles(from_smiles("CCO |$;;$|")) == "CCO"
    assert (
        _reason(from_smiles, "CC O")
        == "unexpected text after the SMILES: 'O' (one structure per query)"
    )
    assert "unexpected text" in _reason(from_smiles, "CCO ethanol")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty SMILES"),
        ("   \n", "empty SMILES"),
        ("C(C)(C)(C)(C)C", "unparseable SMILES: explicit valence for atom # 0 C, 5, is greater than permitted"),
        ("CN(C)(C)(C)C", "unparseable SMILES: explicit valence for atom # 1 N, 5, is greater than permitted"),
        ("C1CC", "unparseable SMILES: unclosed ring"),
        ("xyz", "unparseable SMILES: syntax error at position 1"),
        ("CC)C", "unparseable SMILES: extra close parentheses at position 3"),
        ("c1cccc1", "unparseable SMILES: can't kekulize mol.  Unkekulized atoms: 0 1 2 3 4"),
        ("C" * 400, f"molecule too large (400 heavy atoms; at most {MAX_HEAVY_ATOMS})"),
        ("C" * 2001, "SMILES longer than 2000 characters"),
        ("C\u2212C", "contains characters that are not SMILES: '−' U+2212 MINUS SIGN"),
        ("ＣＣＯ", "contains characters that are not SMILES: 'Ｃ' U+FF23 FULLWIDTH LATIN CAPITAL LETTER C, "
                 "'Ｏ' U+FF2F FULLWIDTH LATIN CAPITAL LETTER O"),
        ("C\u200bC", "contains characters that are not SMILES: '\\u200b' U+200B ZERO WIDTH SPACE"),
        ("C\tC", "contains characters that are not SMILES: '\\t' U+0009"),
        ("*CC", "contains a wildcard, query or R-group atom; give a complete structure"),
        ("C~C", "contains a query bond (e.g. 'any' or 'single or double'); give a complete structure"),
        ("[99999C]", "impossible isotope mass 99999"),
    ],
)  # fmt: skip
def test_bad_smiles_are_refused_with_a_reason(text: str, reason: str) -> None:
    assert _reason(from_smiles, text) == reason


def test_reasons_never_echo_the_input_or_span_lines() -> None:
    reason = _reason(from_smiles, "C" * 100 + "(" * 50)
    assert reason.startswith("unparseable SMILES: syntax error at position")
    assert "CCCC" not in reason
    assert "\n" not in reason


def test_a_ten_megabyte_line_is_refused_quickly() -> None:
    line = "C" * 10_000_000
    start = time.perf_counter()
    assert _reason(from_smiles, line) == "SMILES longer than 2000 characters"
    assert _reason(from_inchi, "InChI=1S/" + line) == "InChI longer than 5000 characters"
    assert _reason(from_molblock, line) == "molfile larger than 1 MB"
    assert detect_structure_kind(line) == "smiles"
    assert time.perf_counter() - start < 1.0


def test_a_long_smiles_just_under_the_length_cap_is_counted_before_sanitising() -> None:
    # 1,000 chained rings are too large; the size is known before ring perception runs.
    smiles = "C1CC1" * 300
    assert (
        _reason(from_smiles, smiles)
        == f"molecule too large (900 heavy atoms; at most {MAX_HEAVY_ATOMS})"
    )
    # 150 heavy atoms is the limit itself, and is accepted.
    assert from_smiles("C" * MAX_HEAVY_ATOMS).GetNumHeavyAtoms() == MAX_HEAVY_ATOMS


def test_parsing_does_not_write_to_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    for text in ("C1CC", "C(C)(C)(C)(C)C", "xyz", "c1cccc1"):
        with pytest.raises(ChemistryError):
            from_smiles(text)
    with pytest.raises(ChemistryError):
        from_inchi("InChI=1S/garbage")
    assert capfd.readouterr().err == ""


# --------------------------------------------------------------------------- InChI


@pytest.mark.parametrize("smiles", DRUGS)
def test_inchi_round_trip_keeps_identity_and_stereo(smiles: str) -> None:
    mol = from_smiles(smiles)
    again = from_inchi(Chem.MolToInchi(mol))
    assert to_inchikey(again) == to_inchikey(mol)


def test_published_inchi_parses_to_fentanyl() -> None:
    assert to_inchikey(from_inchi(FENTANYL_INCHI)) == FENTANYL_KEY
    assert to_formula(from_inchi(FENTANYL_INCHI)) == "C22H28N2O"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("InChI=1S/garbage", "not a valid InChI: syntax error in MOBILE_H_FORMULA"),
        ("InChI=1S/C2H6O/c1-2-9/h3H,2H2,1H3", "not a valid InChI: syntax error in MOBILE_H_CONNECTIONS"),
        ("InChI=1S/C2H6O/c1-2-3/h3H,2H2,1H3/t1-/m0", "not a valid InChI"),
        ("fentanyl", "not a valid InChI (it must start with 'InChI=1')"),
        ("", "empty InChI"),
        ("InChI=1S/C400H802/c1-2-3", f"molecule too large (400 heavy atoms; at most {MAX_HEAVY_ATOMS})"),
        ("InChI=1S/C2H6O/c1\u22122-3", "contains characters that are not InChI: '−' U+2212 MINUS SIGN"),
    ],
)  # fmt: skip
def test_bad_inchi_is_refused_with_a_reason(text: str, reason: str) -> None:
    assert _reason(from_inchi, text) == reason


# --------------------------------------------------------------------------- molfiles


def test_v2000_molfile() -> None:
    mol = from_molblock(V2000_ETHANOL)
    assert to_canonical_smiles(mol) == "CCO"


def test_molfile_that_lost_its_blank_title_line_is_still_read() -> None:
    block = _molblock(FENTANYL)
    assert block.startswith("\n")
    assert to_inchikey(from_molblock(block.lstrip("\n"))) == FENTANYL_KEY


@pytest.mark.parametrize("v3000", [False, True])
def test_molfile_keeps_stereo_from_wedges(v3000: bool) -> None:
    dexmedetomidine = DRUGS[5]
    block = _molblock(dexmedetomidine, v3000=v3000)
    assert ("V3000" in block) is v3000
    mol = from_molblock(block)
    assert to_inchikey(mol) == to_inchikey(from_smiles(dexmedetomidine))
    assert to_inchikey(mol) != to_inchikey(from_smiles("CC(c1cccc(C)c1C)c1c[nH]cn1"))


def test_sdf_with_two_records_gives_the_first() -> None:
    first = _molblock(FENTANYL) + "> <NAME>\nfentanyl\n\n$$$$\n"
    second = _molblock("CCO") + "$$$$\n"
    mol = from_molblock(first + second)
    assert to_inchikey(mol) == FENTANYL_KEY


def test_molfile_with_explicit_hydrogens_gives_the_heavy_atom_graph() -> None:
    block = Chem.MolToMolBlock(Chem.AddHs(Chem.MolFromSmiles("CCO")))
    mol = from_molblock(block)
    assert mol.GetNumAtoms() == 3
    assert to_formula(mol) == "C2H6O"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (EMPTY_MOLFILE, "molfile has no atoms"),
        ("", "empty molfile"),
        ("\n\n\n", "empty molfile"),
        (V2000_ETHANOL.replace("  3  2  0", "  9  2  0"), "unreadable molfile"),
        (V2000_ETHANOL.replace("  2  3  1  0", "  2  3  5  0"), "contains a query bond"),
        (V2000_ETHANOL.replace(" O ", " R#"), "contains a wildcard, query or R-group atom"),
        (V2000_ETHANOL.replace(" O ", " Q "), "contains a wildcard, query or R-group atom"),
        (_molblock("C" * 200), f"molecule too large (200 heavy atoms; at most {MAX_HEAVY_ATOMS})"),
        (V2000_ETHANOL.replace("ethanol", "éthanol"), "contains characters that are not a molfile: 'é' U+00E9"),
    ],
)  # fmt: skip
def test_bad_molfiles_are_refused_with_a_reason(text: str, reason: str) -> None:
    assert _reason(from_molblock, text).startswith(reason)


def test_molfile_with_an_impossible_valence_names_the_atom() -> None:
    pentavalent = Chem.MolFromSmiles("C(C)(C)(C)(C)C", sanitize=False)
    pentavalent.UpdatePropertyCache(strict=False)
    block = Chem.MolToMolBlock(pentavalent, kekulize=False)
    assert _reason(from_molblock, block) == (
        "invalid molecule in molfile: explicit valence for atom # 0 C, 5, is greater than permitted"
    )


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (FENTANYL, "smiles"),
        ("CN[C@@H](C)Cc1ccccc1", "smiles"),
        ("[Na+].[Cl-]", "smiles"),
        ("CCO |$;;$|", "smiles"),
        ("C\u2212C", "smiles"),  # the parser, not a name lookup, must explain the minus sign
        (FENTANYL_INCHI, "inchi"),
        ("  InChI=1S/CH4/h1H4\n", "inchi"),
        (V2000_ETHANOL, "molblock"),
        (_molblock(FENTANYL, v3000=True), "molblock"),
        (_molblock(FENTANYL) + "$$$$\n" + _molblock("CCO") + "$$$$\n", "molblock"),
        ("fentanyl", None),
        ("Fentanyl citrate", None),
        ("cocaine", None),
        ("MDMA", None),
        ("437-38-7", None),  # fentanyl's CAS number
        ("50-00-0", None),
        ("", None),
        ("   ", None),
        ("two\nlines", None),
    ],
)  # fmt: skip
def test_detect_structure_kind(text: str, kind: str | None) -> None:
    assert detect_structure_kind(text) == kind


# --------------------------------------------------------------------------- hostile input

_SMILES_ALPHABET = "CNOSPFIBrcl nos()[]=#$:/\\@+-.%0123456789*Hh"


def _is_mol_or_chemistry_error(call: object, text: str) -> None:
    """The contract: a molecule whose parent has a key, or ChemistryError — nothing else."""
    assert callable(call)
    reason = ""
    try:
        mol = call(text)
    except ChemistryError as error:
        reason = str(error)
    if reason:
        assert "\n" not in reason
        return
    assert isinstance(mol, Chem.Mol)
    assert mol.GetNumAtoms() > 0
    assert mol.GetNumHeavyAtoms() <= MAX_HEAVY_ATOMS
    try:
        key = to_inchikey(to_parent(mol))
    except ChemistryError as error:
        key = str(error)
    assert key


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_gives_a_mol_or_chemistry_error(text: str) -> None:
    _is_mol_or_chemistry_error(from_smiles, text)
    assert detect_structure_kind(text) in {"smiles", "inchi", "molblock", None}


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_a_mol_or_chemistry_error(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    for parse in (from_smiles, from_inchi, from_molblock):
        _is_mol_or_chemistry_error(parse, text)
    _is_mol_or_chemistry_error(from_inchi, "InChI=1S/" + text)


@st.composite
def _mutated_smiles(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(DRUGS))
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(text)))
        char = draw(st.sampled_from(_SMILES_ALPHABET))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            text = text[:index] + char + text[index:]
        elif action == "delete":
            text = text[:index] + text[index + 1 :]
        else:
            text = text[:index] + char + text[index + 1 :]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated_smiles())
def test_mutated_valid_smiles_give_a_mol_or_chemistry_error(text: str) -> None:
    _is_mol_or_chemistry_error(from_smiles, text)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_mutated_molfiles_give_a_mol_or_chemistry_error(data: st.DataObject) -> None:
    lines = _molblock(DRUGS[1]).split("\n")
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(lines) - 1))
        replacement = data.draw(st.text(alphabet="0123456789 .-CNOHV+M", max_size=70))
        lines[index] = replacement
    _is_mol_or_chemistry_error(from_molblock, "\n".join(lines))
