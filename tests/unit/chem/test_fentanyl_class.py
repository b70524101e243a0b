"""The FRS structure rule (21 U.S.C. 812(c) I(e)(2)) on published fentanyl analogues and near misses.

Every structure below is written as SMILES and pinned by the molecular formula of the named
substance (PubChem compound records, from reference notes, not re-fetched when this was written),
so that a typing error in a SMILES fails here rather than silently testing another molecule.
The constructed analogues (the 2-pyridyl one and the near misses) are marked as such.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdkit import Chem
from rdkit.Chem.rdMolDescriptors import CalcMolFormula

from synthwatch.chem.fentanyl_class import (
    FENTANYL_STATUTE,
    MAX_HEAVY_ATOMS,
    FentanylClassVerdict,
    assess_fentanyl_related,
)

FENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"

# name -> (SMILES, published molecular formula, expected set of modification letters)
FRS: dict[str, tuple[str, str, set[str]]] = {
    # (A) phenethyl phenyl replaced by a monocycle
    "thiofentanyl": ("CCC(=O)N(c1ccccc1)C1CCN(CCc2cccs2)CC1", "C20H26N2OS", {"A"}),
    # (B) substitution on the phenethyl group
    "beta-hydroxyfentanyl": ("CCC(=O)N(c1ccccc1)C1CCN(CC(O)c2ccccc2)CC1", "C22H28N2O2", {"B"}),
    "alpha-methylfentanyl": ("CCC(=O)N(c1ccccc1)C1CCN(C(C)Cc2ccccc2)CC1", "C23H30N2O", {"B"}),
    # (C) substitution on the piperidine ring
    "3-methylfentanyl": ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1C", "C23H30N2O", {"C"}),
    "carfentanil": ("CCC(=O)N(c1ccccc1)C1(C(=O)OC)CCN(CCc2ccccc2)CC1", "C24H30N2O3", {"C"}),
    # (D) aniline replaced by / substituted as an aromatic monocycle
    "2-pyridyl analogue (constructed)": (
        "CCC(=O)N(c1ccccn1)C1CCN(CCc2ccccc2)CC1",
        "C21H27N3O",
        {"D"},
    ),
    "para-fluorofentanyl": ("CCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1", "C22H27FN2O", {"D"}),
    "ortho-fluorofentanyl": ("CCC(=O)N(c1ccccc1F)C1CCN(CCc2ccccc2)CC1", "C22H27FN2O", {"D"}),
    # (E) another acyl group
    "acetylfentanyl": ("CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "C21H26N2O", {"E"}),
    "butyrfentanyl": ("CCCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "C23H30N2O", {"E"}),
    "furanylfentanyl": ("O=C(c1ccco1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "C24H26N2O2", {"E"}),
    "acrylfentanyl": ("C=CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "C22H26N2O", {"E"}),
    "cyclopropylfentanyl": ("O=C(C1CC1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "C23H28N2O", {"E"}),
    "methoxyacetylfentanyl": ("COCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "C22H28N2O2", {"E"}),
    "valerylfentanyl": ("CCCCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "C24H32N2O", {"E"}),
    # DEA named it an FRS in 86 FR 22113 (2021): an alkoxycarbonyl counts as "another acyl group"
    "fentanyl carbamate": ("CCOC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "C22H28N2O2", {"E"}),
    # combinations
    "4-fluoroisobutyrfentanyl": (
        "CC(C)C(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1",
        "C23H29FN2O",
        {"D", "E"},
    ),
    "ocfentanil": ("COCC(=O)N(c1ccccc1F)C1CCN(CCc2ccccc2)CC1", "C22H27FN2O2", {"D", "E"}),
    # Listed by name elsewhere (schedule II) but meeting the structure: the caller excludes them.
    "sufentanil": ("CCC(=O)N(c1ccccc1)C1(COC)CCN(CCc2cccs2)CC1", "C22H30N2O2S", {"A", "C"}),
    "alfentanil": (
        "CCN1N=NN(CCN2CCC(COC)(CC2)N(C(=O)CC)c2ccccc2)C1=O",
        "C21H32N6O3",
        {"A", "C"},
    ),
}

NOT_FRS: dict[str, tuple[str, str, str]] = {
    # name -> (SMILES, published formula, words expected in the reason)
    "remifentanil": (
        "CCC(=O)N(c1ccccc1)C1(C(=O)OC)CCN(CCC(=O)OC)CC1",
        "C20H28N2O5",
        "2-(monocycle)ethyl",
    ),
    "4-ANPP": ("c1ccc(CCN2CCC(Nc3ccccc3)CC2)cc1", "C19H24N2", "without an acyl group"),
    "norfentanyl": ("CCC(=O)N(c1ccccc1)C1CCNCC1", "C14H20N2O", "no phenethyl"),
    "benzylfentanyl": ("CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1", "C21H26N2O", "benzyl"),
    "NPP": ("O=C1CCN(CCc2ccccc2)CC1", "C13H17NO", "no 4-anilidopiperidine core"),
    "loperamide": (
        "CN(C)C(=O)C(CCN1CCC(O)(c2ccc(Cl)cc2)CC1)(c1ccccc1)c1ccccc1",
        "C29H33ClN2O2",
        "no 4-anilidopiperidine core",
    ),
    "haloperidol": (
        "OC1(c2ccc(Cl)cc2)CCN(CCCC(=O)c2ccc(F)cc2)CC1",
        "C21H23ClFNO2",
        "no 4-anilidopiperidine core",
    ),
    "pethidine": ("CCOC(=O)C1(c2ccccc2)CCN(C)CC1", "C15H21NO2", "no 4-anilidopiperidine core"),
    "donepezil": (
        "COc1cc2c(cc1OC)C(=O)C(CC1CCN(Cc3ccccc3)CC1)C2",
        "C24H29NO3",
        "no 4-anilidopiperidine core",
    ),
    "fexofenadine": (
        "CC(C)(C(=O)O)c1ccc(C(O)CCCN2CCC(C(O)(c3ccccc3)c3ccccc3)CC2)cc1",
        "C32H39NO4",
        "no 4-anilidopiperidine core",
    ),
    "brorphine": (
        "CC(c1ccc(Br)cc1)N1CCC(n2c(=O)[nH]c3ccccc32)CC1",
        "C20H22BrN3O",
        "no 4-anilidopiperidine core",
    ),
    "isotonitazene": (
        "CCN(CC)CCn1c(Cc2ccc(OC(C)C)cc2)nc2cc([N+](=O)[O-])ccc21",
        "C23H30N4O3",
        "no 4-anilidopiperidine core",
    ),
    "U-47700": (
        "CN(C)[C@@H]1CCCC[C@H]1N(C)C(=O)c1ccc(Cl)c(Cl)c1",
        "C16H22Cl2N2O",
        "no 4-anilidopiperidine core",
    ),
    "morphine": (
        "CN1CC[C@]23c4c5ccc(O)c4O[C@H]2[C@@H](O)C=C[C@H]3[C@H]1C5",
        "C17H19NO3",
        "no 4-anilidopiperidine core",
    ),
}


def _assess(smiles: str) -> FentanylClassVerdict:
    mol = Chem.MolFromSmiles(smiles)
    assert mol is not None, smiles
    return assess_fentanyl_related(mol)


def _letters(verdict: FentanylClassVerdict) -> set[str]:
    return {m.code for m in verdict.modifications}


def test_fentanyl_itself_is_fentanyl_not_an_frs() -> None:
    mol = Chem.MolFromSmiles(FENTANYL)
    assert CalcMolFormula(mol) == "C22H28N2O"
    verdict = assess_fentanyl_related(mol)
    assert verdict.is_fentanyl
    assert not verdict.is_fentanyl_related  # the definition needs 1 or more modifications
    assert verdict.modifications == ()
    assert len(verdict.core_atoms) == mol.GetNumHeavyAtoms()  # every atom is skeleton
    assert verdict.statute == FENTANYL_STATUTE
    assert "812(c)" in verdict.statute and "119-26" in verdict.statute


@pytest.mark.parametrize("name", sorted(FRS))
def test_published_fentanyl_related_substances(name: str) -> None:
    smiles, formula, letters = FRS[name]
    mol = Chem.MolFromSmiles(smiles)
    assert CalcMolFormula(mol) == formula
    verdict = assess_fentanyl_related(mol)
    assert verdict.is_fentanyl_related, verdict.reason
    assert not verdict.is_fentanyl
    assert _letters(verdict) == letters
    n = mol.GetNumAtoms()
    for mod in verdict.modifications:
        assert mod.atoms and all(0 <= i < n for i in mod.atoms)
        assert mod.description
    assert verdict.reason.startswith("structurally related")


@pytest.mark.parametrize("name", sorted(NOT_FRS))
def test_not_fentanyl_related(name: str) -> None:
    smiles, formula, words = NOT_FRS[name]
    mol = Chem.MolFromSmiles(smiles)
    assert CalcMolFormula(mol) == formula
    verdict = assess_fentanyl_related(mol)
    assert not verdict.is_fentanyl_related
    assert not verdict.is_fentanyl
    assert words in verdict.reason


def test_evidence_points_at_the_right_atoms() -> None:
    # thiofentanyl: the (A) atoms are exactly the thiophene ring
    mol = Chem.MolFromSmiles(FRS["thiofentanyl"][0])
    (mod,) = assess_fentanyl_related(mol).modifications
    symbols = sorted(mol.GetAtomWithIdx(i).GetSymbol() for i in mod.atoms)
    assert symbols == ["C", "C", "C", "C", "S"]
    assert "thiophene" in mod.description
    # carfentanil: the (C) atoms are the methyl ester C(=O)OC
    mol = Chem.MolFromSmiles(FRS["carfentanil"][0])
    (mod,) = assess_fentanyl_related(mol).modifications
    assert "ester" in mod.description
    assert sorted(mol.GetAtomWithIdx(i).GetSymbol() for i in mod.atoms) == ["C", "C", "O", "O"]
    # beta-hydroxy: hydroxyl on the chain; alpha-methyl: alkyl on the chain
    assert "hydroxyl" in _assess(FRS["beta-hydroxyfentanyl"][0]).modifications[0].description
    assert "alkyl" in _assess(FRS["alpha-methylfentanyl"][0]).modifications[0].description


def test_fused_ring_for_the_phenethyl_phenyl_is_not_a_monocycle() -> None:
    naphthyl = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc3ccccc3c2)CC1"
    verdict = _assess(naphthyl)
    assert not verdict.is_fentanyl_related
    assert "not a monocycle" in verdict.reason
    indolyl_anilide = "CCC(=O)N(c1ccc2[nH]ccc2c1)C1CCN(CCc2ccccc2)CC1"
    assert "not a monocycle" in _assess(indolyl_anilide).reason


def test_non_aromatic_ring_for_the_aniline_is_not_d() -> None:
    cyclohexyl = "CCC(=O)N(C1CCCCC1)C1CCN(CCc2ccccc2)CC1"
    verdict = _assess(cyclohexyl)
    assert not verdict.is_fentanyl_related
    assert "non-aromatic" in verdict.reason


def test_cyclohexyl_for_the_phenethyl_phenyl_is_a_monocycle() -> None:
    verdict = _assess("CCC(=O)N(c1ccccc1)C1CCN(CCC2CCCCC2)CC1")
    assert verdict.is_fentanyl_related
    assert _letters(verdict) == {"A"}


def test_piperidine_group_outside_the_c_list_is_rejected() -> None:
    carboxamide = "CCC(=O)N(c1ccccc1)C1(C(N)=O)CCN(CCc2ccccc2)CC1"
    verdict = _assess(carboxamide)
    assert not verdict.is_fentanyl_related
    assert "piperidine substituent 'C(N)=O' is not an allowed group (C)" in verdict.reason
    oxo = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1=O"
    assert "'=O' is not an allowed group (C)" in _assess(oxo).reason


def test_ether_is_allowed_on_the_piperidine_but_not_on_the_phenethyl_chain() -> None:
    assert _letters(_assess("CCC(=O)N(c1ccccc1)C1(COC)CCN(CCc2ccccc2)CC1")) == {"C"}
    chain_ether = _assess("CCC(=O)N(c1ccccc1)C1CCN(CC(COC)c2ccccc2)CC1")
    assert not chain_ether.is_fentanyl_related
    assert "(B)" in chain_ether.reason


def test_each_listed_group_type_on_the_piperidine() -> None:
    groups = {
        "C": "alkyl",
        "C=C": "alkenyl",
        "OC": "alkoxyl",
        "O": "hydroxyl",
        "Cl": "halo",
        "C(F)(F)F": "haloalkyl",
        "N": "amino",
        "N(C)C": "amino",
        "[N+](=O)[O-]": "nitro",
        "OC(C)=O": "ester",
        "CCOC": "ether",
    }
    for group, kind in groups.items():
        verdict = _assess(f"CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1{group}")
        assert verdict.is_fentanyl_related, (group, verdict.reason)
        (mod,) = verdict.modifications
        assert mod.code == "C" and mod.description.startswith(kind), (group, mod)


@pytest.mark.parametrize(
    ("smiles", "why"),
    [
        # chain lengthened: 3-phenylpropyl
        ("CCC(=O)N(c1ccccc1)C1CCN(CCCc2ccccc2)CC1", "2-(monocycle)ethyl"),
        # hydroxymethyl (an unnamed combination) on the piperidine
        ("CCC(=O)N(c1ccccc1)C1(CO)CCN(CCc2ccccc2)CC1", "not an allowed group (C)"),
        # N-oxide of the piperidine nitrogen
        ("CCC(=O)N(c1ccccc1)C1CC[N+]([O-])(CCc2ccccc2)CC1", "N-oxide"),
        # cyano on the chain
        ("CCC(=O)N(c1ccccc1)C1CCN(CC(C#N)c2ccccc2)CC1", "not an allowed group (B)"),
        # piperidine replaced by a pyrrolidine
        ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)C1", "no 4-anilidopiperidine core"),
        # thioamide: not an acyl group
        ("CCC(=S)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "no 4-anilidopiperidine core"),
        # the amide nitrogen tied into a ring with the aniline and piperidine (a tricycle)
        ("CCC(=O)N1c2ccccc2CC2CN(CCc3ccccc3)CCC21", "no 4-anilidopiperidine core"),
        # a bridged piperidine (3,5-methano): not a substitution on the ring
        ("CCC(=O)N(c1ccccc1)C1C2CC1CN(CCc1ccccc1)C2", "fused, bridged or spiro"),
        # a spiro ring on the phenethyl phenyl position is not a monocycle
        ("CCC(=O)N(c1ccccc1)C1CCN(CCC2CCC3(CC3)CC2)CC1", "not a monocycle"),
    ],
)
def test_modifications_outside_a_to_e(smiles: str, why: str) -> None:
    verdict = _assess(smiles)
    assert not verdict.is_fentanyl_related
    assert why in verdict.reason


def test_two_violations_are_both_reported() -> None:
    verdict = _assess("CCC(=O)N(c1ccccc1)C1(C(N)=O)CCN(CC(C#N)c2ccccc2)CC1")
    assert not verdict.is_fentanyl_related
    assert "(B)" in verdict.reason and "(C)" in verdict.reason


def test_salt_uses_the_largest_fragment_and_keeps_query_indices() -> None:
    citrate = "OC(=O)CC(O)(C(=O)O)CC(=O)O.CCC(=O)N(c1ccccc1F)C1CCN(CCc2ccccc2)CC1"
    mol = Chem.MolFromSmiles(citrate)
    verdict = assess_fentanyl_related(mol)
    assert verdict.is_fentanyl_related
    (d_mod,) = [m for m in verdict.modifications if m.code == "D"]
    assert [mol.GetAtomWithIdx(i).GetSymbol() for i in d_mod.atoms] == ["F"]
    assert min(verdict.core_atoms) >= 13  # the citrate atoms come first and are not used


def test_protonated_and_deuterated_inputs() -> None:
    assert _assess("CCC(=O)N(c1ccccc1)C1CC[NH+](CCc2ccccc2)CC1").is_fentanyl
    deutero = Chem.MolFromSmiles("[2H]C([2H])([2H])CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")
    assert assess_fentanyl_related(deutero).is_fentanyl  # isotopes are the same substance


def test_too_large_and_empty_inputs() -> None:
    big = Chem.MolFromSmiles(FENTANYL + "C" * 0 + "." + "C" * (MAX_HEAVY_ATOMS + 1))
    verdict = assess_fentanyl_related(big)
    assert not verdict.is_fentanyl_related and "too large" in verdict.reason
    assert assess_fentanyl_related(Chem.Mol()).reason == "no molecule"


def test_unsanitized_input_does_not_crash() -> None:
    mol = Chem.MolFromSmiles(FRS["acetylfentanyl"][0], sanitize=False)
    verdict = assess_fentanyl_related(mol)
    assert isinstance(verdict, FentanylClassVerdict)


# --- properties ----------------------------------------------------------------------------

_SUBSTITUENTS = {"F": "halo", "Cl": "halo", "C": "alkyl", "OC": "alkoxyl", "O": "hydroxyl"}


def _aromatic_ch(mol: Chem.Mol, ring_of: int) -> list[int]:
    """Aromatic CH atoms of the ring that contains ``ring_of``."""
    ring = next(r for r in mol.GetRingInfo().AtomRings() if ring_of in r)
    return [i for i in ring if mol.GetAtomWithIdx(i).GetTotalNumHs() == 1]


def _substitute(base: Chem.Mol, sites: list[int], groups: list[str]) -> Chem.Mol:
    rw = Chem.RWMol(base)
    for site, group in zip(sites, groups, strict=True):
        frag = Chem.MolFromSmiles(group)
        offset = rw.GetNumAtoms()
        for atom in frag.GetAtoms():
            rw.AddAtom(atom)
        for bond in frag.GetBonds():
            rw.AddBond(
                bond.GetBeginAtomIdx() + offset, bond.GetEndAtomIdx() + offset, bond.GetBondType()
            )
        rw.AddBond(site, offset, Chem.BondType.SINGLE)
        rw.GetAtomWithIdx(site).SetNumExplicitHs(0)
    out = rw.GetMol()
    Chem.SanitizeMol(out)
    return out


_BASE = Chem.MolFromSmiles(FENTANYL)
_ANILINE_CH = _aromatic_ch(_BASE, 5)  # atom 5 is the aniline ipso carbon (on N 4)
_PHENETHYL_CH = _aromatic_ch(_BASE, 17)  # atom 17 is the phenethyl ipso carbon


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ring=st.sampled_from(["aniline", "phenethyl"]),
    data=st.data(),
)
def test_allowed_substituents_keep_an_frs_with_the_right_letter(
    ring: str, data: st.DataObject
) -> None:
    sites_all = _ANILINE_CH if ring == "aniline" else _PHENETHYL_CH
    sites = data.draw(
        st.lists(st.sampled_from(sites_all), min_size=1, max_size=3, unique=True), label="sites"
    )
    groups = data.draw(
        st.lists(st.sampled_from(sorted(_SUBSTITUENTS)), min_size=len(sites), max_size=len(sites)),
        label="groups",
    )
    mol = _substitute(_BASE, sites, groups)
    verdict = assess_fentanyl_related(mol)
    assert verdict.is_fentanyl_related, (Chem.MolToSmiles(mol), verdict.reason)
    expected = "D" if ring == "aniline" else "B"
    assert _letters(verdict) == {expected}
    assert len(verdict.modifications) == len(sites)
    if expected == "B":
        kinds = sorted(m.description.split(" ")[0] for m in verdict.modifications)
        assert kinds == sorted(_SUBSTITUENTS[g] for g in groups)


DRUGS = [
    "CC(=O)Oc1ccccc1C(=O)O",  # aspirin
    "CC(C)Cc1ccc(C(C)C(=O)O)cc1",  # ibuprofen
    "CC(=O)Nc1ccc(O)cc1",  # paracetamol
    "CN1C=NC2=C1C(=O)N(C)C(=O)N2C",  # caffeine
    "CN1CCC[C@H]1c1cccnc1",  # nicotine
    "CNC(C)Cc1ccccc1",  # methamphetamine
    "CC(N)Cc1ccccc1",  # amphetamine
    "CNC(C)Cc1ccc2OCOc2c1",  # MDMA
    "COC(=O)[C@H]1[C@@H](OC(=O)c2ccccc2)C[C@@H]2CC[C@H]1N2C",  # cocaine
    "CN1CC[C@]23c4c5ccc(OC)c4O[C@H]2C(=O)CC[C@H]3[C@H]1C5",  # hydrocodone
    "CCC(=O)C(CC(C)N(C)C)(c1ccccc1)c1ccccc1",  # methadone
    "CN(C)CCC=C1c2ccccc2CCc2ccccc21",  # amitriptyline
    "CN1C(=O)CN=C(c2ccccc2)c2cc(Cl)ccc21",  # diazepam
    "Cc1nnc2n1-c1ccc(Cl)cc1C(c1ccccc1)=NC2",  # alprazolam
    "CN(C)CCc1c[nH]c2ccc(O)cc12",  # bufotenine
    "CCN(CC)C(=O)[C@H]1C=C2c3cccc4[nH]cc(c34)C[C@@H]2N(C)C1",  # LSD
    "CCCCCc1cc(O)c2c(c1)OC(C)(C)[C@@H]1CCC(C)=C[C@@H]21",  # THC
    "CNC1(c2ccccc2Cl)CCCCC1=O",  # ketamine
    "c1ccc(C2(N3CCCCC3)CCCCC2)cc1",  # phencyclidine
    "CC(=O)NCCc1c[nH]c2ccc(OC)cc12",  # melatonin
    "OC(=O)CCC[C@H](N)C(=O)O",  # homoglutamate-like acid
    "NCCc1ccc(O)c(O)c1",  # dopamine
    "CN[C@@H](C)[C@H](O)c1ccccc1",  # ephedrine
    "CC(C)NCC(O)COc1cccc2ccccc12",  # propranolol
    "CN1CCN(C2=Nc3cc(Cl)ccc3Nc3ccccc32)CC1",  # clozapine
    "Clc1ccc2c(c1)C(=NCC(=O)N2)c1ccccc1",  # nordazepam-like
    "CCOC(=O)C1=C(C)NC(C)=C(C(=O)OC)C1c1cccc([N+](=O)[O-])c1",  # nitrendipine
    "CS(=O)(=O)c1ccc(C2=C(c3ccccc3)C(=O)OC2)cc1",  # rofecoxib
    "O=C(O)c1ccccc1O",  # salicylic acid
    "CC1(C)S[C@@H]2[C@H](NC(=O)Cc3ccccc3)C(=O)N2[C@H]1C(=O)O",  # penicillin G
    "OC[C@H]1O[C@@H](O)[C@H](O)[C@@H](O)[C@@H]1O",  # glucose
    "CCCCN1CCCC[C@H]1C(=O)Nc1c(C)cccc1C",  # bupivacaine
    "CCN(CC)CC(=O)Nc1c(C)cccc1C",  # lidocaine
    "CN1CCC(CC1)=C1c2ccccc2C=Cc2ccccc12",  # cyproheptadine
    "COc1ccc2[nH]c(S(=O)Cc3ncc(C)c(OC)c3C)nc2c1",  # omeprazole
    "CC(C)(C)NCC(O)c1ccc(O)c(CO)c1",  # salbutamol
    "Nc1ccc(S(=O)(=O)Nc2ccnc(n2)C)cc1",  # sulfa drug
    "O=C(CCCN1CCC(n2c(=O)[nH]c3ccccc32)CC1)c1ccc(F)cc1",  # benperidol-like
    "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",  # fentanyl
    "CCC(=O)N(c1ccccc1)C1(COC)CCN(CCc2cccs2)CC1",  # sufentanil
    "CC(C)(C)c1ccc(C(O)CCCN2CCC(C(O)(c3ccccc3)c3ccccc3)CC2)cc1",  # terfenadine
    "C1CCC(CC1)N",  # cyclohexylamine
    "[Na+].[Cl-]",  # salt only
    "O",  # water
    "C#N",  # hydrogen cyanide
    "c1ccc2ccccc2c1",  # naphthalene
    "C1CC2CCC1C2",  # norbornane
    "C12C3C4C1C5C2C3C45",  # cubane
    "CCC(=O)N(c1ccccc1)C12CCN(CCc3ccccc3)CC1C2",  # strained bicyclic anilide
    "O=[N+]([O-])c1ccc(cc1)C(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",  # 4-nitrobenzoyl analogue
]


def test_ring_sites_are_the_intended_rings() -> None:
    assert (
        _BASE.GetAtomWithIdx(4).GetSymbol() == "N" and _BASE.GetAtomWithIdx(14).GetSymbol() == "N"
    )
    assert _BASE.GetBondBetweenAtoms(4, 5) is not None  # aniline on the amide N
    assert _BASE.GetBondBetweenAtoms(16, 17) is not None  # phenyl on the chain
    assert len(_ANILINE_CH) == len(_PHENETHYL_CH) == 5


def test_drug_list_parses() -> None:
    assert len(DRUGS) >= 50
    assert all(Chem.MolFromSmiles(s) is not None for s in DRUGS)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(DRUGS), st.booleans())
def test_never_raises_on_drug_like_molecules(smiles: str, add_hs: bool) -> None:
    mol = Chem.MolFromSmiles(smiles)
    if add_hs:
        mol = Chem.AddHs(mol)
    verdict = assess_fentanyl_related(mol)
    assert isinstance(verdict, FentanylClassVerdict)
    assert verdict.reason
    assert not (verdict.is_fentanyl and verdict.is_fentanyl_related)
    assert all(0 <= i < mol.GetNumAtoms() for i in verdict.core_atoms)


def test_explicit_hydrogens_do_not_change_the_verdict() -> None:
    for smiles, _, letters in FRS.values():
        verdict = assess_fentanyl_related(Chem.AddHs(Chem.MolFromSmiles(smiles)))
        assert verdict.is_fentanyl_related and _letters(verdict) == letters, smiles


def test_bounded_time_on_a_large_molecule() -> None:
    # many fentanyl skeletons strung together: matching must stay bounded (maxMatches)
    chain = ".".join([FENTANYL] * 3)
    mol = Chem.MolFromSmiles(chain)
    start = time.perf_counter()
    verdict = assess_fentanyl_related(mol)
    assert time.perf_counter() - start < 2.0
    assert verdict.is_fentanyl
