from __future__ import annotations

import json

import pytest

from synthwatch.chem.classify import CLASS, FRS_REFERENCE, NAMED, classify_substance

FENTANYL_SMILES = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"


def controls(query: str) -> set[tuple[str, str, str]]:
    return {(c.regime, c.listing, c.basis) for c in classify_substance(query).controls}


def test_fentanyl_is_named_in_both_regimes_and_is_not_itself_a_modification() -> None:
    result = classify_substance("fentanyl")
    assert result.resolved
    assert ("UN-1961", "Schedule I", NAMED) in controls("fentanyl")
    assert ("US-CSA", "Schedule II", NAMED) in controls("fentanyl")
    assert result.fentanyl_related is False
    assert result.precursor is False
    assert all(c.reference for c in result.controls)


def test_a_named_analogue_is_fentanyl_related_and_controlled_by_name_not_by_class() -> None:
    result = classify_substance("carfentanil")
    assert result.fentanyl_related
    assert any(m.startswith("(C)") for m in result.fentanyl_modifications)
    us = [c for c in result.controls if c.regime == "US-CSA"]
    assert us
    assert all(c.basis == NAMED for c in us)


def test_an_unlisted_analogue_is_controlled_in_the_us_by_the_class_definition_only() -> None:
    # meta-chloro butyrfentanyl: aniline ring substituted (D) and butanoyl for propionyl (E)
    result = classify_substance("CCCC(=O)N(c1cccc(Cl)c1)C1CCN(CCc2ccccc2)CC1")
    assert result.resolved
    assert result.fentanyl_related
    assert {m[:3] for m in result.fentanyl_modifications} == {"(D)", "(E)"}
    assert [(c.regime, c.listing, c.basis) for c in result.controls] == [
        ("US-CSA", "Schedule I", CLASS)
    ]
    assert result.controls[0].reference == FRS_REFERENCE
    nearest = result.analogues[0]
    assert "butyr" in nearest.name.lower()
    assert nearest.relation == "one step: aryl chlorine removal"


def test_a_listed_precursor_is_a_precursor_and_not_fentanyl_related() -> None:
    result = classify_substance("4-ANPP")
    assert result.precursor
    assert not result.fentanyl_related
    assert ("UN-1988", "Table I", NAMED) in controls("4-ANPP")


def test_a_salt_is_covered_as_a_form_of_the_listed_substance() -> None:
    result = classify_substance(FENTANYL_SMILES + ".OC(=O)CC(O)(CC(=O)O)C(=O)O")
    assert result.inchikey == "PJMPHNIQZUBGLI-UHFFFAOYSA-N"
    assert result.controls
    assert all(c.basis == "salt-isomer-ester" for c in result.controls)
    assert result.changes


def test_nitazenes_are_flagged_as_a_class_of_concern_that_is_not_a_legal_class() -> None:
    isotonitazene = "CCN(CC)CCn1c(Cc2ccc(OC(C)C)cc2)nc2cc([N+](=O)[O-])ccc21"
    result = classify_substance(isotonitazene)
    assert result.classes_of_concern
    assert "not a legal class" in result.classes_of_concern[0]
    unlisted = classify_substance("CCN(CC)CCn1c(Cc2ccc(OCCCCC)cc2)nc2cc([N+](=O)[O-])ccc21")
    assert unlisted.classes_of_concern
    assert not unlisted.fentanyl_related


@pytest.mark.parametrize("hard_negative", ["loperamide", "haloperidol", "donepezil", "caffeine"])
def test_hard_negatives_are_not_fentanyl_related_nor_controlled(hard_negative: str) -> None:
    result = classify_substance(hard_negative)
    if not result.resolved:
        pytest.fail(f"{hard_negative}: {result.error}")
    assert not result.fentanyl_related
    assert not result.controls


def test_bad_input_is_answered_with_a_reason_not_an_exception() -> None:
    for query in ["", "C(C)(C)(C)(C)C", "\x00\xff garbage", "C" * 400, "437-38-8"]:
        result = classify_substance(query)
        assert result.resolved is False
        assert result.error


