"""The US class definition of a fentanyl-related substance (FRS), as structure rules.

Why this exists: since 2018 the United States controls fentanyl analogues as a *class*,
defined by five structural modifications of fentanyl, instead of one name at a time. A new
analogue seized anywhere can be checked against that definition before it is ever named.

Source text (verified against the enacted law):
  21 U.S.C. 812(c), schedule I(e)(2), added by sec. 2 of the HALT Fentanyl Act,
  Pub. L. 119-26, 139 Stat. 410 (16 July 2025). It makes permanent the class placed by the
  DEA temporary scheduling order of 6 Feb 2018, 83 FR 5188 (21 CFR 1308.11(h)(30)). The term
  means any substance "structurally related to fentanyl by 1 or more of the following
  modifications":
  (A) "replacement of the phenyl portion of the phenethyl group by any monocycle, whether or
      not further substituted in or on the monocycle";
  (B) "substitution in or on the phenethyl group with alkyl, alkenyl, alkoxyl, hydroxyl,
      halo, haloalkyl, amino, or nitro groups";
  (C) "substitution in or on the piperidine ring with alkyl, alkenyl, alkoxyl, ester, ether,
      hydroxyl, halo, haloalkyl, amino, or nitro groups";
  (D) "replacement of the aniline ring with any aromatic monocycle whether or not further
      substituted in or on the aromatic monocycle";
  (E) "replacement of the N-propionyl group with another acyl group".
  Paragraph (1) applies "unless specifically exempted or unless listed in another schedule",
  and paragraph (3) says a substance meeting paragraph (2) is nonetheless not treated as an
  FRS in certain cases (read here only in part: substances controlled by their own listing).
  This module decides the *structure* only; the caller
  applies those exclusions against the knowledge base (sufentanil, alfentanil, carfentanil,
  3-methylfentanyl ... meet the structure here but are listed by name).

How the rules are read here (documented choices, see ``assess_fentanyl_related``):
  * Modifications combine ("1 or more"); fentanyl itself is not an FRS (no modification).
  * The skeleton is fixed: a saturated, all-carbon piperidine; an unbranched two-carbon chain
    from the piperidine N to a ring (benzylfentanyl, one carbon, is a List I chemical, not an
    FRS: 85 FR 20822); the amide N carries the ring, the acyl and the piperidin-4-yl only.
  * "Monocycle" = a ring that shares no atom with another ring (no fused, spiro or bridged
    systems: a naphthyl is not a monocycle). (A) allows any monocycle, (D) any *aromatic* one;
    both allow any substituent on that ring ("whether or not further substituted").
  * Substituents for (B) and (C) must be one of the listed group types, acyclic and attached
    by a single bond; combinations that the list does not name (hydroxymethyl, cyano, oxo,
    carboxamide) are rejected. "Ether" (e.g. the methoxymethyl of sufentanil) is allowed on
    the piperidine (C) but not on the phenethyl group (B), exactly as the lists differ.
  * Substituents on a phenethyl phenyl that is still a benzene ring count as (B) when they
    are (B) groups; other groups there are read as (A): the phenyl replaced by a substituted
    monocycle, the same reading that makes para-fluorofentanyl a (D) substance.
  * "Another acyl group" is any R-C(=O)- (formyl, alkanoyl, aroyl, heteroaroyl, alkoxycarbonyl:
    DEA named fentanyl carbamate an FRS, 86 FR 22113).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdkit import Chem

__all__ = ["FENTANYL_STATUTE", "FentanylClassVerdict", "Modification", "assess_fentanyl_related"]

FENTANYL_STATUTE = (
    "21 U.S.C. 812(c), schedule I(e)(2)(A)-(E), as added by the HALT Fentanyl Act, "
    "Pub. L. 119-26 (2025); formerly 21 CFR 1308.11(h)(30), 83 FR 5188 (6 Feb 2018)"
)

MAX_HEAVY_ATOMS = 150
_MAX_MATCHES = 64

# Map numbers in the core pattern -> role in fentanyl.
_PIP_N, _C2, _C3, _C4, _C5, _C6 = 1, 2, 3, 4, 5, 6
_CA, _CB, _RING_A, _N_AMIDE, _RING_D, _C_ACYL, _O_ACYL = 7, 8, 9, 10, 11, 12, 13

# N-(1-(2-(ring)ethyl)piperidin-4-yl)-N-(ring)-acylamide, written generously: the rings are
# any ring atoms and are checked in code so that the reason for a rejection can be precise.
_CORE_SMARTS = (
    "[#7;R;!a;d3:1]1(-[#6;!R:7]-[#6;!R:8]-[*;R:9])"
    "-[#6;R:2]-[#6;R:3]-[#6;R:4](-[#7;!R;!a;d3:10](-[*;R:11])-[#6;!R:12]=[#8;!R;d1:13])"
    "-[#6;R:5]-[#6;R:6]-1"
)
# Diagnostics only: the anilido-piperidine without any N substituent requirement, and the
# 4-anilinopiperidine (no acyl), to say *why* a near miss is not an FRS.
_ANILIDOPIPERIDINE_SMARTS = (
    "[#7;R;!a:1]1-[#6;R]-[#6;R]-[#6;R](-[#7;!R;!a](-[*;R])-[#6;!R]=[#8;d1])-[#6;R]-[#6;R]-1"
)
_ANILINOPIPERIDINE_SMARTS = "[#7;R;!a]1-[#6;R]-[#6;R]-[#6;R](-[#7;!R;!a;H1]-[a])-[#6;R]-[#6;R]-1"

_HALOGENS = frozenset({9, 17, 35, 53})
_B_GROUPS = frozenset(
    {"alkyl", "alkenyl", "alkoxyl", "hydroxyl", "halo", "haloalkyl", "amino", "nitro"}
)
_C_GROUPS = _B_GROUPS | {"ester", "ether"}


@dataclass(frozen=True, slots=True)
class Modification:
    """One structural difference from fentanyl, tied to the statute's letter (A)-(E)."""

    code: str
    description: str
    atoms: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FentanylClassVerdict:
    """Whether a molecule meets the FRS structure definition, and the evidence for it.

    ``is_fentanyl_related`` is the structural test only: exclusions for substances listed
    elsewhere (21 U.S.C. 812(c) I(e)(1) and (3)) are applied by the caller.
    """

    is_fentanyl_related: bool
    is_fentanyl: bool
    core_atoms: tuple[int, ...]
    modifications: tuple[Modification, ...]
    reason: str
    statute: str


