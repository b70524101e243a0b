"""Similarity search throughput: `FingerprintIndex` beside RDKit `BulkTanimotoSimilarity`, one core.

    python benchmarks/bench_chem_similarity.py [--rows 1000000] [--queries 50] [--rdkit-queries 10]

Not a test (pytest does not collect it). The process is pinned to one CPU and numpy/BLAS to one
thread before numpy is imported.

Data: the Morgan (radius 2, 2048-bit) fingerprints of every knowledge-base structure (~316, so
each query has true neighbours), placed at random rows among random fingerprints whose densities
follow the knowledge base's own: each random row draws a real molecule's popcount p and sets
every bit independently with probability p / 2048 (about 2 % density, ~45 bits, like drug-like
molecules). Neither method's cost depends on the database density; the index's cost grows with
the QUERY's popcount, so the queries are real molecules (knowledge-base structures).

Both methods see the same 1,000,000 fingerprints in the same run: the index as packed uint64, RDKit
as ExplicitBitVects made from the same bytes (FPS hex). RDKit's time counts only the
`BulkTanimotoSimilarity` call (no top-k); the index's time counts a full top-10 search. The top-10
of every RDKit query is checked against the index's (same ids' scores, equal doubles).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from rdkit import Chem, DataStructs  # noqa: E402

from synthwatch.chem.similarity import FingerprintIndex, to_fingerprint  # noqa: E402
from synthwatch.knowledge.control_list import load_knowledge_base  # noqa: E402


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def real_fingerprints() -> tuple[list[str], np.ndarray]:
    ids, rows = [], []
    for entry in load_knowledge_base().entries:
        mol = Chem.MolFromSmiles(entry.smiles) if entry.smiles else None
        if mol is not None:
            ids.append(entry.id)
            rows.append(to_fingerprint(mol))
    return ids, np.stack(rows)


def database(rows: int, real: np.ndarray, seed: int = 20261101) -> tuple[np.ndarray, np.ndarray]:
    """`rows` fingerprints: random ones at the real molecules' densities, the real ones inserted."""
    rng = np.random.default_rng(seed)
    counts = np.bitwise_count(real).sum(axis=1)
    counts = counts[counts > 2]  # leave out the few tiny molecules (HCl, methylamine ...)
    fps = np.empty((rows, 32), dtype=np.uint64)
    chunk = 8192
    for start in range(0, rows, chunk):
        size = min(chunk, rows - start)
        density = (rng.choice(counts, size=size) / 2048.0).astype(np.float32)
        bits = rng.random((size, 2048), dtype=np.float32) < density[:, None]
        fps[start : start + size] = np.packbits(bits, axis=1, bitorder="little").view("<u8")
    where = rng.permutation(rows)[: real.shape[0]]
    fps[where] = real
    return fps, where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--rdkit-queries", type=int, default=10)
    args = parser.parse_args()
    print(pin_one_core())

    real_ids, real = real_fingerprints()
    t0 = time.perf_counter()
    fps, where = database(args.rows, real)
    ids = [f"random-{i}" for i in range(args.rows)]
    for row, ident in zip(where, real_ids, strict=True):
        ids[int(row)] = ident
    bits = np.bitwise_count(fps).sum(axis=1)
    print(
        f"database: {args.rows:,} fingerprints ({len(real_ids)} real knowledge-base ones), "
        f"mean {bits.mean():.1f} bits set ({bits.mean() / 20.48:.2f} % density), "
        f"generated in {time.perf_counter() - t0:.1f} s"
    )

    t0 = time.perf_counter()
    index = FingerprintIndex(fps, ids)
    print(f"index built in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    vects = [DataStructs.CreateFromFPSText(row.astype("<u8").tobytes().hex()) for row in fps]
    print(f"{len(vects):,} RDKit ExplicitBitVects built in {time.perf_counter() - t0:.1f} s")

    rng = np.random.default_rng(7)
    drug_like = [i for i in range(len(real_ids)) if np.bitwise_count(real[i]).sum() >= 25]
    picks = rng.choice(drug_like, size=max(args.queries, args.rdkit_queries), replace=True)
    queries = [real[i] for i in picks]
    query_bits = np.mean([np.bitwise_count(q).sum() for q in queries])

    index.search(queries[0], k=10)  # warm-up
    t0 = time.perf_counter()
    for q in queries[: args.queries]:
        index.search(q, k=10)
    ours_s = (time.perf_counter() - t0) / args.queries
    ours = args.rows / ours_s / 1e6

    t0 = time.perf_counter()
    for q in queries[: args.queries]:
        index.search(q, k=10, threshold=0.7)
    bound_s = (time.perf_counter() - t0) / args.queries

    rdkit_total = 0.0
    checked = 0
    for q_row in picks[: args.rdkit_queries]:
        q = vects[int(where[q_row])]
        t0 = time.perf_counter()
        scores = DataStructs.BulkTanimotoSimilarity(q, vects)
        rdkit_total += time.perf_counter() - t0
        got = index.search(real[q_row], k=10)
        for ident, score in got:
            position = ids.index(ident) if not ident.startswith("random-") else int(ident[7:])
            assert scores[position] == score, (ident, scores[position], score)
        best = sorted(scores, reverse=True)[:10]
        assert [s for _, s in got] == best
        checked += 1
    rdkit_s = rdkit_total / args.rdkit_queries
    theirs = args.rows / rdkit_s / 1e6

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"queries: real molecules, mean {query_bits:.1f} bits; index {ours_s * 1e3:.1f} ms/query "
        f"(top-10 of {args.rows:,}), threshold 0.7 with the popcount bound "
        f"{bound_s * 1e3:.1f} ms/query; RDKit {rdkit_s * 1e3:.1f} ms/query; "
        f"top-10 identical to RDKit's for {checked} queries; peak RSS {peak:.0f} MiB"
    )
    print(
        f"similarity: {ours:.1f} M comparisons/s per core | RDKit BulkTanimotoSimilarity: "
        f"{theirs:.1f} M/s | ratio {ours / theirs:.1f} x (target >= 5x)"
    )


if __name__ == "__main__":
    main()
