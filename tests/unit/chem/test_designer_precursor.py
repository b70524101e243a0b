"""Designer precursors: reverse one-step transforms that reach a controlled precursor or drug."""

from __future__ import annotations

import pytest
from rdkit import Chem

from synthwatch.chem.designer_precursor import (
    TRANSFORMS,
    PrecursorIndex,
    PrecursorRelation,
    find_precursor_relations,
)
from synthwatch.knowledge.control_list import (
    ControlEntry,
    KnowledgeBase,
    Regime,
    load_knowledge_base,
)

# 50 drugs, precursors and everyday chemicals of all kinds (none of them may make the code raise)
DRUGS = (
    "CC(=O)Oc1ccccc1C(=O)O",  # aspirin
    "CC(C)Cc1ccc(C(C)C(=O)O)cc1",  # ibuprofen
    "CC(=O)Nc1ccc(O)cc1",  # paracetamol
    "Cn1c(=O)c2c(ncn2C)n(C)c1=O",  # caffeine
    "CCN(CC)CC(=O)Nc1c(C)cccc1C",  # lidocaine
    "CN(C)C(=O)C(CCN1CCC(O)(c2ccc(Cl)cc2)CC1)(c1ccccc1)c1ccccc1",  # loperamide
    "COc1cc2c(cc1OC)C(=O)C(CC1CCN(Cc3ccccc3)CC1)C2",  # donepezil
    "OC1(c2ccc(Cl)cc2)CCN(CCCC(=O)c2ccc(F)cc2)CC1",  # haloperidol
    "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",  # fentanyl
    "CCC(=O)N(c1ccccc1)C1(C(=O)OC)CCN(CCc2ccccc2)CC1",  # carfentanil
    "CC(C)Oc1ccc(Cc2nc3cc([N+](=O)[O-])ccc3n2CCN(CC)CC)cc1",  # isotonitazene
    "CC(=O)O[C@H]1C=C[C@H]2[C@H]3CC4=C5[C@]2([C@H]1OC5=C(C=C4)OC(C)=O)CCN3C",  # heroin
    "CN1CC[C@]23[C@@H]4[C@H]1CC5=C2C(=C(C=C5)O)O[C@H]3[C@H](C=C4)O",  # morphine
    "COc1cccc(C2(O)CCCCC2CN(C)C)c1",  # tramadol
    "CCC(=O)C(CC(C)N(C)C)(c1ccccc1)c1ccccc1",  # methadone
    "CCOC(=O)C1(CCN(C)CC1)c1ccccc1",  # pethidine
    "CNC(C)Cc1ccc2OCOc2c1",  # MDMA
    "CN[C@@H](C)Cc1ccccc1",  # methamphetamine
    "CN[C@@H](C)[C@H](O)c1ccccc1",  # ephedrine
    "CNC(C)C(=O)c1ccc(C)cc1",  # mephedrone
    "CCCCCn1cc(C(=O)c2cccc3ccccc23)c2ccccc21",  # JWH-018
    "COC(=O)[C@@H](NC(=O)c1nn(CCCCCF)c2ccccc12)C(C)(C)C",  # 5F-MDMB-PINACA
    "Cc1cccc(C)c1NC1=NCCCS1",  # xylazine
    "C1CN2C[C@@H](c3ccccc3)N=C2S1",  # levamisole
    "CN1C(=O)CN=C(c2ccccc2)c2cc(Cl)ccc21",  # diazepam
    "CN1CCC[C@H]1c1cccnc1",  # nicotine
    "CC(C)NCC(O)COc1cccc2ccccc12",  # propranolol
    "CN(C)CCCN1c2ccccc2CCc2ccccc21",  # imipramine
    "CNCCC(Oc1ccc(C(F)(F)F)cc1)c1ccccc1",  # fluoxetine
    "CC(C)(C)NCC(O)c1ccc(O)c(CO)c1",  # salbutamol
    "NC(=O)c1ccccc1O",  # salicylamide
    "O=C(O)c1ccccc1O",  # salicylic acid
    "CC(=O)C(C#N)c1ccccc1",  # APAAN
    "COC(=O)C1(C)OC1c1ccc2OCOc2c1",  # PMK methyl glycidate
    "C=CCc1ccc2OCOc2c1",  # safrole
    "O=C1CCN(CCc2ccccc2)CC1",  # NPP
    "CC(C)(C)OC(=O)N1CCC(=O)CC1",  # 1-boc-4-piperidone
    "c1ccc(NC2CCNCC2)cc1",  # 4-AP
    "C1CCNCC1",  # piperidine
    "Cc1ccccc1",  # toluene
    "CC(C)=O",  # acetone
    "[K+].[O-][Mn](=O)(=O)=O",  # potassium permanganate
    "Cl",  # hydrochloric acid
    "CCOCC",  # ether
    "O=C(O)CC(O)(CC(=O)O)C(=O)O",  # citric acid
    "OC[C@H]1OC(O)[C@H](O)[C@@H](O)[C@@H]1O",  # glucose
    "C[C@H](N)C(=O)N[C@@H](CC(=O)O)C(=O)OC",  # a dipeptide ester
    "CC(C)(C)OC(=O)n1ccc2ccccc21",  # N-Boc indole
    "FC(F)(F)C(=O)N1CCC(=O)CC1",  # N-trifluoroacetyl-4-piperidone
    "O=C(OCc1ccccc1)N1CCC2(CC1)OCCO2",  # 1-Cbz-4-piperidone ethylene ketal
)