@functools.cache
def _pattern(smarts: str) -> Chem.Mol:
    """Compile once, on first use, so that importing the module stays cheap."""
    patt = Chem.MolFromSmarts(smarts)
    if patt is None:  # pragma: no cover - the patterns are constants
        raise ValueError(f"bad SMARTS {smarts!r}")
    return patt


@functools.cache
def _core_map_index() -> dict[int, int]:
    """Map number -> atom position in the core pattern (matches are in pattern order)."""
    patt = _pattern(_CORE_SMARTS)
    return {a.GetAtomMapNum(): a.GetIdx() for a in patt.GetAtoms()}


def _matches(mol: Chem.Mol, smarts: str) -> tuple[tuple[int, ...], ...]:
    """Bounded substructure search: unique atom sets, at most _MAX_MATCHES."""
    found: tuple[tuple[int, ...], ...] = mol.GetSubstructMatches(
        _pattern(smarts), uniquify=True, useChirality=False, maxMatches=_MAX_MATCHES
    )
    return found


def _largest_fragment(mol: Chem.Mol) -> tuple[Chem.Mol, tuple[int, ...]]:
    """Salts and solvates: keep the biggest component (the caller should pass the parent).

    Returns a copy of that component with rings perceived, and the map from its atom indices
    back to the query molecule's, so that the evidence points at the caller's atoms.
    """
    mapping: list[tuple[int, ...]] = []
    frags = Chem.GetMolFrags(mol, asMols=True, sanitizeFrags=False, fragsMolAtomMapping=mapping)
    best = max(range(len(frags)), key=lambda k: frags[k].GetNumHeavyAtoms())
    frag = frags[best]
    frag.UpdatePropertyCache(strict=False)
    Chem.GetSymmSSSR(frag)
    return frag, tuple(mapping[best])


