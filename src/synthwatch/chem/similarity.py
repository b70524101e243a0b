"""Nearest controlled substances by fingerprint similarity, held in memory and fast.

Fingerprints are Morgan radius 2, 2048 bits (RDKit ``rdFingerprintGenerator``), packed into 32
``uint64`` words. Similarity is the Tanimoto coefficient ``c / (a + b - c)`` (``c`` the bits in
common, ``a`` and ``b`` the bits set in each), computed from integer counts in double precision,
so the values are the same doubles as RDKit's ``DataStructs.BulkTanimotoSimilarity`` (two empty
fingerprints score 0.0, as in RDKit).

Why the index is stored bit-sliced ("transposed"): a Morgan query sets only ~30-60 of its 2048
bits, and ``c`` only depends on the database bits at those positions. The index keeps, for every
bit position, one bitset over all molecules (``2048 x ceil(n / 64)`` words, the same memory as
the row-wise matrix). A query then adds up only its own ~45 bitsets with a carry-save adder
(five word operations per three bitsets, each word covering 64 molecules), which gives the
common-bit count of 64 molecules per operation instead of 32 words per molecule. Molecules are
also sorted by popcount, so a similarity threshold ``t`` restricts the scan to the contiguous
range with ``t * a <= b <= a / t`` (Swamidass and Baldi's bound, as chemfp's BitBound uses).

Everything is plain numpy (>= 2.0 for ``np.bitwise_count``) and single-threaded.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from rdkit import Chem, rdBase
from rdkit.Chem import rdFingerprintGenerator

FP_BITS = 2048
FP_WORDS = FP_BITS // 64
MORGAN_RADIUS = 2

_U64 = npt.NDArray[np.uint64]
_BLOCK_WORDS = 4096
"""Words per column block in a query (4096 words = 262,144 molecules, 32 KiB per bitset)."""
_TOPK_BLOCK = 1024


@functools.cache
def _generator() -> rdFingerprintGenerator.FingerprintGenerator64:
    return rdFingerprintGenerator.GetMorganGenerator(radius=MORGAN_RADIUS, fpSize=FP_BITS)


@functools.cache
def _byte_lanes() -> _U64:
    """``lut[v]`` spreads the 8 bits of byte ``v`` into the 8 byte lanes of a uint64."""
    values = np.arange(256, dtype=np.uint64)
    lut = np.zeros(256, dtype=np.uint64)
    for bit in range(8):
        lut |= ((values >> np.uint64(bit)) & np.uint64(1)) << np.uint64(8 * bit)
    return lut


def to_fingerprint(mol: Chem.Mol) -> _U64:
    """Morgan radius 2, 2048 bits, as 32 uint64 words (bit b is bit b % 64 of word b // 64)."""
    bits = _generator().GetFingerprintAsNumPy(mol)
    return _pack(np.asarray(bits, dtype=np.uint8))


def _pack(bits: npt.NDArray[np.uint8]) -> _U64:
    packed = np.packbits(bits.astype(bool), axis=-1, bitorder="little")
    words: _U64 = packed.view(np.dtype("<u8")).astype(np.uint64)
    return words


def _popcounts(fingerprints: _U64) -> npt.NDArray[np.int64]:
    counts: npt.NDArray[np.int64] = np.bitwise_count(fingerprints).sum(axis=1, dtype=np.int64)
    return counts


def _bit_slices(fingerprints: _U64) -> _U64:
    """Transpose rows of 32 words into 2048 bitsets over the molecules (zero-padded to 64)."""
    n = fingerprints.shape[0]
    words = -(-n // 64)
    slices = np.zeros((FP_BITS, words), dtype=np.uint64)
    chunk = 4096  # molecules per chunk (multiple of 64)
    for start in range(0, n, chunk):
        part = np.ascontiguousarray(fingerprints[start : start + chunk]).astype("<u8", copy=False)
        rows = part.shape[0]
        padded = -(-rows // 64) * 64
        as_bytes = np.zeros((FP_WORDS * 8, padded), dtype=np.uint8)
        as_bytes[:, :rows] = part.view(np.uint8).T  # byte j of every molecule, molecules along
        bits = np.unpackbits(as_bytes[:, None, :], axis=1, bitorder="little")  # (256, 8, padded)
        packed = np.packbits(bits.reshape(FP_BITS, padded), axis=1, bitorder="little")
        first = start // 64
        slices[:, first : first + padded // 64] = packed.view(np.dtype("<u8"))
    return slices


def _common_counts(
    slices: _U64, query_bits: Sequence[int], lo: int, hi: int
) -> npt.NDArray[np.uint16]:
    """Bits in common between the query and molecules ``lo .. hi - 1`` (lo a multiple of 64)."""
    first, last = lo // 64, -(-hi // 64)
    out = np.zeros((last - first) * 64, dtype=np.uint16)
    if not query_bits:
        return out[: hi - lo]
    for start in range(first, last, _BLOCK_WORDS):
        stop = min(start + _BLOCK_WORDS, last)
        planes = _carry_save_sum([slices[b, start:stop] for b in query_bits])
        _decode(planes, out[(start - first) * 64 : (stop - first) * 64])
    return out[: hi - lo]


def _carry_save_sum(rows: list[_U64]) -> list[_U64 | None]:
    """Add bitsets column-wise; plane j of the result holds bit j of every molecule's count."""
    by_weight: list[list[_U64]] = [rows]
    planes: list[_U64 | None] = []
    weight = 0
    while weight < len(by_weight):
        items = by_weight[weight]
        carries: list[_U64] = []
        while len(items) >= 3:  # full adder: three bitsets in, sum and carry out
            a, b, c = items.pop(), items.pop(), items.pop()
            t = a ^ b
            carries.append((a & b) | (t & c))
            items.append(t ^ c)
        if len(items) == 2:  # half adder
            a, b = items
            carries.append(a & b)
            items = [a ^ b]
        planes.append(items[0] if items else None)
        if carries:
            if weight + 1 == len(by_weight):
                by_weight.append(carries)
            else:
                by_weight[weight + 1].extend(carries)
        weight += 1
    return planes


def _decode(planes: list[_U64 | None], out: npt.NDArray[np.uint16]) -> None:
    """Turn bit planes (weights 1, 2, 4, ...) into one count per molecule, written into `out`."""
    if len(planes) <= 8:  # counts fit a byte: spread 8 molecules per byte into byte lanes
        lanes = _byte_lanes()
        total: _U64 | None = None
        for weight, plane in enumerate(planes):
            if plane is None:
                continue
            spread = lanes[plane.view(np.uint8)] << np.uint64(weight)
            total = spread if total is None else total + spread
        if total is not None:
            out[:] = total.view(np.uint8)
        return
    for weight, plane in enumerate(planes):
        if plane is not None:
            bits = np.unpackbits(plane.view(np.uint8), bitorder="little")
            out += bits.astype(np.uint16) << np.uint16(weight)


class FingerprintIndex:
    """Fingerprints of known substances, searchable by Tanimoto similarity (best first)."""

    def __init__(self, fingerprints: np.ndarray, ids: Sequence[str]) -> None:
        """`fingerprints`: shape (n, 32), uint64 rows from `to_fingerprint`; `ids`: one per row."""
        fps = np.asarray(fingerprints)
        if fps.ndim != 2 or fps.shape[1] != FP_WORDS:
            raise ValueError(f"fingerprints must have shape (n, {FP_WORDS}), got {fps.shape}")
        if fps.dtype != np.uint64:
            raise ValueError(f"fingerprints must be uint64, got {fps.dtype}")
        if len(ids) != fps.shape[0]:
            raise ValueError(f"{len(ids)} ids for {fps.shape[0]} fingerprints")
        counts = _popcounts(fps)
        order = np.argsort(counts, kind="stable")
        self._ids = tuple(ids)
        self._order = order  # sorted position -> original row
        self._counts = counts[order]  # popcounts, ascending
        self._counts_f32 = self._counts.astype(np.float32)
        self._slices = _bit_slices(fps[order])
        self.skipped = 0
        """Inputs that could not be fingerprinted (set by `from_smiles`)."""

    @classmethod
    def from_smiles(cls, items: Iterable[tuple[str, str]]) -> FingerprintIndex:
        """Index ``(id, smiles)`` pairs; unparseable SMILES are skipped and counted in `skipped`."""
        ids: list[str] = []
        rows: list[_U64] = []
        skipped = 0
        with rdBase.BlockLogs():
            for ident, smiles in items:
                mol = Chem.MolFromSmiles(smiles)
                if mol is None:
                    skipped += 1
                    continue
                ids.append(ident)
                rows.append(to_fingerprint(mol))
        fps = np.stack(rows) if rows else np.zeros((0, FP_WORDS), dtype=np.uint64)
        index = cls(fps, ids)
        index.skipped = skipped
        return index

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> tuple[str, ...]:
        return self._ids

    def search(
        self, query: np.ndarray, *, k: int = 5, threshold: float = 0.0
    ) -> list[tuple[str, float]]:
        """The `k` most similar entries with Tanimoto >= `threshold`, best first.

        Ties are ordered by insertion order. `query` is a fingerprint from `to_fingerprint`.
        """
        q = np.asarray(query)
        if q.shape != (FP_WORDS,) or q.dtype != np.uint64:
            raise ValueError(f"query must be a uint64 array of shape ({FP_WORDS},)")
        if k < 0:
            raise ValueError("k must not be negative")
        if not 0.0 <= threshold <= 1.0:
            raise ValueError("threshold must lie between 0 and 1")
        n = len(self._ids)
        if k == 0 or n == 0:
            return []
        bits = np.flatnonzero(np.unpackbits(q.astype("<u8").view(np.uint8), bitorder="little"))
        a = len(bits)
        lo, hi = 0, n
        if threshold > 0.0:
            if a == 0:  # an empty query scores 0.0 against everything
                return []
            lo = int(np.searchsorted(self._counts, math.ceil(threshold * a - 1e-9), "left"))
            hi = int(np.searchsorted(self._counts, math.floor(a / threshold + 1e-9), "right"))
            lo -= lo % 64
            if lo >= hi:
                return []
        common = _common_counts(self._slices, [int(b) for b in bits], lo, hi)
        # float32 ranks exactly: distinct fractions with denominators <= 2048 differ by > 2**-22
        c32 = common.astype(np.float32)
        denom = self._counts_f32[lo:hi] + np.float32(a) - c32
        with np.errstate(invalid="ignore", divide="ignore"):
            sim = c32 / denom
        sim[denom == 0] = 0.0
        candidates = _top_candidates(sim, k, threshold)
        exact_common = common[candidates].astype(np.float64)
        exact_denom = self._counts[lo + candidates].astype(np.float64) + a - exact_common
        exact = np.divide(
            exact_common, exact_denom, out=np.zeros_like(exact_common), where=exact_denom > 0
        )
        rows = self._order[lo + candidates]
        keep = exact >= threshold
        exact, rows = exact[keep], rows[keep]
        ranked = np.lexsort((rows, -exact))[:k]
        return [(self._ids[int(rows[i])], float(exact[i])) for i in ranked]


def _top_candidates(sim: npt.NDArray[np.float32], k: int, threshold: float) -> npt.NDArray[np.intp]:
    """Positions holding the `k` best (ties at the k-th value too) at or above `threshold`."""
    n = sim.shape[0]
    floor = np.float32(threshold) - np.float32(1e-6) if threshold > 0.0 else None
    if n > 4 * _TOPK_BLOCK and k < n // _TOPK_BLOCK:
        # the k-th largest block maximum bounds the k-th largest value from below
        full = n - n % _TOPK_BLOCK
        maxima = sim[:full].reshape(-1, _TOPK_BLOCK).max(axis=1)
        bound = np.partition(maxima, maxima.shape[0] - k)[maxima.shape[0] - k]
        if floor is not None:
            bound = max(bound, floor)
        picked: npt.NDArray[np.intp] = np.flatnonzero(sim >= bound)
    elif floor is not None:
        picked = np.flatnonzero(sim >= floor)
    else:
        picked = np.arange(n)
    if picked.shape[0] > k:
        values = sim[picked]
        kth = np.partition(values, values.shape[0] - k)[values.shape[0] - k]
        picked = picked[values >= kth]  # ties at the k-th value stay in for a stable order
    return picked