@pytest.fixture(scope="module")
def index() -> PrecursorIndex:
    return PrecursorIndex.from_knowledge(load_knowledge_base())


def relations(smiles: str, index: PrecursorIndex) -> dict[str, PrecursorRelation]:
    mol = Chem.MolFromSmiles(smiles)
    assert mol is not None
    return {r.target_id: r for r in find_precursor_relations(mol, index)}


def lookup_ids(smiles: str, index: PrecursorIndex) -> set[str]:
    return {e.id for e in index.lookup(Chem.MolFromSmiles(smiles))}


def test_the_whole_knowledge_base_is_indexed(index: PrecursorIndex) -> None:
    assert index.unparsed == ()
    assert lookup_ids("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", index) == {
        "un1961-fentanyl",
        "uscsa-fentanyl",
    }


def test_lookup_uses_the_parent_structure(index: PrecursorIndex) -> None:
    assert "uslist-4-ap" in lookup_ids("c1ccc(NC2CC[NH2+]CC2)cc1.[Cl-]", index)


def test_reference_substances_are_not_indexed(index: PrecursorIndex) -> None:
    assert lookup_ids("Cn1c(=O)c2c(ncn2C)n(C)c1=O", index) == set()  # caffeine


def test_cbz_4ap_is_one_step_from_4ap(index: PrecursorIndex) -> None:
    found = relations("O=C(OCc1ccccc1)N1CCC(Nc2ccccc2)CC1", index)
    for target in ("un1988-4-ap", "uslist-4-ap"):
        assert found[target].transform == "N-Cbz removal"
    description = found["un1988-4-ap"].description
    assert description.startswith("removing the Cbz")
    assert "4-anilinopiperidine" in description
    assert description.endswith("UN-1988 Table I")


def test_cbz_4ap_reaches_anpp_in_two_steps(index: PrecursorIndex) -> None:
    found = relations("O=C(OCc1ccccc1)N1CCC(Nc2ccccc2)CC1", index)
    assert found["un1988-anpp"].transform == "N-Cbz removal + N-phenethyl addition"
    assert " and then " in found["un1988-anpp"].description


def test_boc_4ap_is_itself_listed_and_relates_to_4ap(index: PrecursorIndex) -> None:
    smiles = "CC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1"
    assert "uslist-1-boc-4-ap" in lookup_ids(smiles, index)
    assert relations(smiles, index)["uslist-4-ap"].transform == "N-Boc removal"


def test_acetyl_on_the_piperidine_nitrogen(index: PrecursorIndex) -> None:
    found = relations("CC(=O)N1CCC(Nc2ccccc2)CC1", index)
    assert found["uslist-4-ap"].transform == "N-acetyl removal"


def test_acetyl_on_the_aniline_nitrogen(index: PrecursorIndex) -> None:
    # N-phenyl-N-(piperidin-4-yl)acetamide (acetyl norfentanyl): hydrolysis gives 4-AP and
    # phenethylation gives acetylfentanyl, a controlled drug
    found = relations("CC(=O)N(c1ccccc1)C1CCNCC1", index)
    assert found["uslist-4-ap"].transform == "N-acetyl removal"
    assert found["un1961-acetylfentanyl"].transform == "N-phenethyl addition"
    assert found["uscsa-acetyl-fentanyl"].transform == "N-phenethyl addition"


def test_trifluoroacetyl_and_formyl_removal(index: PrecursorIndex) -> None:
    tfa = relations("FC(F)(F)C(=O)N1CCC(=O)CC1", index)
    assert tfa["uslist-4-piperidone"].transform == "N-trifluoroacetyl removal"
    formyl = relations("O=CN1CCC(Nc2ccccc2)CC1", index)
    assert formyl["uslist-4-ap"].transform == "N-formyl removal"


def test_piperidone_ethylene_ketal_is_one_step_from_4_piperidone(index: PrecursorIndex) -> None:
    smiles = "C1CC2(CCN1)OCCO2"
    assert lookup_ids(smiles, index) == set()
    found = relations(smiles, index)
    assert found["un1988-4-piperidone"].transform == "ketal/acetal hydrolysis"
    assert found["uslist-4-piperidone"].transform == "ketal/acetal hydrolysis"