def _verdict(
    *,
    ok: bool = False,
    fentanyl: bool = False,
    core: Iterable[int] = (),
    mods: Sequence[Modification] = (),
    reason: str,
) -> FentanylClassVerdict:
    return FentanylClassVerdict(
        is_fentanyl_related=ok,
        is_fentanyl=fentanyl,
        core_atoms=tuple(sorted(core)),
        modifications=tuple(mods),
        reason=reason,
        statute=FENTANYL_STATUTE,
    )


# --- substituent groups ------------------------------------------------------------------


def _is_hydrogen(atom: Chem.Atom) -> bool:
    return bool(atom.GetAtomicNum() == 1)


def _saturated_carbons(mol: Chem.Mol, atoms: Iterable[int]) -> bool:
    """All given atoms are sp3 carbons joined by single bonds among themselves."""
    idx = set(atoms)
    for i in idx:
        a = mol.GetAtomWithIdx(i)
        if a.GetAtomicNum() != 6 or a.GetIsAromatic():
            return False
        for b in a.GetBonds():
            if b.GetOtherAtomIdx(i) in idx and b.GetBondType() != Chem.BondType.SINGLE:
                return False
    return True


def _group_kind(mol: Chem.Mol, comp: frozenset[int], root: int) -> str | None:
    """Name the substituent by the statute's group types, or None if it is none of them.

    ``comp`` is the acyclic substituent (hydrogens not counted) and ``root`` its atom bonded
    to the skeleton.  Only single, unnamed groups count: a hydroxymethyl is neither "alkyl"
    nor "hydroxyl" (the lists name "haloalkyl" explicitly, so mixtures are not implied).
    """
    heavy = frozenset(i for i in comp if not _is_hydrogen(mol.GetAtomWithIdx(i)))
    if not heavy:
        return None
    r = mol.GetAtomWithIdx(root)
    z = r.GetAtomicNum()
    elements = {mol.GetAtomWithIdx(i).GetAtomicNum() for i in heavy}
    bond_types = {
        b.GetBondType()
        for b in mol.GetBonds()
        if b.GetBeginAtomIdx() in heavy and b.GetEndAtomIdx() in heavy
    }
    single_only = bond_types <= {Chem.BondType.SINGLE}

    if len(heavy) == 1:
        if z in _HALOGENS:
            return "halo"
        if z == 8 and r.GetTotalNumHs(includeNeighbors=True) == 1 and r.GetFormalCharge() == 0:
            return "hydroxyl"
        if z == 7 and r.GetFormalCharge() == 0 and r.GetTotalNumHs(includeNeighbors=True) == 2:
            return "amino"
        if z == 6 and r.GetTotalNumHs(includeNeighbors=True) == 3:
            return "alkyl"
        return None

    if z == 7 and elements == {7, 8} and len(heavy) == 3:
        oxygens = [n for n in r.GetNeighbors() if n.GetIdx() in heavy and n.GetAtomicNum() == 8]
        if len(oxygens) == 2 and all(o.GetDegree() == 1 for o in oxygens):
            return "nitro"
        return None
    n_count = sum(1 for i in heavy if _elem(mol, i) == 7)
    if z == 7 and elements == {6, 7} and n_count == 1 and r.GetFormalCharge() == 0:
        return "amino" if single_only and _saturated_carbons(mol, heavy - {root}) else None
    if z == 8 and elements == {6, 8} and len([i for i in heavy if _elem(mol, i) == 8]) == 1:
        return "alkoxyl" if single_only and _saturated_carbons(mol, heavy - {root}) else None
    if elements == {6}:
        if single_only:
            return "alkyl"
        if bond_types <= {Chem.BondType.SINGLE, Chem.BondType.DOUBLE}:
            return "alkenyl"
        return None
    if 6 in elements and elements - {6} <= _HALOGENS and z == 6:
        carbons = {i for i in heavy if _elem(mol, i) == 6}
        return "haloalkyl" if single_only and _saturated_carbons(mol, carbons) else None
    if elements == {6, 8}:
        return _oxygenated_kind(mol, heavy)
    return None


def _elem(mol: Chem.Mol, idx: int) -> int:
    return int(mol.GetAtomWithIdx(idx).GetAtomicNum())


