"""Fingerprint similarity search: exact RDKit Tanimoto values, k, threshold, ordering."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rdkit import Chem, DataStructs
from rdkit.Chem import rdFingerprintGenerator

from synthwatch.chem.similarity import FingerprintIndex, to_fingerprint
from synthwatch.knowledge.control_list import load_knowledge_base

EXTRA = (
    "CC(=O)Oc1ccccc1C(=O)O",
    "CC(C)Cc1ccc(C(C)C(=O)O)cc1",
    "CC(=O)Nc1ccc(O)cc1",
    "Cn1c(=O)c2c(ncn2C)n(C)c1=O",
    "CN1C(=O)CN=C(c2ccccc2)c2cc(Cl)ccc21",
    "CN1CCC[C@H]1c1cccnc1",
    "CC(C)NCC(O)COc1cccc2ccccc12",
    "CNCCC(Oc1ccc(C(F)(F)F)cc1)c1ccccc1",
    "C",
    "[K+].[O-][Mn](=O)(=O)=O",
)


def _rdkit_fp(mol: Chem.Mol) -> DataStructs.ExplicitBitVect:
    return rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048).GetFingerprint(mol)


@pytest.fixture(scope="module")
def drugs() -> list[tuple[str, Chem.Mol]]:
    kb = load_knowledge_base()
    smiles = [(e.id, e.smiles) for e in kb.entries if e.smiles]
    smiles += [(f"extra-{i}", s) for i, s in enumerate(EXTRA)]
    out = [(i, Chem.MolFromSmiles(s)) for i, s in smiles]
    return [(i, m) for i, m in out if m is not None]


@pytest.fixture(scope="module")
def controlled_index() -> FingerprintIndex:
    kb = load_knowledge_base()
    return FingerprintIndex.from_smiles(
        (e.id, e.smiles) for e in kb.entries if e.is_controlled and e.smiles
    )


def test_fingerprint_layout_matches_rdkit(drugs: list[tuple[str, Chem.Mol]]) -> None:
    for _, mol in drugs[:20]:
        fp = to_fingerprint(mol)
        assert fp.shape == (32,)
        assert fp.dtype == np.uint64
        reference = _rdkit_fp(mol)
        bits = np.unpackbits(fp.astype("<u8").view(np.uint8), bitorder="little")
        assert list(np.flatnonzero(bits)) == list(reference.GetOnBits())


def test_identical_molecule_scores_one_first(controlled_index: FingerprintIndex) -> None:
    mol = Chem.MolFromSmiles("CN[C@@H](C)[C@H](O)c1ccccc1")  # ephedrine
    results = controlled_index.search(to_fingerprint(mol), k=3)
    assert results[0][1] == 1.0
    assert results[0][0] in {"un1988-ephedrine", "uslist-ephedrine"}


def test_values_equal_bulk_tanimoto(drugs: list[tuple[str, Chem.Mol]]) -> None:
    rng = random.Random(7)
    fps = np.stack([to_fingerprint(m) for _, m in drugs])
    ids = [str(i) for i in range(len(drugs))]
    index = FingerprintIndex(fps, ids)
    rdkit_fps = [_rdkit_fp(m) for _, m in drugs]
    for _ in range(200):
        i, j = rng.randrange(len(drugs)), rng.randrange(len(drugs))
        expected = DataStructs.BulkTanimotoSimilarity(rdkit_fps[i], [rdkit_fps[j]])[0]
        scores = dict(index.search(fps[i], k=len(drugs)))
        assert abs(scores[str(j)] - expected) <= 1e-12


def test_whole_ranking_equals_bulk_tanimoto(drugs: list[tuple[str, Chem.Mol]]) -> None:
    fps = np.stack([to_fingerprint(m) for _, m in drugs])
    index = FingerprintIndex(fps, [str(i) for i in range(len(drugs))])
    rdkit_fps = [_rdkit_fp(m) for _, m in drugs]
    for i in range(0, len(drugs), 25):
        expected = DataStructs.BulkTanimotoSimilarity(rdkit_fps[i], rdkit_fps)
        order = sorted(range(len(drugs)), key=lambda j: (-expected[j], j))[:10]
        assert index.search(fps[i], k=10) == [(str(j), expected[j]) for j in order]


def _brute_force(fps: np.ndarray, q: np.ndarray) -> np.ndarray:
    common = np.bitwise_count(fps & q).sum(axis=1).astype(np.float64)
    denom = np.bitwise_count(fps).sum(axis=1) + np.bitwise_count(q).sum() - common
    return np.divide(common, denom, out=np.zeros_like(common), where=denom > 0)


@pytest.mark.parametrize("density", [0.02, 0.05, 0.5])
def test_large_random_index_matches_brute_force(density: float) -> None:
    rng = np.random.default_rng(3)
    n = 10_007  # not a multiple of 64; large enough for the block-maximum top-k path
    bits = rng.random((n, 2048)) < density
    fps = np.packbits(bits, axis=1, bitorder="little").view("<u8").astype(np.uint64)
    fps[5000] = fps[17]  # a duplicate: ties keep insertion order
    index = FingerprintIndex(fps, [str(i) for i in range(n)])
    for q_row in (17, 42, 9000):
        q = fps[q_row]
        sim = _brute_force(fps, q)
        order = np.lexsort((np.arange(n), -sim))
        got = index.search(q, k=25)
        assert got == [(str(j), float(sim[j])) for j in order[:25]]
        threshold = float(sim[order[40]])
        got = index.search(q, k=10_000, threshold=threshold)
        expected = [j for j in order if sim[j] >= threshold]
        assert [int(i) for i, _ in got] == [int(j) for j in expected]


def test_k_and_threshold_are_honoured(controlled_index: FingerprintIndex) -> None:
    query = to_fingerprint(Chem.MolFromSmiles("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"))
    assert len(controlled_index.search(query, k=7)) == 7
    assert controlled_index.search(query, k=0) == []
    above = controlled_index.search(query, k=1000, threshold=0.5)
    assert above
    assert all(score >= 0.5 for _, score in above)
    everything = controlled_index.search(query, k=1000)
    assert len(everything) == len(controlled_index)
    assert [s for _, s in everything if s >= 0.5] == [s for _, s in above]
    assert [s for _, s in everything] == sorted((s for _, s in everything), reverse=True)
    assert controlled_index.search(query, k=5, threshold=1.0)[0][1] == 1.0


def test_bad_arguments_are_refused(controlled_index: FingerprintIndex) -> None:
    query = np.zeros(32, dtype=np.uint64)
    with pytest.raises(ValueError, match="negative"):
        controlled_index.search(query, k=-1)
    with pytest.raises(ValueError, match="threshold"):
        controlled_index.search(query, threshold=1.5)
    with pytest.raises(ValueError, match="shape"):
        controlled_index.search(np.zeros(16, dtype=np.uint64))
    with pytest.raises(ValueError, match="shape"):
        FingerprintIndex(np.zeros((3, 16), dtype=np.uint64), ["a", "b", "c"])
    with pytest.raises(ValueError, match="ids"):
        FingerprintIndex(np.zeros((3, 32), dtype=np.uint64), ["a"])


def test_empty_query_scores_zero_like_rdkit(controlled_index: FingerprintIndex) -> None:
    empty = np.zeros(32, dtype=np.uint64)
    assert all(score == 0.0 for _, score in controlled_index.search(empty, k=5))
    assert controlled_index.search(empty, threshold=0.1) == []
    both_empty = FingerprintIndex(np.zeros((2, 32), dtype=np.uint64), ["a", "b"])
    assert both_empty.search(empty, k=2) == [("a", 0.0), ("b", 0.0)]


def test_empty_index() -> None:
    index = FingerprintIndex.from_smiles([])
    assert len(index) == 0
    assert index.search(to_fingerprint(Chem.MolFromSmiles("CCO"))) == []


def test_unparseable_smiles_are_skipped_and_counted() -> None:
    index = FingerprintIndex.from_smiles([("a", "CCO"), ("b", "C1CC"), ("c", "not a smiles")])
    assert len(index) == 1
    assert index.skipped == 2
    assert index.ids == ("a",)


def test_fentanyls_nearest_neighbour_is_an_analogue(controlled_index: FingerprintIndex) -> None:
    query = to_fingerprint(Chem.MolFromSmiles("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"))
    results = controlled_index.search(query, k=10)
    others = [(i, s) for i, s in results if not i.endswith("fentanyl") or s < 1.0]
    nearest, score = others[0]
    assert "fentanyl" in nearest
    assert 0.5 < score < 1.0
    assert not any("nitazen" in i for i, _ in results)