def test_dimethyl_ketal_hydrolyses_too(index: PrecursorIndex) -> None:
    found = relations("COC1(OC)CCNCC1", index)
    assert found["uslist-4-piperidone"].transform == "ketal/acetal hydrolysis"


def test_benzyl_piperidone_relates_but_is_not_controlled(index: PrecursorIndex) -> None:
    # 1-benzyl-4-piperidone is a legitimate donepezil intermediate: the relation is reported as a
    # warning, but it is not itself controlled; the caller must not call it "controlled"
    smiles = "O=C1CCN(Cc2ccccc2)CC1"
    assert lookup_ids(smiles, index) == set()
    kb = load_knowledge_base()
    reference = next(e for e in kb.entries if e.id == "ref-1-benzyl-4-piperidone")
    assert not reference.is_controlled
    found = relations(smiles, index)
    assert found["uslist-4-piperidone"].transform == "N-benzyl removal"


def test_fluoro_anpp_is_one_step_from_anpp(index: PrecursorIndex) -> None:
    found = relations("Fc1ccc(NC2CCN(CCc3ccccc3)CC2)cc1", index)
    assert found["un1988-anpp"].transform == "aryl fluorine removal"
    assert found["uscsa-anpp"].transform == "aryl fluorine removal"
    assert "fluorine" in found["uscsa-anpp"].description


def test_difluoro_anpp_needs_two_steps(index: PrecursorIndex) -> None:
    found = relations("Fc1ccc(NC2CCN(CCc3ccccc3)CC2)cc1F", index)
    assert found["un1988-anpp"].transform == "aryl fluorine removal + aryl fluorine removal"


def test_methyl_on_the_aniline_ring(index: PrecursorIndex) -> None:
    found = relations("Cc1ccc(NC2CCNCC2)cc1", index)
    assert found["uslist-4-ap"].transform == "aryl methyl removal"


def test_npp_ketal_is_one_step_from_npp(index: PrecursorIndex) -> None:
    found = relations("C1CN(CCc2ccccc2)CCC12OCCO2", index)
    assert found["un1988-npp"].transform == "ketal/acetal hydrolysis"
    assert found["uslist-npp"].transform == "ketal/acetal hydrolysis"


def test_pmk_methyl_glycidate_hydrolyses_to_the_listed_acid(index: PrecursorIndex) -> None:
    smiles = "COC(=O)C1(C)OC1c1ccc2OCOc2c1"
    assert "un1988-pmk-methyl-glycidate" in lookup_ids(smiles, index)  # itself Table I
    found = relations(smiles, index)
    assert found["un1988-pmk-glycidic-acid"].transform == "ester hydrolysis"


def test_unlisted_glycidate_ester_is_caught(index: PrecursorIndex) -> None:
    # a pentyl ester of BMK glycidic acid is not listed by name; hydrolysis gives the listed acid
    smiles = "CCCCCOC(=O)C1(C)OC1c1ccccc1"
    assert lookup_ids(smiles, index) == set()
    found = relations(smiles, index)
    assert found["un1988-bmk-glycidic-acid"].transform == "ester hydrolysis"


def test_ester_aminolysis_gives_apaa(index: PrecursorIndex) -> None:
    found = relations("COC(=O)C(C(C)=O)c1ccccc1", index)  # MAPA
    assert found["un1988-apaa"].transform == "ester aminolysis"


def test_benzylfentanyl_debenzylates_to_norfentanyl(index: PrecursorIndex) -> None:
    smiles = "CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1"
    assert "uslist-benzylfentanyl" in lookup_ids(smiles, index)
    kb = {e.id: e for e in load_knowledge_base().entries}
    assert kb["un1988-norfentanyl"].is_controlled
    assert kb["un1988-norfentanyl"].is_precursor
    found = relations(smiles, index)
    assert found["un1988-norfentanyl"].transform == "N-benzyl removal"
    assert found["uscsa-norfentanyl"].transform == "N-benzyl removal"


def test_4ap_plus_phenethyl_gives_anpp(index: PrecursorIndex) -> None:
    found = relations("c1ccc(NC2CCNCC2)cc1", index)
    assert found["un1988-anpp"].transform == "N-phenethyl addition"
    assert "un1988-4-ap" not in found  # the query itself is not its own relation


def test_fluoro_norfentanyl_is_one_alkylation_from_para_fluorofentanyl(
    index: PrecursorIndex,
) -> None:
    found = relations("CCC(=O)N(c1ccc(F)cc1)C1CCNCC1", index)
    assert found["un1961-para-fluorofentanyl"].transform == "N-phenethyl addition"
    assert found["uscsa-para-fluorofentanyl"].transform == "N-phenethyl addition"


