"""The parent compound: salts and solvents off, neutral, normalised, stereo kept, and explained."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdkit import Chem, RDConfig
from rdkit.Chem import rdCIPLabeler

from synthwatch.chem import normalize
from synthwatch.chem.normalize import describe_changes, to_parent
from synthwatch.chem.structure import (
    from_inchi,
    from_smiles,
    to_canonical_smiles,
    to_formula,
    to_inchikey,
)
from synthwatch.errors import ChemistryError

FENTANYL = "CCC(=O)N(C1CCN(CCc2ccccc2)CC1)c1ccccc1"
# Keys computed from these free-base SMILES, whose formulas were checked (fentanyl C22H28N2O,
# carfentanil C24H30N2O3); fentanyl's key is PubChem's (CID 3345), carfentanil's is CID 62156.
FENTANYL_KEY = "PJMPHNIQZUBGLI-UHFFFAOYSA-N"
CARFENTANIL = "CCC(=O)N(c1ccccc1)C1(C(=O)OC)CCN(CCc2ccccc2)CC1"
CARFENTANIL_KEY = "YDSDEBIZUNNPOB-UHFFFAOYSA-N"
CITRIC_ACID = "OC(=O)CC(O)(CC(=O)O)C(=O)O"
OXALIC_ACID = "OC(=O)C(=O)O"
# (+)-cis-3-methylfentanyl is (3R,4S); checked with RDKit's CIP labeller below.
CIS_3_METHYLFENTANYL = "CCC(=O)N(c1ccccc1)[C@H]1CCN(CCc2ccccc2)C[C@H]1C"
DEXMEDETOMIDINE = "C[C@@H](c1cccc(C)c1C)c1c[nH]cn1"  # (S)
MEDETOMIDINE = "CC(c1cccc(C)c1C)c1c[nH]cn1"  # racemate


def _parent(smiles: str) -> Chem.Mol:
    return to_parent(from_smiles(smiles))


@pytest.mark.parametrize(
    ("salt", "key", "formula"),
    [
        (f"{FENTANYL}.{CITRIC_ACID}", FENTANYL_KEY, "C22H28N2O"),  # citrate
        (f"{FENTANYL}.Cl", FENTANYL_KEY, "C22H28N2O"),  # hydrochloride, as drawn
        ("CCC(=O)N(C1CC[NH+](CCc2ccccc2)CC1)c1ccccc1.[Cl-]", FENTANYL_KEY, "C22H28N2O"),  # as ions
        (f"{FENTANYL}.O.O", FENTANYL_KEY, "C22H28N2O"),  # dihydrate
        (f"O.{FENTANYL}.Cl", FENTANYL_KEY, "C22H28N2O"),  # hydrochloride hydrate, base not first
        (f"{CARFENTANIL}.{OXALIC_ACID}", CARFENTANIL_KEY, "C24H30N2O3"),  # oxalate
        ("CCC(=O)N(c1ccccc1)C1(C(=O)OC)CC[NH+](CCc2ccccc2)CC1.OC(=O)C(=O)[O-]", CARFENTANIL_KEY, "C24H30N2O3"),
    ],
)  # fmt: skip
def test_salts_and_hydrates_give_the_free_base(salt: str, key: str, formula: str) -> None:
    parent = _parent(salt)
    assert to_inchikey(parent) == key
    assert to_formula(parent) == formula
    assert "." not in to_canonical_smiles(parent)


def test_free_base_keys_are_the_published_ones() -> None:
    assert to_formula(from_smiles(FENTANYL)) == "C22H28N2O"
    assert to_inchikey(from_smiles(FENTANYL)) == FENTANYL_KEY
    assert to_formula(from_smiles(CARFENTANIL)) == "C24H30N2O3"
    assert to_inchikey(from_smiles(CARFENTANIL)) == CARFENTANIL_KEY


def test_a_counter_ion_larger_than_the_drug_is_still_removed() -> None:
    # Amphetamine pamoate (2:1): pamoic acid (C23H16O6) outweighs amphetamine (C9H13N).
    pamoic_acid = "Oc1c(Cc2c(O)c(C(=O)O)cc3ccccc23)c2ccccc2cc1C(=O)O"
    parent = _parent(f"CC(N)Cc1ccccc1.CC(N)Cc1ccccc1.{pamoic_acid}")
    assert to_canonical_smiles(parent) == "CC(N)Cc1ccccc1"
    # Fentanyl tosylate: tosic acid is on the list, whatever its size.
    assert to_inchikey(_parent(f"{FENTANYL}.Cc1ccc(S(=O)(=O)O)cc1")) == FENTANYL_KEY


def test_when_everything_is_a_known_solvent_the_largest_is_kept() -> None:
    assert to_canonical_smiles(_parent("CCO.O")) == "CCO"
    assert to_canonical_smiles(_parent("O")) == "O"


def test_metal_salts_are_disconnected_and_the_acid_neutralised() -> None:
    assert to_canonical_smiles(_parent("OCCCC(=O)O[Na]")) == "O=C(O)CCCO"  # GHB sodium, covalent
    assert to_canonical_smiles(_parent("OCCCC(=O)[O-].[Na+]")) == "O=C(O)CCCO"


@pytest.mark.parametrize(
    ("charged", "neutral"),
    [
        ("C[NH2+]C(C)Cc1ccccc1", "CNC(C)Cc1ccccc1"),  # protonated methamphetamine
        ("[NH3+]CC(=O)[O-]", "NCC(=O)O"),  # zwitterion
        ("CC(=O)[O-]", "CC(=O)O"),
    ],
)
def test_charged_forms_are_neutralised(charged: str, neutral: str) -> None:
    assert to_canonical_smiles(_parent(charged)) == to_canonical_smiles(from_smiles(neutral))


def test_permanent_charges_stay() -> None:
    # A quaternary ammonium has no proton to lose: it keeps its charge, its chloride goes.
    assert to_canonical_smiles(_parent("C[N+](C)(C)CCOC(C)=O.[Cl-]")) == "CC(=O)OCC[N+](C)(C)C"


@pytest.mark.parametrize(
    ("drawn", "normal"),
    [
        ("CN(=O)=O", "C[N+](=O)[O-]"),  # nitro
        ("C[S+](C)[O-]", "CS(C)=O"),  # sulfoxide, both ways drawn -> one parent
        ("CS(C)=O", "CS(C)=O"),
        ("CN=[N+]=[N-]", "CN=[N+]=[N-]"),  # azide
        ("c1cc[n+]([O-])cc1", "[O-][n+]1ccccc1"),  # pyridine N-oxide
    ],
)
def test_functional_groups_are_normalised_to_one_form(drawn: str, normal: str) -> None:
    assert to_inchikey(_parent(drawn)) == to_inchikey(from_smiles(normal))
    assert to_canonical_smiles(_parent(drawn)) == to_canonical_smiles(_parent(normal))


def test_stereo_is_kept_through_salt_removal_and_neutralisation() -> None:
    mol = from_smiles(CIS_3_METHYLFENTANYL)
    rdCIPLabeler.AssignCIPLabels(mol)
    labels = {a.GetIdx(): a.GetProp("_CIPCode") for a in mol.GetAtoms() if a.HasProp("_CIPCode")}
    assert labels == {11: "S", 24: "R"}  # C4 (S), C3 (R): the (+)-cis isomer
    salt = CIS_3_METHYLFENTANYL.replace("N(CCc2", "[NH+](CCc2") + ".[Cl-]"
    parent = _parent(salt)
    assert to_canonical_smiles(parent).count("@") == 2
    assert to_inchikey(parent) == to_inchikey(mol)
    assert to_inchikey(parent).split("-")[1] != "UHFFFAOYSA"
    enantiomer = CIS_3_METHYLFENTANYL.replace("[C@H]", "[C@@H]")
    assert to_inchikey(_parent(enantiomer)) != to_inchikey(parent)


def test_enantiomer_and_racemate_stay_distinct() -> None:
    dex = to_inchikey(_parent(DEXMEDETOMIDINE + ".Cl"))
    racemic = to_inchikey(_parent(MEDETOMIDINE + ".Cl"))
    assert dex != racemic
    assert dex.split("-")[0] == racemic.split("-")[0]  # same skeleton, different stereo layer
    # Double-bond geometry survives too.
    assert to_canonical_smiles(_parent("C/C=C/C(=O)[O-].[Na+]")) == "C/C=C/C(=O)O"


def test_tautomers_are_left_as_drawn() -> None:
    # No canonical tautomer (see the module docstring): the keto stereocentre of a cathinone
    # keeps its configuration.
    s_methcathinone = "CN[C@@H](C)C(=O)c1ccccc1"
    assert to_canonical_smiles(_parent(s_methcathinone + ".Cl")) == to_canonical_smiles(
        from_smiles(s_methcathinone)
    )


def test_to_parent_is_pure_and_accepts_explicit_hydrogens() -> None:
    mol = from_smiles(f"{FENTANYL}.Cl")
    before = Chem.MolToSmiles(mol)
    parent = to_parent(mol)
    assert Chem.MolToSmiles(mol) == before
    assert parent is not mol
    assert to_parent(parent) is not parent
    assert to_inchikey(to_parent(Chem.AddHs(mol))) == FENTANYL_KEY
    assert to_canonical_smiles(to_parent(parent)) == to_canonical_smiles(parent)  # idempotent


def test_from_inchi_then_parent() -> None:
    inchi = Chem.MolToInchi(from_smiles(f"{FENTANYL}.Cl"))
    assert to_inchikey(to_parent(from_inchi(inchi))) == FENTANYL_KEY


def test_empty_molecule_is_refused() -> None:
    with pytest.raises(ChemistryError, match="no atoms"):
        to_parent(Chem.Mol())


def test_skipping_the_normalizer_never_changes_a_result() -> None:
    """The cheap pre-check must agree with RDKit's Normalizer on real molecules."""
    path = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"
    lines = path.read_text().splitlines()[:400]
    smiles = [line.split()[0] for line in lines] + [
        "CS(C)=O", "CN(=O)=O", "CN=[N+]=[N-]", "C=[N+]=[N-]", "[O-][n+]1ccccc1", "CP(=O)(O)O",
        "O=S(=O)(O)c1ccccc1", "NC(N)=[NH2+]", "C[N+](C)=CC=CN(C)C",
    ]  # fmt: skip
    skipped = 0
    for text in smiles:
        mol = Chem.MolFromSmiles(text)
        if mol is None:
            continue
        if not (
            mol.HasSubstructMatch(normalize._charged_query())
            or mol.HasSubstructMatch(normalize._neutral_normalization_query())
        ):
            skipped += 1
            normalised = normalize._normalizer().normalize(mol)
            assert Chem.MolToSmiles(normalised) == Chem.MolToSmiles(mol), text
    assert skipped > 200


