"""The bundled control lists load, and their structures are the compounds the instruments name."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdkit import Chem, RDLogger
from rdkit.Chem.rdMolDescriptors import CalcMolFormula

from synthwatch.knowledge import control_list
from synthwatch.knowledge.control_list import (
    KNOWLEDGE_VERSION,
    ControlEntry,
    Regime,
    load_knowledge_base,
)

RDLogger.DisableLog("rdApp.*")

# Molecular formulas the structures must have, by entry id.
# "PubChem" = the formula of the PubChem record, read in a public copy of that record during this work.
# "name in X" = the formula follows from the systematic chemical name printed in instrument X; this
# checks the SMILES against the listing's own wording, independently of any database.
FORMULAS: dict[str, str] = {
    "un1961-fentanyl": "C22H28N2O",  # PubChem CID 3345
    "un1988-norfentanyl": "C14H20N2O",  # PubChem CID 259381
    "un1961-oxycodone": "C18H21NO4",  # PubChem CID 5284603
    "un1961-heroin": "C21H23NO5",  # PubChem (diacetylmorphine)
    "un1961-methadone": "C21H27NO",  # PubChem CID 4095
    "un1961-pethidine": "C15H21NO2",  # PubChem CID 4058
    "un1971-mdma": "C11H15NO2",  # PubChem CID 1615
    "un1971-methamphetamine": "C10H15N",  # PubChem CID 10836
    "ref-haloperidol": "C21H23ClFNO2",  # PubChem CID 3559
    "ref-naloxone": "C19H21NO4",  # PubChem (naloxone)
    "ref-caffeine": "C8H10N4O2",  # PubChem CID 2519
    "un1961-morphine": "C17H19NO3",  # PubChem (morphine)
    # names in 82 FR 58575 (13 Dec 2017)
    "uscsa-valeryl-fentanyl": "C24H32N2O",  # N-(1-phenethylpiperidin-4-yl)-N-phenylpentanamide
    "uscsa-para-fluorobutyryl-fentanyl": "C23H29FN2O",  # N-(4-fluorophenyl)-...butyramide
    "uscsa-para-methoxybutyryl-fentanyl": "C24H32N2O2",  # N-(4-methoxyphenyl)-...butyramide
    "uscsa-para-chloroisobutyryl-fentanyl": "C23H29ClN2O",  # N-(4-chlorophenyl)-...isobutyramide
    "uscsa-isobutyryl-fentanyl": "C23H30N2O",  # N-(1-phenethylpiperidin-4-yl)-N-phenylisobutyramide
    "uscsa-cyclopentyl-fentanyl": "C25H32N2O",  # ...-N-phenylcyclopentanecarboxamide
    "uscsa-ocfentanil": "C22H27FN2O2",  # N-(2-fluorophenyl)-2-methoxy-...acetamide
    # names in 82 FR 42754 (12 Sep 2017)
    "uscsa-ortho-fluorofentanyl": "C22H27FN2O",  # N-(2-fluorophenyl)-...propionamide
    "uscsa-tetrahydrofuranyl-fentanyl": "C24H30N2O2",  # ...-N-phenyltetrahydrofuran-2-carboxamide
    "uscsa-methoxyacetyl-fentanyl": "C22H28N2O2",  # 2-methoxy-N-(1-phenethylpiperidin-4-yl)-N-phenylacetamide
    # names in 83 FR 61320 (29 Nov 2018)
    "uscsa-furanyl-fentanyl": "C24H26N2O2",  # ...-N-phenylfuran-2-carboxamide
    "uscsa-4-fluoroisobutyryl-fentanyl": "C23H29FN2O",  # N-(4-fluorophenyl)-...isobutyramide
    "uscsa-acryl-fentanyl": "C22H26N2O",  # ...-N-phenylacrylamide
    # names in 84 FR 16397 (19 Apr 2019)
    "uscsa-2-fluoro-ortho-fluorofentanyl": "C22H26F2N2O",  # N-(1-(2-fluorophenethyl)...)-N-(2-fluorophenyl)propionamide
    "uscsa-ortho-methyl-acetylfentanyl": "C22H28N2O",  # N-(2-methylphenyl)-...acetamide
    "uscsa-beta-phenyl-fentanyl": "C28H32N2O",  # ...-N,3-diphenylpropanamide
    "uscsa-thiofuranyl-fentanyl": "C24H26N2OS",  # ...-N-phenylthiophene-2-carboxamide
    "uscsa-crotonyl-fentanyl": "C23H28N2O",  # (E)-...-N-phenylbut-2-enamide
    # names in 86 FR 23602 (4 May 2021)
    "uscsa-fentanyl-carbamate": "C22H28N2O2",  # ethyl (1-phenethylpiperidin-4-yl)(phenyl)carbamate
    "uscsa-ortho-fluoroacryl-fentanyl": "C22H25FN2O",  # N-(2-fluorophenyl)-...acrylamide
    "uscsa-ortho-fluoroisobutyryl-fentanyl": "C23H29FN2O",  # N-(2-fluorophenyl)-...isobutyramide
    "uscsa-para-fluoro-furanyl-fentanyl": "C24H25FN2O2",  # N-(4-fluorophenyl)-...furan-2-carboxamide
    # names in 88 FR 85104 (7 Dec 2023)
    "uscsa-meta-fluorofentanyl": "C22H27FN2O",  # N-(3-fluorophenyl)-...propionamide
    "uscsa-meta-fluoroisobutyryl-fentanyl": "C23H29FN2O",  # N-(3-fluorophenyl)-...isobutyramide
    # names in 21 CFR 1308.11(b) as printed (lawserver copy)
    "uscsa-acetyl-alpha-methylfentanyl": "C22H28N2O",  # N-[1-(1-methyl-2-phenethyl)-4-piperidinyl]-N-phenylacetamide
    "uscsa-acetyl-fentanyl": "C21H26N2O",  # N-(1-phenethylpiperidin-4-yl)-N-phenylacetamide
    "uscsa-ah-7921": "C16H22Cl2N2O",  # 3,4-dichloro-N-[(1-dimethylamino)cyclohexylmethyl]benzamide
    "uscsa-alpha-methyl-butyryl-fentanyl": "C24H32N2O",  # 2-methyl-N-(1-phenethylpiperidin-4-yl)-N-phenylbutanamide
    # names in FR Doc 2016-11219 (12 May 2016)
    "uscsa-butyryl-fentanyl": "C23H30N2O",  # N-(1-phenethylpiperidin-4-yl)-N-phenylbutanamide
    "uscsa-beta-hydroxythiofentanyl": "C20H26N2O2S",  # N-[1-[2-hydroxy-2-(thiophen-2-yl)ethyl]...]propionamide
    # names in 79 FR 37623 (2 Jul 2014), tramadol final rule
    "uscsa-tramadol": "C16H25NO2",  # 2-[(dimethylamino)methyl]-1-(3-methoxyphenyl)cyclohexanol
    # metonitazene, 88 FR 56466 (18 Aug 2023): same compound as the un_1961 row
    "uscsa-metonitazene": "C21H26N4O3",
    # names in 78 FR 21818 (12 Apr 2013), 85 FR 34607 (8 Jun 2020), 88 FR 21101 (10 Apr 2023),
    # 86 FR 31427 (14 Jun 2021)
    "uscsa-methylone": "C11H13NO3",  # 3,4-methylenedioxy-N-methylcathinone
    "uscsa-ethylone": "C12H15NO3",  # 1-(1,3-benzodioxol-5-yl)-2-(ethylamino)propan-1-one
    "uscsa-eutylone": "C13H17NO3",  # 1-(1,3-benzodioxol-5-yl)-2-(ethylamino)butan-1-one
    "uscsa-n-ethylpentylone": "C14H19NO3",  # 1-(1,3-benzodioxol-5-yl)-2-(ethylamino)pentan-1-one
    # names in 84 FR 34291 (18 Jul 2019)
    "uscsa-n-ethylhexedrone": "C14H21NO",  # 2-(ethylamino)-1-phenylhexan-1-one
    "uscsa-alpha-php": "C16H23NO",  # 1-phenyl-2-(pyrrolidin-1-yl)hexan-1-one
    "uscsa-4-meap": "C14H21NO",  # 2-(ethylamino)-1-(4-methylphenyl)pentan-1-one
    "uscsa-mphp": "C17H25NO",  # 1-(4-methylphenyl)-2-(pyrrolidin-1-yl)hexan-1-one
    "uscsa-pv8": "C17H25NO",  # 1-phenyl-2-(pyrrolidin-1-yl)heptan-1-one
    "uscsa-4-chloro-alpha-pvp": "C15H20ClNO",  # 1-(4-chlorophenyl)-2-(pyrrolidin-1-yl)pentan-1-one
    # names in 80 FR 5042 (30 Jan 2015) and 82 FR 47971 (16 Oct 2017)
    "uscsa-ab-chminaca": "C20H28N4O2",  # N-(1-amino-3-methyl-1-oxobutan-2-yl)-1-(cyclohexylmethyl)-...
    "uscsa-ab-pinaca": "C18H26N4O2",  # N-(1-amino-3-methyl-1-oxobutan-2-yl)-1-pentyl-...
    "uscsa-thj-2201": "C23H21FN2O",  # [1-(5-fluoropentyl)-1H-indazol-3-yl](naphthalen-1-yl)methanone
    # names in 85 FR 20822 (15 Apr 2020), 87 FR 67550, 88 FR 21902, FR Doc 2025-19349
    "uslist-benzylfentanyl": "C21H26N2O",  # N-(1-benzylpiperidin-4-yl)-N-phenylpropionamide
    "uslist-4-ap": "C11H16N2",  # N-phenylpiperidin-4-amine
    "uslist-1-boc-4-ap": "C16H24N2O2",  # tert-butyl 4-(phenylamino)piperidine-1-carboxylate
    "uslist-4-piperidone": "C5H9NO",  # piperidin-4-one
    "uslist-1-boc-4-piperidone": "C10H17NO3",  # tert-butyl 4-oxopiperidine-1-carboxylate
    # names in the INCB/CND texts cited in un_1988.csv and chemistry.md section 2.1
    "un1988-npp": "C13H17NO",  # N-phenethyl-4-piperidone
    "un1988-anpp": "C19H24N2",  # 4-anilino-N-phenethylpiperidine
    "un1988-apaan": "C10H9NO",  # 3-oxo-2-phenylbutanenitrile
    "un1988-apaa": "C10H11NO2",  # 3-oxo-2-phenylbutanamide
    "un1988-mapa": "C11H12O3",  # methyl 3-oxo-2-phenylbutanoate
    "un1988-p2p": "C9H10O",  # 1-phenyl-2-propanone
    "un1988-pmk": "C10H10O3",  # 3,4-methylenedioxyphenyl-2-propanone
    "un1988-bmk-glycidic-acid": "C10H10O3",  # 2-methyl-3-phenyloxirane-2-carboxylic acid
    "un1988-bmk-glycidate-methyl": "C11H12O3",  # methyl 2-methyl-3-phenyloxirane-2-carboxylate
    "un1988-pmk-methyl-glycidate": "C12H12O5",  # methyl 3-(1,3-benzodioxol-5-yl)-2-methyloxirane-2-carboxylate
    "un1988-potassium-permanganate": "KMnO4",
    "un1988-sulfuric-acid": "H2O4S",
    # names in the WHO/CND papers cited in un_1961.csv (E/CN.7/2018/10, 84 FR 7070, ECDD 42)
    "un1961-carfentanil": "C24H30N2O3",  # methyl 1-phenethyl-4-(N-phenylpropanamido)piperidine-4-carboxylate
    "un1961-cyclopropylfentanyl": "C23H28N2O",  # ...-N-phenylcyclopropanecarboxamide
    "un1961-crotonylfentanyl": "C23H28N2O",
    "un1961-u-47700": "C16H22Cl2N2O",  # 3,4-dichloro-N-[2-(dimethylamino)cyclohexyl]-N-methylbenzamide
    "un1961-isotonitazene": "C23H30N4O3",  # N,N-diethyl-2-[[4-(1-methylethoxy)phenyl]methyl]-5-nitro-...
    "un1961-brorphine": "C20H22BrN3O",
    "un1961-2-methyl-ap-237": "C18H26N2O",
    "un1961-etazene": "C22H29N3O",
    "un1961-etonitazepyne": "C22H26N4O3",
    "un1961-protonitazene": "C23H30N4O3",
    "un1961-metonitazene": "C21H26N4O3",
    "un1961-butonitazene": "C24H32N4O3",
    "un1961-n-desethyl-isotonitazene": "C21H26N4O3",
    "un1961-sufentanil": "C22H30N2O2S",
    "un1961-alfentanil": "C21H32N6O3",
    "un1961-remifentanil": "C20H28N2O5",
    "ref-xylazine": "C12H16N2S",  # N-(2,6-dimethylphenyl)-5,6-dihydro-4H-1,3-thiazin-2-amine
    "ref-medetomidine": "C13H16N2",
    "ref-4-aminopyridine": "C5H6N2",
}

# InChIKeys confirmed in public records during this work (each found next to the compound's name).
INCHIKEYS: dict[str, str] = {
    "un1961-fentanyl": "PJMPHNIQZUBGLI-UHFFFAOYSA-N",  # PubChem CID 3345
    "un1961-carfentanil": "YDSDEBIZUNNPOB-UHFFFAOYSA-N",
    "un1988-norfentanyl": "PMCBDBWCQQBSRJ-UHFFFAOYSA-N",  # PubChem CID 259381
    "un1961-acetylfentanyl": "FYIUUQUPOKIKNI-UHFFFAOYSA-N",  # listed with CAS 3258-84-2
    "un1961-isotonitazene": "OIOQREYBGDAYGT-UHFFFAOYSA-N",  # PubChem CID 145721979
    "un1961-morphine": "BQJCRHHNABKAKU-KBQPJGBKSA-N",
    "un1961-heroin": "GVGLGOZIDCSQPN-PVHGPHFFSA-N",
    "un1961-oxycodone": "BRUQQQPBMZOVGD-XFKAJCMBSA-N",  # PubChem CID 5284603
    "un1961-methadone": "USSIQXCVUWKGNF-UHFFFAOYSA-N",  # PubChem CID 4095
    "un1961-pethidine": "XADCESSVHJOZHK-UHFFFAOYSA-N",  # PubChem CID 4058
    "un1971-mdma": "SHXWCVYOXRDMCX-UHFFFAOYSA-N",  # PubChem CID 1615
    "un1971-methamphetamine": "MYWUZJCMWCOHBA-VIFPVBQESA-N",  # PubChem CID 10836
    "un1971-amphetamine": "KWTSXDURSIMDCE-UHFFFAOYSA-N",  # racemic amphetamine
    "ref-caffeine": "RYYVLZVUVIJVGH-UHFFFAOYSA-N",
    "ref-lidocaine": "NNJVILVZKWQKPM-UHFFFAOYSA-N",
    "ref-haloperidol": "LNEPOXFFQSENCJ-UHFFFAOYSA-N",  # PubChem CID 3559
    "ref-naloxone": "UZHSEJADLWPNLE-GRGSLBFTSA-N",
    "ref-tramadol": "TVYLLZQTGLZFBW-UHFFFAOYSA-N",
}

# chemistry.md section 2.1: the 1988 Table I fentanyl precursors and the year each was listed
FENTANYL_PRECURSORS_1988 = {
    "39742-60-4": 2017,  # NPP
    "21409-26-7": 2017,  # ANPP
    "23056-29-3": 2022,  # 4-AP
    "125541-22-2": 2022,  # 1-boc-4-AP
    "1609-66-1": 2022,  # norfentanyl
    "41661-47-6": 2024,  # 4-piperidone
    "79099-07-3": 2024,  # 1-boc-4-piperidone
}


@pytest.fixture(scope="module")
def by_id() -> dict[str, ControlEntry]:
    return {e.id: e for e in load_knowledge_base().entries}


def test_loads_every_file_with_version() -> None:
    kb = load_knowledge_base()
    assert kb.version == KNOWLEDGE_VERSION == "2026.11.0"
    files = {s.file: s for s in kb.sources}
    assert set(files) == {
        "un_1961.csv",
        "un_1971.csv",
        "un_1988.csv",
        "us_csa.csv",
        "us_list_chemicals.csv",
        "reference_substances.csv",
    }
    assert sum(s.entries for s in kb.sources) == len(kb.entries)
    assert sum(e.is_controlled for e in kb.entries) >= 200
    assert files["un_1988.csv"].latest_listing is not None
    assert files["un_1988.csv"].latest_listing.isoformat() == "2024-12-03"
    assert len({e.id for e in kb.entries}) == len(kb.entries)
    assert load_knowledge_base() is kb  # cached


def test_every_smiles_parses() -> None:
    bad = [
        e.id
        for e in load_knowledge_base().entries
        if e.smiles and Chem.MolFromSmiles(e.smiles) is None
    ]
    assert bad == []


def test_formulas_match_published(by_id: dict[str, ControlEntry]) -> None:
    assert len(FORMULAS) >= 60
    wrong = {}
    for ident, formula in FORMULAS.items():
        smiles = by_id[ident].smiles
        assert smiles is not None, ident
        got = CalcMolFormula(Chem.MolFromSmiles(smiles))
        if got != formula:
            wrong[ident] = (got, formula)
    assert wrong == {}


def test_inchikeys_match_public_records(by_id: dict[str, ControlEntry]) -> None:
    assert len(INCHIKEYS) >= 15
    for ident, key in INCHIKEYS.items():
        smiles = by_id[ident].smiles
        assert smiles is not None
        assert Chem.MolToInchiKey(Chem.MolFromSmiles(smiles)) == key, ident


def test_same_substance_has_same_structure_across_files(by_id: dict[str, ControlEntry]) -> None:
    pairs = [
        ("un1961-fentanyl", "uscsa-fentanyl"),
        ("un1961-carfentanil", "uscsa-carfentanil"),
        ("un1988-anpp", "uscsa-anpp"),
        ("un1988-norfentanyl", "uscsa-norfentanyl"),
        ("un1988-4-ap", "uslist-4-ap"),
        ("un1961-etonitazepyne", "uscsa-n-pyrrolidino-etonitazene"),
        ("un1961-etazene", "uscsa-etodesnitazene"),
        ("un1961-metonitazene", "uscsa-metonitazene"),
        ("un1971-methylone", "uscsa-methylone"),
        ("un1971-eutylone", "uscsa-eutylone"),
        ("un1971-n-ethylhexedrone", "uscsa-n-ethylhexedrone"),
        ("un1971-alpha-php", "uscsa-alpha-php"),
        ("ref-tramadol", "uscsa-tramadol"),
    ]
    for a, b in pairs:
        ka = Chem.MolToInchiKey(Chem.MolFromSmiles(by_id[a].smiles or ""))
        kb = Chem.MolToInchiKey(Chem.MolFromSmiles(by_id[b].smiles or ""))
        assert ka == kb, (a, b)


def test_1988_fentanyl_precursors_present_with_year() -> None:
    table1 = [
        e
        for e in load_knowledge_base().entries
        if e.regime is Regime.UN_1988 and e.listing == "Table I"
    ]
    for cas, year in FENTANYL_PRECURSORS_1988.items():
        hits = [e for e in table1 if cas in e.cas]
        assert len(hits) == 1, cas
        entry = hits[0]
        assert str(year) in entry.instrument, (cas, entry.instrument)
        if entry.listed_on is not None:
            assert entry.listed_on.year == year
        assert entry.is_precursor


def test_1988_tables_complete_counts() -> None:
    entries = [e for e in load_knowledge_base().entries if e.regime is Regime.UN_1988]
    table2 = {e.name for e in entries if e.listing == "Table II"}
    assert table2 == {
        "acetone",
        "anthranilic acid",
        "ethyl ether",
        "hydrochloric acid",
        "methyl ethyl ketone",
        "piperidine",
        "sulfuric acid",
        "toluene",
    }
    groups = {e.group for e in entries if e.group}
    bmk = [e for e in entries if e.group == "P-2-P methyl glycidic acid and its esters (CND 2024)"]
    assert len(groups) == 2 and len(bmk) == 9  # parent + eight enumerated esters


def test_every_controlled_entry_is_cited() -> None:
    for e in load_knowledge_base().entries:
        if e.is_controlled:
            assert e.reference.strip(), e.id
            assert e.listing is not None, e.id
        else:
            assert e.listing is None and e.note, e.id


def test_named_us_fentanyl_analogues_present() -> None:
    names = {e.name for e in load_knowledge_base().entries if e.regime is Regime.US_CSA}
    for name in (
        "Acetyl fentanyl",
        "Furanyl fentanyl",
        "Ocfentanil",
        "Fentanyl carbamate",
        "para-Fluoro furanyl fentanyl",
        "meta-Fluorofentanyl",
        "Thiofuranyl fentanyl",
        "N-Pyrrolidino protonitazene",
    ):
        assert name in names


def test_precursor_flags(by_id: dict[str, ControlEntry]) -> None:
    assert by_id["uscsa-anpp"].is_precursor  # Schedule II immediate precursor
    assert by_id["uslist-4-piperidone"].is_precursor
    assert by_id["un1988-acetone"].is_precursor
    assert not by_id["uscsa-fentanyl"].is_precursor
    assert not by_id["ref-xylazine"].is_precursor
    assert by_id["uscsa-n-pyrrolidino-metonitazene"].note.startswith("temporary until 2027-08-15")


def test_carfentanil_in_both_1961_schedules(by_id: dict[str, ControlEntry]) -> None:
    assert by_id["un1961-carfentanil"].listing == "Schedule I"
    assert by_id["un1961-carfentanil-sch4"].listing == "Schedule IV"


def _corrupt(tmp_path: Path, file: str, old: str, new: str) -> Path:
    src = Path(str(control_list._data_dir()))
    dst = tmp_path / "data"
    shutil.copytree(src, dst)
    text = (dst / file).read_text(encoding="utf-8")
    assert old in text
    (dst / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return dst


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("un_1961.csv", "437-38-7", "437-38-8", "cas: CAS check digit"),
        ("un_1988.csv", ",2024-12-03,", ",2024-13-03,", "listed_on: not an ISO date"),
        ("un_1971.csv", ",Schedule II,", ",Schedule 2,", "listing: 'Schedule 2' not one of"),
        (
            "us_list_chemicals.csv",
            "uslist-4-piperidone,",
            "uslist-4-ap,",
            "id: duplicate id 'uslist-4-ap'",
        ),
    ],
)
def test_bad_row_reports_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: str, old: str, new: str, expected: str
) -> None:
    folder = _corrupt(tmp_path, file, old, new)
    monkeypatch.setattr(control_list, "_data_dir", lambda: folder)
    load_knowledge_base.cache_clear()
    try:
        with pytest.raises(ValueError, match=rf"^{file}:\d+: {expected}"):
            load_knowledge_base()
    finally:
        load_knowledge_base.cache_clear()


def test_missing_reference_is_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(Path(str(control_list._data_dir())), folder)
    path = folder / "un_1961.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][8] = ""  # reference column of the first data row (file line 2)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"^un_1961.csv:2: reference: a controlled entry needs a citation"
    ):
        control_list._load(folder)


def test_loader_does_not_import_rdkit() -> None:
    code = (
        "import sys; from synthwatch.knowledge.control_list import load_knowledge_base; "
        "load_knowledge_base(); print('rdkit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