def test_the_output_has_the_interface_fields() -> None:
    record = classify_substance("fentanyl").to_dict()
    json.dumps(record)
    for key in (
        "query", "resolved", "error", "name", "smiles", "inchikey", "controls",
        "fentanyl_related", "precursor", "designer_precursor", "analogues",
    ):  # fmt: skip
        assert key in record
    assert set(record["controls"][0]) >= {"regime", "listing", "basis", "reference"}


def test_a_carbamate_of_4_ap_is_us_list_i_by_the_listing_of_its_derivatives_but_not_international() -> (
    None
):
    cbz_4_ap = (
        "O=C(OCc1ccccc1)N1CCC(Nc2ccccc2)CC1"  # 1-Cbz-4-AP, benzyl 4-anilinopiperidine-1-carboxylate
    )
    result = classify_substance(cbz_4_ap)
    assert [(c.regime, c.listing, c.basis) for c in result.controls] == [
        ("US-CSA", "List I", "salt-isomer-ester")
    ]
    assert "carbamates" in result.controls[0].reference
    assert result.precursor
    assert not result.designer_precursor  # it is controlled (in the US)
    assert any(r.transform == "N-Cbz removal" for r in result.precursor_relations)


def test_an_n_benzyl_piperidone_is_a_designer_precursor_of_4_piperidone() -> None:
    result = classify_substance("O=C1CCN(Cc2ccccc2)CC1")  # 1-benzyl-4-piperidone
    assert not result.controls  # N-alkyl is not an acetal, amide or carbamate
    assert result.designer_precursor
    assert any(
        r.transform == "N-benzyl removal" and "piperidone" in r.target_name.lower()
        for r in result.precursor_relations
    )


def test_a_ketal_of_4_piperidone_is_us_list_i_only() -> None:
    result = classify_substance("C1CC2(CCN1)OCCO2")
    assert {(c.regime, c.listing) for c in result.controls} == {("US-CSA", "List I")}
    assert result.precursor


def test_the_class_evidence_atoms_are_numbered_as_in_the_output_smiles_and_can_be_drawn() -> None:
    from rdkit import Chem

    from synthwatch.chem.classify import depict_classification

    result = classify_substance("CCCC(=O)N(c1cccc(Cl)c1)C1CCN(CCc2ccccc2)CC1")
    mol = Chem.MolFromSmiles(result.smiles or "")
    symbols = {mol.GetAtomWithIdx(i).GetSymbol() for i in result.fentanyl_atoms}
    assert "Cl" in symbols  # the (D) substituent is part of the evidence
    assert len(result.fentanyl_atoms) >= 20
    svg = depict_classification(result)
    assert svg.lstrip().startswith("<svg")
    assert "#F28C33" in svg.upper() or "#f28c33" in svg


def test_an_inchikey_is_looked_up_in_the_knowledge_base() -> None:
    result = classify_substance("PJMPHNIQZUBGLI-UHFFFAOYSA-N")
    assert result.resolved
    assert result.name is not None
    assert "fentanyl" in result.name.lower()
    unknown = classify_substance("AAAAAAAAAAAAAA-BBBBBBBBBB-N")
    assert not unknown.resolved
    assert "cannot be turned back into a structure" in (unknown.error or "")


@pytest.mark.parametrize(
    "pathological",
    [
        "c12c3c4c5c1c1c6c7c2c2c8c3c3c9c4c4c%10c5c5c1c1c6c6c%11c7c2c2c7c8c3c3c8c9c4c4c9c%10c5c5c1c1c6c6c%11c2c2c7c3c3c8c4c4c9c5c1c1c6c2c3c41",
        "CC(=O)N" + "C(C(=O)NC)" * 30 + "C",
        "O=C(OCc1ccccc1)N1CCC(N(C(=O)OC(C)(C)C)c2ccc(F)c(Cl)c2)C(C(=O)OC)C1",
    ],
)
def test_pathological_structures_finish_in_bounded_time(pathological: str) -> None:
    # A hang guard, not a speed target (those live in benchmarks/): C60, a long oligoamide and a
    # multiply masked precursor must be answered, and well within seconds.
    import time

    started = time.perf_counter()
    result = classify_substance(pathological)
    assert time.perf_counter() - started < 5.0
    assert result.resolved or result.error