def test_parent_of_a_large_input_is_fast() -> None:
    start = time.perf_counter()
    for _ in range(20):
        to_parent(from_smiles("C" * 140 + ".Cl" * 5))
        to_parent(from_smiles(f"{FENTANYL}.{CITRIC_ACID}"))
    assert time.perf_counter() - start < 1.0


# --------------------------------------------------------------------------- describe_changes


@pytest.mark.parametrize(
    ("smiles", "changes"),
    [
        (FENTANYL, ()),
        (f"{FENTANYL}.Cl", ("removed fragment Cl (hydrochloride)",)),
        (
            "CCC(=O)N(C1CC[NH+](CCc2ccccc2)CC1)c1ccccc1.[Cl-]",
            ("removed fragment [Cl-] (hydrochloride)", "neutralised 1 charge"),
        ),
        (f"{FENTANYL}.{CITRIC_ACID}", ("removed fragment O=C(O)CC(O)(CC(=O)O)C(=O)O (citrate)",)),
        (f"{FENTANYL}.O.O", ("removed fragment O (water) ×2",)),
        ("[NH3+]CC(=O)[O-]", ("neutralised 2 charges",)),
        ("CS(C)=O", ("normalised functional groups",)),  # RDKit writes sulfoxides as S+-O-
        ("CC(C)Cc1ccccc1.CCN", ("removed fragment CCN",)),  # unknown fragments are named by SMILES
        ("CC(N)Cc1ccccc1.CC(N)Cc1ccccc1", ("removed fragment CC(N)Cc1ccccc1",)),
    ],
)
def test_describe_changes(smiles: str, changes: tuple[str, ...]) -> None:
    before = from_smiles(smiles)
    assert describe_changes(before, to_parent(before)) == changes
