from __future__ import annotations

import pytest

from synthwatch.chem.identify import fold_name, identify_substance
from synthwatch.errors import ChemistryError

FENTANYL = "PJMPHNIQZUBGLI-UHFFFAOYSA-N"  # PubChem CID 3345


@pytest.mark.parametrize(
    "spelling",
    [
        "Para-Fluorofentanyl HCl",
        "p-fluorofentanyl",
        "PARA-FLUORO FENTANYL",
        "para‐fluoro­fentanyl citrate",
    ],
)
def test_spellings_of_one_name_fold_alike(spelling: str) -> None:
    assert fold_name(spelling) == fold_name("para-fluorofentanyl")


def test_different_names_fold_apart() -> None:
    assert fold_name("acetylfentanyl") != fold_name("acrylfentanyl")
    assert fold_name("ortho-fluorofentanyl") != fold_name("para-fluorofentanyl")


@pytest.mark.parametrize(
    "query", ["fentanyl", "Fentanyl citrate", "FENTANYL HYDROCHLORIDE", "437-38-7", "437387"]
)
def test_names_and_cas_numbers_resolve_to_the_parent(query: str) -> None:
    found = identify_substance(query)
    assert found.inchikey == FENTANYL
    assert found.via in ("name", "cas")


def test_a_salt_structure_resolves_to_its_free_base_and_says_so() -> None:
    found = identify_substance("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1.Cl")
    assert found.inchikey == FENTANYL
    assert found.via == "smiles"
    assert found.changes
    assert found.name is not None
    assert "fentanyl" in found.name.lower()


def test_an_ambiguous_abbreviation_resolves_to_the_controlled_meaning_and_names_the_other() -> None:
    found = identify_substance("4-AP")
    assert found.smiles == "c1ccc(NC2CCNCC2)cc1"
    assert any("aminopyridine" in other.lower() for other in found.other_meanings)


def test_trade_abbreviations_resolve() -> None:
    assert identify_substance("1-boc-4-AP").smiles == "CC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1"
    assert identify_substance("NPP").smiles == "O=C1CCN(CCc2ccccc2)CC1"
    assert identify_substance("4-ANPP").smiles == "c1ccc(CCN2CCC(Nc3ccccc3)CC2)cc1"


def test_a_forensic_lab_description_with_synonyms_in_parentheses_resolves() -> None:
    found = identify_substance(
        "ACRYL FENTANYL (ACRYLOYLFENTANYL; N-(1-PHENETHYLPIPERIDIN-4-YL)-N-PHENYLACRYLAMIDE)"
    )
    assert found.smiles == "C=CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("437-38-8", "check digit"),
        ("50-00-0", "not in the knowledge base"),
        ("definitely not a drug name", "unknown name"),
        ("", "empty"),
        ("C(C)(C)(C)(C)C", "valence"),
        ("x" * 600, "too long for a name"),
    ],
)
def test_what_cannot_be_resolved_says_why(query: str, reason: str) -> None:
    with pytest.raises(ChemistryError, match=reason):
        identify_substance(query)


@pytest.mark.parametrize(
    ("lab_name", "smiles"),
    [  # descriptions exactly as they appear in the DEA NFLIS extract
        ("4-ANILINO-1-PHENETHYLPIPERIDINE", "c1ccc(CCN2CCC(Nc3ccccc3)CC2)cc1"),
        ("FENTANYL SALT UNDETERMINED", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
        (
            "ACETYL FENTANYL (N-(1-PHENETHYLPIPERIDIN-4-YL)-N-PHENYLACETAMIDE), SALT UNDETERMINED",
            "CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
        ),
    ],
)
def test_forensic_lab_names_resolve(lab_name: str, smiles: str) -> None:
    assert identify_substance(lab_name).smiles == smiles


def test_a_name_without_the_position_of_its_substituent_is_not_guessed() -> None:
    with pytest.raises(ChemistryError, match="unknown name"):
        identify_substance("FLUOROFENTANYL, ISOMER UNDETERMINED")