def _oxygenated_kind(mol: Chem.Mol, heavy: frozenset[int]) -> str | None:
    """C/H/O substituents: one ester linkage (C(=O)O), or only ether oxygens."""
    carbonyl_o: list[int] = []
    for b in mol.GetBonds():
        i, j = b.GetBeginAtomIdx(), b.GetEndAtomIdx()
        if i not in heavy or j not in heavy:
            continue
        if b.GetBondType() == Chem.BondType.DOUBLE:
            pair = {_elem(mol, i), _elem(mol, j)}
            if pair != {6, 8}:
                return None
            carbonyl_o.append(i if _elem(mol, i) == 8 else j)
        elif b.GetBondType() != Chem.BondType.SINGLE:
            return None
    oxygens = [i for i in heavy if _elem(mol, i) == 8]
    single_o = [i for i in oxygens if i not in carbonyl_o]
    # every singly bonded O must sit between two carbons (no OH, no peroxide)
    for o in single_o:
        nbrs = [n for n in mol.GetAtomWithIdx(o).GetNeighbors() if n.GetAtomicNum() != 1]
        if len(nbrs) != 2 or any(n.GetAtomicNum() != 6 for n in nbrs):
            return None
    if not carbonyl_o:
        return "ether"
    if len(carbonyl_o) != 1 or len(single_o) != 1:
        return None
    o_dbl = mol.GetAtomWithIdx(carbonyl_o[0])
    c_acyl = o_dbl.GetNeighbors()[0]
    if not any(n.GetIdx() == single_o[0] for n in c_acyl.GetNeighbors()):
        return None  # a ketone plus an ether, not an ester
    return "ester"


# --- evaluation of one core match ---------------------------------------------------------


def _monocycle(mol: Chem.Mol, atom: int) -> tuple[int, ...] | None:
    """The ring holding ``atom`` if it is a monocycle (shares no atom with any other ring)."""
    ri = mol.GetRingInfo()
    if ri.NumAtomRings(atom) != 1:
        return None
    ring: tuple[int, ...] = next(r for r in ri.AtomRings() if atom in r)
    if any(ri.NumAtomRings(i) != 1 for i in ring):
        return None
    return ring


def _is_benzene(mol: Chem.Mol, ring: Sequence[int]) -> bool:
    return len(ring) == 6 and all(
        mol.GetAtomWithIdx(i).GetIsAromatic() and _elem(mol, i) == 6 for i in ring
    )


def _components(mol: Chem.Mol, skeleton: frozenset[int]) -> list[frozenset[int]]:
    """Connected pieces of the molecule outside the skeleton (hydrogens included)."""
    seen: set[int] = set()
    comps: list[frozenset[int]] = []
    for start in range(mol.GetNumAtoms()):
        if start in skeleton or start in seen:
            continue
        stack, comp = [start], {start}
        while stack:
            a = mol.GetAtomWithIdx(stack.pop())
            for n in a.GetNeighbors():
                j = n.GetIdx()
                if j not in skeleton and j not in comp:
                    comp.add(j)
                    stack.append(j)
        seen |= comp
        comps.append(frozenset(comp))
    return comps


def _attachments(
    mol: Chem.Mol, comp: frozenset[int], skeleton: frozenset[int]
) -> list[tuple[int, int, Chem.BondType]]:
    """(skeleton atom, component atom, bond type) for every bond leaving the component."""
    out: list[tuple[int, int, Chem.BondType]] = []
    for i in comp:
        for b in mol.GetAtomWithIdx(i).GetBonds():
            j = b.GetOtherAtomIdx(i)
            if j in skeleton:
                out.append((j, i, b.GetBondType()))
    return out


def _fragment_text(mol: Chem.Mol, comp: Iterable[int], root: int, bond: Chem.BondType) -> str:
    """SMILES of a substituent written from its attachment atom ('C(N)=O'), '=' if double."""
    heavy = [i for i in comp if not _is_hydrogen(mol.GetAtomWithIdx(i))] or list(comp)
    if root not in heavy:
        root = heavy[0]
    text = str(Chem.MolFragmentToSmiles(mol, atomsToUse=sorted(heavy), rootedAtAtom=root))
    prefix = {Chem.BondType.DOUBLE: "=", Chem.BondType.TRIPLE: "#"}.get(bond, "")
    return prefix + text


_Outcome = tuple[bool, list[Modification], list[str], frozenset[int]]


