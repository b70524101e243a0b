"""Designer precursors: chemicals one easy step away from a controlled precursor or drug.

Traffickers order unlisted chemicals that the buyer converts into a listed one in a single step:
protected (N-Boc, N-Cbz), acylated, ketal-masked, esterified, ring-halogenated or N-alkylated
variants (chemistry.md §4; INCB's March 2024 reasoning on 1-boc-4-piperidone; DEA's listing of
benzylfentanyl because it converts to norfentanyl, 85 FR 20822). This module applies REVERSE
one-step transforms to a molecule, singly and in pairs, and looks every product up in the
knowledge base by InChIKey.

Direction: every transform maps the query to what one synthetic step turns it into. "N-Boc
removal" means the query carries the Boc group the listed chemical lacks; "N-phenethyl addition"
means the listed chemical carries a phenethyl group that the query lacks (alkylating 4-AP gives
ANPP; alkylating a para-fluoro norfentanyl gives para-fluorofentanyl). N-dealkylation and aryl
dehalogenation are harder chemistry than deprotection, but the lists cover such variants
expressly (4-AP "and its halides"), so they are reported too.

A relation is a warning, not a verdict: 1-benzyl-4-piperidone, a commodity donepezil
intermediate, relates to 4-piperidone by debenzylation and is still not a controlled substance.
The caller decides what to call it (``designer_precursor = not controlled and relations``).

Bounds: molecules above 150 heavy atoms give no relations; each transform is applied at most at
`MAX_SITES` sites; at most `MAX_FIRST_STEP` one-step products are expanded into pairs and at most
`MAX_PRODUCTS` products are generated per query. Products that fail sanitisation are skipped. A
product is compared to the index by molecular formula first (cheap) and by InChIKey only when the
formula is one of the indexed ones.

Targets: every controlled entry (precursors and drugs) with a structure, except general solvents
and reagents (a Table II / List II entry with no nitrogen: acetone, toluene, ether, acids,
permanganate ...) so that, for example, chlorotoluene is not called "a designer toluene".
`lookup` still finds those by exact structure. A route through a generic cut (any acyl, carbamate,
ester or amide partner) counts only when the product keeps at least half of the query's heavy
atoms: a designer precursor masks its target with a small group, while cutting a drug-like amide
in two to reveal piperidine or anthranilic acid is how those commodities are used, not how they
are hidden. Named masking groups (Boc, Cbz, acetyl, formyl, benzyl, a ketal, a halogen) count
whatever their size: 1-Cbz-4-piperidone ethylene ketal is a doubly masked 4-piperidone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from rdkit import Chem, rdBase
from rdkit.Chem import rdMolDescriptors

from synthwatch.chem.normalize import to_parent
from synthwatch.chem.structure import MAX_HEAVY_ATOMS, from_smiles, to_inchikey
from synthwatch.errors import ChemistryError
from synthwatch.knowledge.control_list import ControlEntry, KnowledgeBase

MAX_SITES = 16
"""Matches of one transform applied to one molecule."""
MAX_FIRST_STEP = 64
"""Distinct one-step products expanded into two-step products."""
MAX_PRODUCTS = 2048
"""Products generated for one query, both steps together."""

_BULK_LISTINGS = frozenset({"Table II", "List II"})
# Generic cuts (any acyl, any carbamate, any ester or amide partner), unlike the named masking
# groups (Boc, Cbz, acetyl, formyl, trifluoroacetyl, benzyl, ketal, halogen, methyl).
_CUTTING = frozenset(
    {
        "N-acyl removal",
        "N-alkoxycarbonyl removal",
        "ester hydrolysis",
        "ester hydrolysis (alcohol side)",
        "amide hydrolysis (acid side)",
    }
)


@dataclass(frozen=True, slots=True)
class PrecursorRelation:
    """One way the query reaches a controlled precursor or drug."""

    target_id: str  # knowledge-base entry id of the controlled precursor/drug reached
    target_name: str
    transform: str  # e.g. "N-Boc removal", or "N-Boc removal + aryl fluorine removal"
    description: str  # a plain sentence naming the step(s), the target and its listing


@dataclass(frozen=True, slots=True)
class _Transform:
    """A one-step change written as a SMARTS pattern plus an edit on its mapped atoms.

    The edit cuts the bonds ``(keep, leave)`` given by map numbers, deletes whatever the cuts
    disconnected from atom ``:1`` (the match is skipped if a cut does not disconnect it), then
    bonds the group `attach` (a SMILES whose first atom bonds to atom ``:1``, with bond order
    `attach_order`) or, without a group, gives atom ``:1`` the hydrogens it lost.
    """

    name: str
    phrase: str  # completes "<phrase> gives X"
    smarts: str
    cuts: tuple[tuple[int, int], ...] = ((1, 2),)
    attach: str | None = None
    attach_order: int = 1


_AMINE = "[NX3;!$(N-[#6,#16,#15]=[#7,#8,#16])]"  # not an amide, carbamate, urea or sulfonamide N
_NH = "[NX3;!H0;!$(N-[#6,#16,#15]=[#7,#8,#16])]"

# Order matters only for naming: when two transforms reach the same target, the first is reported.
TRANSFORMS: tuple[_Transform, ...] = (
    # protecting groups on nitrogen
    _Transform(
        "N-Boc removal",
        "removing the Boc protecting group",
        "[#7:1]-[CX3:2](=O)O[CX4]([CH3])([CH3])[CH3]",
    ),
    _Transform(
        "N-Cbz removal",
        "removing the Cbz (benzyloxycarbonyl) protecting group",
        "[#7:1]-[CX3:2](=O)O[CH2]c1ccccc1",
    ),
    _Transform(
        "N-trifluoroacetyl removal",
        "removing the trifluoroacetyl group",
        "[#7:1]-[CX3:2](=O)C(F)(F)F",
    ),
    _Transform("N-acetyl removal", "removing the N-acetyl group", "[#7:1]-[CX3:2](=O)[CH3]"),
    _Transform("N-formyl removal", "removing the N-formyl group", "[#7:1]-[CX3H1:2]=O"),
    _Transform(
        "N-alkoxycarbonyl removal",
        "hydrolysing the carbamate",
        "[#7:1]-[CX3:2](=O)O[#6]",
    ),
    _Transform(
        "N-acyl removal",
        "hydrolysing the amide at its nitrogen",
        "[#7:1]-[CX3:2](=O)[#6]",
    ),
    _Transform(
        "N-benzyl removal",
        "removing the N-benzyl group (hydrogenolysis)",
        f"{_AMINE[:-1]}:1]-[CH2:2]-c1ccccc1",
    ),
    # N-alkyl variants
    _Transform("N-methyl removal", "removing the N-methyl group", f"{_AMINE[:-1]}:1]-[CH3:2]"),
    _Transform("N-ethyl removal", "removing the N-ethyl group", f"{_AMINE[:-1]}:1]-[CH2:2]-[CH3]"),
    _Transform(
        "N-propyl removal",
        "removing the N-propyl group",
        f"{_AMINE[:-1]}:1]-[CH2:2]-[CH2]-[CH3]",
    ),
    _Transform(
        "N-phenethyl removal",
        "removing the N-phenethyl group",
        f"{_AMINE[:-1]}:1]-[CH2:2]-[CH2]-c1ccccc1",
    ),
    _Transform(
        "N-phenethyl addition",
        "N-alkylation with a phenethyl group",
        f"{_NH[:-1]}:1]",
        cuts=(),
        attach="CCc1ccccc1",
    ),
    # masked carbonyls
    _Transform(
        "ketal/acetal hydrolysis",
        "hydrolysing the ketal (or acetal)",
        "[CX4;!$(C(-[!#6])(-[!#6])-[!#6]):1](-[OX2,SX2:2]-[#6])-[OX2,SX2:3]-[#6]",
        cuts=((1, 2), (1, 3)),
        attach="O",
        attach_order=2,
    ),
    # amide, acid and ester swaps
    _Transform(
        "ester hydrolysis",
        "hydrolysing the ester to the acid",
        "[#6][CX3](=O)[OX2:1]-[#6;!$([CX3]=O):2]",
    ),
    _Transform(
        "ester hydrolysis (alcohol side)",
        "hydrolysing the ester to the alcohol",
        "[#6;!$([CX3]=O)][OX2:1]-[CX3:2](=O)[#6]",
    ),
    _Transform(
        "amide hydrolysis (acid side)",
        "hydrolysing the amide to the acid",
        "[#6][CX3:1](=O)-[NX3:2]",
        attach="O",
    ),
    _Transform(
        "ester aminolysis",
        "converting the ester into the primary amide",
        "[#6][CX3:1](=O)-[OX2:2]-[#6]",
        attach="N",
    ),
    _Transform(
        "methyl esterification",
        "esterifying the acid with methanol",
        "[#6][CX3](=O)[OX2H1:1]",
        cuts=(),
        attach="C",
    ),
    _Transform(
        "ethyl esterification",
        "esterifying the acid with ethanol",
        "[#6][CX3](=O)[OX2H1:1]",
        cuts=(),
        attach="CC",
    ),
    # ring substituents ("halogen or alkyl on the aniline ring")
    _Transform(
        "aryl fluorine removal", "removing the fluorine from the aromatic ring", "[c:1]-[F:2]"
    ),
    _Transform(
        "aryl chlorine removal", "removing the chlorine from the aromatic ring", "[c:1]-[Cl:2]"
    ),
    _Transform(
        "aryl bromine removal", "removing the bromine from the aromatic ring", "[c:1]-[Br:2]"
    ),
    _Transform("aryl iodine removal", "removing the iodine from the aromatic ring", "[c:1]-[I:2]"),
    _Transform(
        "aryl methyl removal", "removing the methyl group from the aromatic ring", "[c:1]-[CH3:2]"
    ),
)


@dataclass(frozen=True, slots=True)
class _Compiled:
    transform: _Transform
    pattern: Chem.Mol
    atoms: dict[int, int]  # map number -> pattern atom index
    group: Chem.Mol | None


@functools.cache
def _compiled() -> tuple[_Compiled, ...]:
    out: list[_Compiled] = []
    for transform in TRANSFORMS:
        pattern = Chem.MolFromSmarts(transform.smarts)
        if pattern is None:  # pragma: no cover - a typo in the table above
            raise ValueError(f"bad SMARTS for {transform.name}: {transform.smarts}")
        atoms = {a.GetAtomMapNum(): a.GetIdx() for a in pattern.GetAtoms() if a.GetAtomMapNum()}
        group = Chem.MolFromSmiles(transform.attach) if transform.attach else None
        out.append(_Compiled(transform, pattern, atoms, group))
    return tuple(out)


class PrecursorIndex:
    """Controlled entries (precursors and drugs) by the InChIKey of their parent structure."""

    def __init__(
        self, entries: dict[str, tuple[ControlEntry, ...]], targets: frozenset[str]
    ) -> None:
        self._by_key = entries
        self._by_skeleton: dict[str, tuple[ControlEntry, ...]] = {}
        for key, found in entries.items():
            self._by_skeleton[key[:14]] = self._by_skeleton.get(key[:14], ()) + found
        self._targets = targets  # entry ids that relations may point to
        self.formulas: frozenset[str] = frozenset()
        self.unparsed: tuple[str, ...] = ()

    @classmethod
    def from_knowledge(cls, kb: KnowledgeBase) -> PrecursorIndex:
        """Index every controlled entry with a structure (reference substances are left out)."""
        by_key: dict[str, list[ControlEntry]] = {}
        formulas: set[str] = set()
        unparsed: list[str] = []
        targets: set[str] = set()
        for entry in kb.entries:
            if not entry.is_controlled or not entry.smiles:
                continue
            try:
                mol = to_parent(from_smiles(entry.smiles))
                key = to_inchikey(mol)
            except ChemistryError:
                unparsed.append(entry.id)
                continue
            by_key.setdefault(key, []).append(entry)
            formula = rdMolDescriptors.CalcMolFormula(mol)
            if entry.listing in _BULK_LISTINGS and not _has_nitrogen(mol):
                continue  # a solvent or general reagent: found by lookup, never a target
            targets.add(entry.id)
            formulas.add(formula)
        index = cls({k: tuple(v) for k, v in by_key.items()}, frozenset(targets))
        index.formulas = frozenset(formulas)
        index.unparsed = tuple(unparsed)
        return index

    def lookup(self, mol: Chem.Mol) -> tuple[ControlEntry, ...]:
        """Controlled entries with exactly this structure (its parent compound, by InChIKey)."""
        try:
            key = to_inchikey(to_parent(mol))
        except ChemistryError:
            return ()
        return self._by_key.get(key, ())

    def _targets_for(self, key: str) -> tuple[tuple[ControlEntry, bool], ...]:
        """Target entries for a product key; the flag marks a stereoisomer-only match."""
        exact = tuple((e, False) for e in self._by_key.get(key, ()) if e.id in self._targets)
        if exact:
            return exact
        return tuple(
            (e, True) for e in self._by_skeleton.get(key[:14], ()) if e.id in self._targets
        )


def find_precursor_relations(mol: Chem.Mol, index: PrecursorIndex) -> tuple[PrecursorRelation, ...]:
    """Controlled precursors and drugs that `mol` becomes after one or two reverse transforms.

    One relation per target entry, by the shortest route found (single steps before pairs, then
    transform order). Never raises for a sanitised molecule; an over-large one gives ().
    """
    if mol.GetNumHeavyAtoms() > MAX_HEAVY_ATOMS or mol.GetNumAtoms() == 0:
        return ()
    with rdBase.BlockLogs():
        try:
            query = to_parent(mol)
            own_key = to_inchikey(query)
            size = query.GetNumHeavyAtoms()
        except ChemistryError:
            return ()
        found: dict[str, PrecursorRelation] = {}
        seen: set[str] = {Chem.MolToSmiles(query)}
        first_step: list[tuple[Chem.Mol, _Transform]] = []
        budget = [MAX_PRODUCTS]
        for product, transform in _products(query, budget, seen):
            _record(found, index, (own_key, size), product, (transform,))
            if len(first_step) < MAX_FIRST_STEP:
                first_step.append((product, transform))
        for intermediate, first in first_step:
            for product, second in _products(intermediate, budget, seen):
                _record(found, index, (own_key, size), product, (first, second))
    return tuple(found.values())


def _products(
    mol: Chem.Mol, budget: list[int], seen: set[str]
) -> Iterator[tuple[Chem.Mol, _Transform]]:
    """Distinct new products of every transform at every site (at most MAX_SITES per transform)."""
    for compiled in _compiled():
        matches = mol.GetSubstructMatches(compiled.pattern, maxMatches=MAX_SITES)
        for match in matches:
            if budget[0] <= 0:
                return
            product = _apply(mol, compiled, match)
            if product is None:
                continue
            budget[0] -= 1
            smiles = Chem.MolToSmiles(product)
            if smiles in seen:
                continue
            seen.add(smiles)
            yield product, compiled.transform


def _apply(mol: Chem.Mol, compiled: _Compiled, match: tuple[int, ...]) -> Chem.Mol | None:
    """The product of one transform at one match, sanitised, or None if the edit does not apply."""
    transform = compiled.transform
    centre = match[compiled.atoms[1]]
    rw = Chem.RWMol(mol)
    lost = 0
    leaving: list[int] = []
    for keep, leave in transform.cuts:
        a, b = match[compiled.atoms[keep]], match[compiled.atoms[leave]]
        bond = rw.GetBondBetweenAtoms(a, b)
        if bond is None or bond.GetBondType() != Chem.BondType.SINGLE:
            return None
        rw.RemoveBond(a, b)
        lost += 1
        leaving.append(b)
    doomed = _reachable(rw, leaving)
    if centre in doomed:
        return None  # the cut bond was in a ring: nothing leaves
    atom = rw.GetAtomWithIdx(centre)
    gain = 0
    if compiled.group is not None:
        offset = rw.GetNumAtoms()
        rw.InsertMol(compiled.group)
        rw.AddBond(
            centre,
            offset,
            Chem.BondType.DOUBLE if transform.attach_order == 2 else Chem.BondType.SINGLE,
        )
        gain = transform.attach_order
    delta = lost - gain
    if delta and (atom.GetIsAromatic() or atom.GetNoImplicit() or atom.GetNumExplicitHs()):
        hydrogens = atom.GetNumExplicitHs() + delta
        if hydrogens < 0:
            return None
        atom.SetNumExplicitHs(hydrogens)
    if lost:
        atom.SetChiralTag(Chem.ChiralType.CHI_UNSPECIFIED)
    rw.BeginBatchEdit()
    for idx in doomed:
        rw.RemoveAtom(idx)
    rw.CommitBatchEdit()
    product = rw.GetMol()
    try:
        Chem.SanitizeMol(product)
    except (ValueError, RuntimeError):
        return None
    return product


def _reachable(mol: Chem.RWMol, starts: list[int]) -> set[int]:
    """Atoms connected to any of `starts` (after the cuts)."""
    found: set[int] = set()
    stack = list(starts)
    while stack:
        idx = stack.pop()
        if idx in found:
            continue
        found.add(idx)
        stack.extend(n.GetIdx() for n in mol.GetAtomWithIdx(idx).GetNeighbors())
    return found


def _record(
    found: dict[str, PrecursorRelation],
    index: PrecursorIndex,
    query: tuple[str, int],
    product: Chem.Mol,
    route: tuple[_Transform, ...],
) -> None:
    own_key, size = query
    if rdMolDescriptors.CalcMolFormula(product) not in index.formulas:
        return
    if 2 * product.GetNumHeavyAtoms() < size and any(t.name in _CUTTING for t in route):
        return  # a generic cut that throws away most of the molecule is use, not masking
    try:
        key = to_inchikey(product)
    except ChemistryError:
        return
    if key == own_key:
        return
    for entry, stereo_only in index._targets_for(key):
        if entry.id in found:
            continue
        found[entry.id] = PrecursorRelation(
            target_id=entry.id,
            target_name=entry.name,
            transform=" + ".join(t.name for t in route),
            description=_describe(entry, route, stereo_only),
        )


def _describe(entry: ControlEntry, route: tuple[_Transform, ...], stereo_only: bool) -> str:
    steps = " and then ".join(t.phrase for t in route)
    what = f"a stereoisomer of {entry.name}" if stereo_only else entry.name
    listing = " ".join(part for part in (str(entry.regime or ""), entry.listing or "") if part)
    return f"{steps} gives {what}, {listing}"


def _has_nitrogen(mol: Chem.Mol) -> bool:
    return any(atom.GetAtomicNum() == 7 for atom in mol.GetAtoms())