def test_heroin_hydrolyses_to_morphine(index: PrecursorIndex) -> None:
    found = relations(DRUGS[11], index)
    assert found["un1961-morphine"].transform == (
        "ester hydrolysis (alcohol side) + ester hydrolysis (alcohol side)"
    )


def test_racemate_reaches_a_stereoisomer(index: PrecursorIndex) -> None:
    found = relations("CC(Cc1ccccc1)N(C)C=O", index)  # racemic N-formylmethamphetamine
    assert found["uscsa-methamphetamine"].transform == "N-formyl removal"
    assert "a stereoisomer of" in found["uscsa-methamphetamine"].description


@pytest.mark.parametrize(
    "smiles",
    [
        "Cn1c(=O)c2c(ncn2C)n(C)c1=O",  # caffeine
        "CCN(CC)CC(=O)Nc1c(C)cccc1C",  # lidocaine
        "CN(C)C(=O)C(CCN1CCC(O)(c2ccc(Cl)cc2)CC1)(c1ccccc1)c1ccccc1",  # loperamide
        "COc1cc2c(cc1OC)C(=O)C(CC1CCN(Cc3ccccc3)CC1)C2",  # donepezil: more than one step
        "CC(=O)Nc1ccc(O)cc1",  # paracetamol
        "Clc1ccc(C)cc1",  # 4-chlorotoluene: toluene is a solvent, not a target
    ],
)
def test_negatives(smiles: str, index: PrecursorIndex) -> None:
    assert relations(smiles, index) == {}
    assert lookup_ids(smiles, index) == set()


def test_piperidine_is_itself_listed(index: PrecursorIndex) -> None:
    assert lookup_ids("C1CCNCC1", index) == {"un1988-piperidine", "uslist-piperidine"}
    assert relations("C1CCNCC1", index) == {}


def test_solvents_are_found_by_lookup(index: PrecursorIndex) -> None:
    assert "uslist-toluene" in lookup_ids("Cc1ccccc1", index)


def test_small_targets_need_a_small_query(index: PrecursorIndex) -> None:
    assert relations("CNC=O", index)["uslist-methylamine"].transform == "N-formyl removal"
    assert "uslist-methylamine" not in relations(DRUGS[5], index)  # loperamide's dimethylamide


def test_boc_on_an_aromatic_nitrogen_gives_nh() -> None:
    indole = ControlEntry(
        id="test-indole",
        regime=Regime.US_CSA,
        name="indole",
        synonyms=(),
        cas=(),
        smiles="c1ccc2[nH]ccc2c1",
        listing="List I",
        listed_on=None,
        instrument="test",
        reference="test",
        group=None,
        note="",
    )
    index = PrecursorIndex.from_knowledge(KnowledgeBase(entries=(indole,), sources=(), version="t"))
    found = relations("CC(C)(C)OC(=O)n1ccc2ccccc21", index)
    assert found["test-indole"].transform == "N-Boc removal"
    assert found["test-indole"].description.endswith("gives indole, US-CSA List I")


def test_oversized_molecules_give_nothing(index: PrecursorIndex) -> None:
    big = "CC(=O)N1CCC(Nc2ccccc2)CC1" + "".join("C" for _ in range(140))
    assert find_precursor_relations(Chem.MolFromSmiles(big), index) == ()


def test_the_query_is_not_modified(index: PrecursorIndex) -> None:
    mol = Chem.MolFromSmiles("O=C(OCc1ccccc1)N1CCC(Nc2ccc(F)cc2)CC1")
    before = Chem.MolToSmiles(mol)
    find_precursor_relations(mol, index)
    assert Chem.MolToSmiles(mol) == before


def test_transform_table_is_well_formed() -> None:
    names = [t.name for t in TRANSFORMS]
    assert len(names) == len(set(names))
    for transform in TRANSFORMS:
        assert Chem.MolFromSmarts(transform.smarts) is not None, transform.name


def test_never_raises_on_drugs(index: PrecursorIndex) -> None:
    assert len(DRUGS) == 50
    controlled = {e.id for e in load_knowledge_base().entries if e.is_controlled}
    for smiles in DRUGS:
        mol = Chem.MolFromSmiles(smiles)
        assert mol is not None, smiles
        found = find_precursor_relations(mol, index)
        ids = [r.target_id for r in found]
        assert len(ids) == len(set(ids)), smiles
        assert set(ids) <= controlled, smiles
        for relation in found:
            assert " gives " in relation.description


def test_deprotection_examples_from_the_drug_list(index: PrecursorIndex) -> None:
    found = relations(DRUGS[-1], index)  # 1-Cbz-4-piperidone ethylene ketal
    assert found["uslist-4-piperidone"].transform == "N-Cbz removal + ketal/acetal hydrolysis"