def _evaluate(mol: Chem.Mol, m: dict[int, int]) -> _Outcome:
    """Classify every atom outside the fentanyl skeleton for one mapping of the core.

    Returns (meets the definition, modifications, problems, skeleton atoms).
    """
    problems: list[str] = []
    mods: list[Modification] = []

    piperidine = [m[k] for k in (_PIP_N, _C2, _C3, _C4, _C5, _C6)]
    ri = mol.GetRingInfo()
    if any(ri.NumAtomRings(i) != 1 for i in piperidine):
        problems.append("the piperidine ring is fused, bridged or spiro (not a substitution (C))")
    if mol.GetAtomWithIdx(m[_PIP_N]).GetFormalCharge() not in (0, 1):
        problems.append("the piperidine nitrogen is not an amine")

    ring_a = _monocycle(mol, m[_RING_A])
    if ring_a is None:
        problems.append(
            "the ring on the phenethyl chain is not a monocycle (fused, spiro or bridged): not (A)"
        )
    ring_d = _monocycle(mol, m[_RING_D])
    if ring_d is None:
        problems.append(
            "the ring on the amide nitrogen is not a monocycle (fused, spiro or bridged): not (D)"
        )
    elif not all(mol.GetAtomWithIdx(i).GetIsAromatic() for i in ring_d):
        problems.append("the aniline ring is replaced by a non-aromatic ring: not (D)")
    if problems or ring_a is None or ring_d is None:
        return False, mods, problems, frozenset(m.values())

    chain = [m[_CA], m[_CB]]
    acyl = [m[_C_ACYL], m[_O_ACYL]]
    skeleton = frozenset([*piperidine, *chain, m[_N_AMIDE], *acyl, *ring_a, *ring_d])
    if len(skeleton) != len(piperidine) + len(chain) + 1 + len(acyl) + len(ring_a) + len(ring_d):
        return False, mods, ["the rings of the skeleton overlap"], skeleton

    benzene_a = _is_benzene(mol, ring_a)
    if not benzene_a:
        mods.append(
            Modification(
                "A",
                f"phenethyl phenyl replaced by {_ring_name(mol, ring_a)} (a monocycle)",
                tuple(sorted(ring_a)),
            )
        )
    if not _is_benzene(mol, ring_d):
        mods.append(
            Modification(
                "D",
                f"aniline ring replaced by {_ring_name(mol, ring_d)} (an aromatic monocycle)",
                tuple(sorted(ring_d)),
            )
        )

    where: dict[int, str] = {i: "piperidine" for i in piperidine}
    where.update({i: "chain" for i in chain})
    where.update({i: "ring_a" for i in ring_a})
    where.update({i: "ring_d" for i in ring_d})
    where[m[_N_AMIDE]] = "amide_n"
    where[m[_C_ACYL]] = "acyl"
    where[m[_O_ACYL]] = "acyl_o"

    acyl_r: list[int] = []
    for comp in _components(mol, skeleton):
        att = _attachments(mol, comp, skeleton)
        if all(_is_hydrogen(mol.GetAtomWithIdx(i)) for i in comp):
            continue  # explicit (isotopic) hydrogens are not substituents
        places = {where[s] for s, _, _ in att}
        bond = att[0][2]
        text = _fragment_text(mol, comp, att[0][1], bond)
        atoms = tuple(sorted(comp))
        if len(att) != 1:
            problems.append(
                f"substituent {text!r} joins parts of the skeleton into a new ring "
                "(not one of (A)-(E))"
            )
            continue
        place = places.pop()
        root = att[0][1]
        if place == "acyl":
            acyl_r.extend(comp)
        elif place == "ring_a":
            kind = _group_kind(mol, comp, root) if _acyclic(mol, comp) else None
            single = bond == Chem.BondType.SINGLE
            if benzene_a and single and kind in _B_GROUPS:
                mods.append(
                    Modification("B", f"{kind} ({text}) on the phenethyl phenyl ring", atoms)
                )
            else:
                label = "phenyl" if benzene_a else "monocycle"
                mods.append(
                    Modification(
                        "A",
                        f"phenethyl {label} further substituted with {text!r} "
                        "(a substituted monocycle)",
                        atoms,
                    )
                )
        elif place == "ring_d":
            mods.append(
                Modification(
                    "D",
                    f"aniline ring (aromatic monocycle) further substituted with {text!r}",
                    atoms,
                )
            )
        elif place in ("chain", "piperidine"):
            code, allowed, label = (
                ("B", _B_GROUPS, "phenethyl chain")
                if place == "chain"
                else ("C", _C_GROUPS, "piperidine")
            )
            kind = (
                _group_kind(mol, comp, root)
                if bond == Chem.BondType.SINGLE and _acyclic(mol, comp)
                else None
            )
            if kind in allowed:
                mods.append(Modification(code, f"{kind} ({text}) on the {label}", atoms))
            else:
                problems.append(f"{label} substituent {text!r} is not an allowed group ({code})")
        else:
            problems.append(
                f"substituent {text!r} on the {place.replace('_', ' ')}: not in (A)-(E)"
            )

    if problems:
        return False, mods, problems, skeleton
    acyl_mod = _acyl_modification(mol, m, acyl_r)
    if acyl_mod is not None:
        mods.append(acyl_mod)
    else:
        skeleton |= frozenset(acyl_r)  # the propionyl ethyl is part of fentanyl itself
    order = "ABCDE"
    mods.sort(key=lambda x: (order.index(x.code), x.atoms))
    return True, mods, problems, skeleton


def _acyclic(mol: Chem.Mol, comp: frozenset[int]) -> bool:
    return not any(mol.GetAtomWithIdx(i).IsInRing() for i in comp)


def _acyl_modification(mol: Chem.Mol, m: dict[int, int], r_atoms: list[int]) -> Modification | None:
    """(E): anything other than ethyl on the carbonyl is 'another acyl group'."""
    heavy = [i for i in r_atoms if not _is_hydrogen(mol.GetAtomWithIdx(i))]
    atoms = tuple(sorted([m[_C_ACYL], m[_O_ACYL], *r_atoms]))
    if not heavy:
        return Modification("E", "N-propionyl replaced by formyl", atoms)
    is_ethyl = (
        len(heavy) == 2
        and all(_elem(mol, i) == 6 for i in heavy)
        and _saturated_carbons(mol, heavy)
        and any(
            n.GetIdx() in heavy and n.GetTotalNumHs(includeNeighbors=True) == 2
            for n in mol.GetAtomWithIdx(m[_C_ACYL]).GetNeighbors()
        )
    )
    if is_ethyl:
        return None
    root = next(
        (n.GetIdx() for n in mol.GetAtomWithIdx(m[_C_ACYL]).GetNeighbors() if n.GetIdx() in heavy),
        heavy[0],
    )
    r_text = _fragment_text(mol, heavy, root, Chem.BondType.SINGLE)
    return Modification("E", f"N-propionyl replaced by another acyl group (R = {r_text!r})", atoms)


def _ring_name(mol: Chem.Mol, ring: Sequence[int]) -> str:
    """Short plain name of a ring for messages (e.g. 'thiophene', 'pyridine')."""
    elems = sorted(_elem(mol, i) for i in ring)
    aromatic = all(mol.GetAtomWithIdx(i).GetIsAromatic() for i in ring)
    names = {
        (5, (6, 6, 6, 6, 16), True): "thiophene",
        (5, (6, 6, 6, 6, 8), True): "furan",
        (5, (6, 6, 6, 6, 7), True): "pyrrole",
        (6, (6, 6, 6, 6, 6, 7), True): "pyridine",
        (6, (6, 6, 6, 6, 6, 6), True): "benzene",
        (6, (6, 6, 6, 6, 6, 6), False): "cyclohexane ring",
    }
    name = names.get((len(ring), tuple(elems), aromatic))
    if name:
        return name
    kind = "aromatic" if aromatic else "non-aromatic"
    return f"a {len(ring)}-membered {kind} ring"


# --- entry point --------------------------------------------------------------------------


def _near_miss_reason(mol: Chem.Mol) -> str:
    """Explain the commonest non-FRS relatives: precursors and wrong N-substituents."""
    for match in _matches(mol, _ANILIDOPIPERIDINE_SMARTS):
        n = mol.GetAtomWithIdx(match[0])
        heavy_nbrs = [
            a for a in n.GetNeighbors() if a.GetAtomicNum() > 1 and a.GetIdx() not in match
        ]
        if not heavy_nbrs:
            return (
                "no phenethyl group on the piperidine nitrogen (norfentanyl type, a precursor): "
                "not a fentanyl-related substance"
            )
        if len(heavy_nbrs) > 1:
            return (
                "the piperidine nitrogen carries two substituents (quaternary salt or N-oxide): "
                "not one of the modifications (A)-(E)"
            )
        first = heavy_nbrs[0]
        if any(x.IsInRing() and x.GetIdx() not in match for x in first.GetNeighbors()):
            return (
                "one-carbon (benzyl-type) link from the piperidine nitrogen to the ring instead of "
                "the phenethyl group (benzylfentanyl type, a List I chemical): not an FRS"
            )
        return (
            "the piperidine nitrogen does not carry a 2-(monocycle)ethyl group (chain lengthened, "
            "shortened or without a ring): not an FRS"
        )
    if _matches(mol, _ANILINOPIPERIDINE_SMARTS):
        return (
            "4-anilinopiperidine without an acyl group on the aniline nitrogen (precursor type such "
            "as 4-ANPP or 4-AP): not a fentanyl-related substance"
        )
    return "no 4-anilidopiperidine core"


def assess_fentanyl_related(mol: Chem.Mol) -> FentanylClassVerdict:
    """Decide whether ``mol`` meets the FRS structure definition, 21 U.S.C. 812(c) I(e)(2).

    The molecule is matched to the fentanyl skeleton generously, every atom outside it is
    assigned to the part it hangs on, and each part is checked against its letter (A)-(E).
    The best mapping (an FRS one with the fewest modifications) is reported.  Exclusions for
    substances listed elsewhere are left to the caller (see the module docstring).
    """
    if mol is None or mol.GetNumAtoms() == 0:
        return _verdict(reason="no molecule")
    try:
        frag, back = _largest_fragment(mol)
        if frag.GetNumHeavyAtoms() > MAX_HEAVY_ATOMS:
            return _verdict(reason=f"too large (over {MAX_HEAVY_ATOMS} heavy atoms)")
        verdict = _assess(frag)
    except (RuntimeError, ValueError) as exc:  # RDKit refuses an odd input: say so, do not crash
        return _verdict(reason=f"molecule could not be analysed: {exc}")
    return _to_query_indices(verdict, back)


def _to_query_indices(verdict: FentanylClassVerdict, back: tuple[int, ...]) -> FentanylClassVerdict:
    """Re-express atom indices of the analysed fragment as indices of the query molecule."""

    def remap(atoms: Iterable[int]) -> tuple[int, ...]:
        return tuple(sorted(back[i] for i in atoms))

    mods = tuple(Modification(x.code, x.description, remap(x.atoms)) for x in verdict.modifications)
    return dataclasses.replace(verdict, core_atoms=remap(verdict.core_atoms), modifications=mods)


def _assess(mol: Chem.Mol) -> FentanylClassVerdict:
    """The work of ``assess_fentanyl_related`` once the input has been made safe."""

    pos = _core_map_index()
    best: tuple[list[Modification], frozenset[int]] | None = None
    first_failure: tuple[frozenset[int], list[str]] | None = None
    for match in _matches(mol, _CORE_SMARTS):
        m = {num: match[p] for num, p in pos.items()}
        ok, mods, problems, skeleton = _evaluate(mol, m)
        if ok:
            if best is None or len(mods) < len(best[0]):
                best = (mods, skeleton)
        elif first_failure is None:
            first_failure = (skeleton, problems)

    if best is not None:
        mods, skeleton = best
        if not mods:
            return _verdict(
                fentanyl=True,
                core=skeleton,
                reason="fentanyl itself: no modification (fentanyl is listed by name, schedule II)",
            )
        letters = ", ".join(f"({c})" for c in dict.fromkeys(x.code for x in mods))
        return _verdict(
            ok=True,
            core=skeleton,
            mods=mods,
            reason=(
                f"structurally related to fentanyl by {letters}; substances listed in another "
                "schedule are excluded by the caller"
            ),
        )
    if first_failure is not None:
        skeleton, problems = first_failure
        return _verdict(core=skeleton, reason="; ".join(problems))
    return _verdict(reason=_near_miss_reason(mol))
