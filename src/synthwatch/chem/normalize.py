"""Reduce a parsed structure to the parent compound that control lists are written for.

A seized sample is reported as fentanyl citrate, carfentanil oxalate, a hydrate, a protonated
cation ...; the law controls the parent. `to_parent` strips salts, counter-ions and solvents,
normalises functional groups, neutralises, and keeps stereochemistry (enantiomers can differ in
legal status, e.g. dexmedetomidine vs medetomidine, levo- vs dextromethamphetamine).

Tautomers: `to_parent` does NOT choose a canonical tautomer. Decided because
  * the identity key, the standard InChIKey, already merges the mobile-H tautomers between
    heteroatoms (amide/imidic acid, 2-pyridone/2-hydroxypyridine, ...), which are the ones seen in
    practice; supplier and lab SMILES come from drawing tools in the usual keto/amide forms;
  * RDKit's canonical tautomer wipes sp3 stereo next to a carbonyl (keto-enol), which is exactly
    the stereocentre of the cathinones, a major class of synthetic drugs, and applying it only to
    stereo-free molecules would give a racemate and its enantiomer different parent skeletons;
  * it costs several times the rest of the pipeline (enumeration) and its choice changes between
    RDKit releases, which would change stored canonical SMILES on upgrade.
Substructure-based classification that must see through tautomers should enumerate them itself,
bounded (`TautomerEnumerator.SetMaxTautomers`), where it needs to.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from rdkit import Chem
from rdkit.Chem.MolStandardize import rdMolStandardize

from synthwatch.chem.structure import to_canonical_smiles
from synthwatch.errors import ChemistryError

# Counter-ions and solvents of pharmaceutical and street salts, as the neutral, non-stereo
# canonical SMILES of their acid/base form -> the name a user recognises. Fragments matching one
# are removed before the largest remaining organic fragment is taken, so that e.g. amphetamine is
# kept from its (larger) pamoate salt.
_COUNTER_IONS: dict[str, str] = {
    "Cl": "hydrochloride",
    "Br": "hydrobromide",
    "I": "hydroiodide",
    "F": "hydrofluoride",
    "O": "water",
    "OS(=O)(=O)O": "sulfate",
    "O=[N+]([O-])O": "nitrate",
    "OP(=O)(O)O": "phosphate",
    "O=Cl(=O)(=O)O": "perchlorate",
    "CS(=O)(=O)O": "mesylate",
    "CCS(=O)(=O)O": "esylate",
    "O=S(=O)(O)c1ccccc1": "besylate",
    "Cc1ccc(S(=O)(=O)O)cc1": "tosylate",
    "O=S(=O)(O)c1ccc2ccccc2c1": "napsylate",
    "CC1(C)C2CCC1(CS(=O)(=O)O)C(=O)C2": "camsylate",
    "CC(=O)O": "acetate",
    "O=C(O)C(F)(F)F": "trifluoroacetate",
    "O=CO": "formate",
    "O=C(O)C(=O)O": "oxalate",
    "O=C(O)CC(=O)O": "malonate",
    "O=C(O)CCC(=O)O": "succinate",
    "O=C(O)C=CC(=O)O": "maleate/fumarate",
    "O=C(O)C(O)C(O)C(=O)O": "tartrate",
    "O=C(O)CC(O)C(=O)O": "malate",
    "O=C(O)CC(O)(CC(=O)O)C(=O)O": "citrate",
    "CC(O)C(=O)O": "lactate",
    "O=C(O)CO": "glycolate",
    "O=C(O)c1ccccc1": "benzoate",
    "O=C(O)c1ccccc1O": "salicylate",
    "O=C(O)c1cc2ccccc2c(Cc2c(O)c(C(=O)O)cc3ccccc23)c1O": "pamoate",
    "CCCCCCCCCCCCCCCCCC(=O)O": "stearate",
    "O=C(O)C(O)C(O)C(O)C(O)CO": "gluconate",
    "[Li+]": "lithium",
    "[Na+]": "sodium",
    "[K+]": "potassium",
    "[Mg+2]": "magnesium",
    "[Ca+2]": "calcium",
    "[Zn+2]": "zinc",
    "N": "ammonium",
    "CO": "methanol",
    "CCO": "ethanol",
    "CC(C)O": "isopropanol",
    "CC(C)=O": "acetone",
    "CS(C)=O": "DMSO",
    "CN(C)C=O": "DMF",
    "CC#N": "acetonitrile",
    "CCOCC": "diethyl ether",
    "CCOC(C)=O": "ethyl acetate",
    "ClCCl": "dichloromethane",
    "ClC(Cl)Cl": "chloroform",
}
_LARGEST_COUNTER_ION = 40  # heavy atoms; anything bigger is never looked up


@cache
def _counter_ion_names() -> dict[str, str]:
    """The table above keyed by this RDKit's own canonical SMILES, so lookups cannot drift."""
    names: dict[str, str] = {}
    for smiles, name in _COUNTER_IONS.items():
        neutral = _uncharger().uncharge(Chem.MolFromSmiles(smiles))
        names[Chem.MolToSmiles(neutral, isomericSmiles=False)] = name
    return names


@cache
def _metal_disconnector() -> rdMolStandardize.MetalDisconnector:
    return rdMolStandardize.MetalDisconnector()


@cache
def _largest_fragment() -> rdMolStandardize.LargestFragmentChooser:
    return rdMolStandardize.LargestFragmentChooser(preferOrganic=True)


@cache
def _normalizer() -> rdMolStandardize.Normalizer:
    return rdMolStandardize.Normalizer()


@cache
def _uncharger() -> rdMolStandardize.Uncharger:
    return rdMolStandardize.Uncharger(canonicalOrder=True)


@cache
def _charged_query() -> Chem.Mol:
    return Chem.MolFromSmarts("[!+0]")


@cache
def _neutral_normalization_query() -> Chem.Mol:
    """Atoms in a neutral molecule that some default RDKit normalisation rewrites.

    All other default transforms need a charged atom. Skipping the Normalizer (about half the
    cost of `to_parent`) when neither matches cannot change the result; a test checks this
    against the Normalizer itself.
    """
    return Chem.MolFromSmarts(
        "[$([N,P,As,Sb;X3](=[O,S,Se,Te])=[O,S,Se,Te]),$([nH0]=[OH0]),$(N#N),$([S+0;X3]=O)]"
    )


@cache
def _metal_query() -> Chem.Mol:
    """Alkali, alkaline-earth and transition metals that may be drawn bonded to the drug."""
    metals = "Li,Na,K,Rb,Cs,Be,Mg,Ca,Sr,Ba,Al,Zn,Cu,Fe,Co,Ni,Mn,Cr,Ag,Au,Pt,Pd,Hg,Sn,Pb,Bi,Ti,V"
    return Chem.MolFromSmarts(
        "["
        + ",".join(f"#{Chem.GetPeriodicTable().GetAtomicNumber(m)}" for m in metals.split(","))
        + "]"
    )


def _counter_ion_name(fragment: Chem.Mol) -> str | None:
    """The counter-ion/solvent name of a fragment, whatever its charge state or stereo."""
    if fragment.GetNumHeavyAtoms() > _LARGEST_COUNTER_ION:
        return None
    neutral = _uncharger().uncharge(fragment)
    return _counter_ion_names().get(Chem.MolToSmiles(neutral, isomericSmiles=False))


def _disconnect_metals(mol: Chem.Mol) -> Chem.Mol:
    if mol.HasSubstructMatch(_metal_query()):
        disconnected: Chem.Mol = _metal_disconnector().Disconnect(mol)
        return disconnected
    return mol


def _fragments(mol: Chem.Mol) -> tuple[Chem.Mol, ...]:
    frags: tuple[Chem.Mol, ...] = Chem.GetMolFrags(mol, asMols=True)
    return frags


def _choose_parent_fragment(mol: Chem.Mol) -> Chem.Mol:
    """Drop known counter-ions and solvents, then keep the largest organic fragment left."""
    if len(Chem.GetMolFrags(mol)) == 1:
        return mol
    fragments = _fragments(mol)
    kept = [f for f in fragments if _counter_ion_name(f) is None]
    if not kept:  # all of it is "salt" (e.g. ethanol hydrate): the largest of them is the parent
        kept = list(fragments)
    if len(kept) == 1:
        return Chem.Mol(kept[0])
    combined = kept[0]
    for fragment in kept[1:]:
        combined = Chem.CombineMols(combined, fragment)
    chosen: Chem.Mol = _largest_fragment().choose(combined)
    return chosen


def to_parent(mol: Chem.Mol) -> Chem.Mol:
    """The parent compound: salts and solvents removed, groups normalised, neutral, stereo kept.

    Pure: `mol` is not modified. Runs in time linear-ish in the molecule (no tautomer
    enumeration; see the module docstring for why).
    """
    if mol.GetNumAtoms() == 0:
        raise ChemistryError("molecule has no atoms")
    try:
        work = Chem.RemoveHs(mol) if mol.GetNumHeavyAtoms() != mol.GetNumAtoms() else mol
        work = _disconnect_metals(work)
        work = _choose_parent_fragment(work)
        charged = work.HasSubstructMatch(_charged_query())
        if charged or work.HasSubstructMatch(_neutral_normalization_query()):
            work = _normalizer().normalize(work)
            parent: Chem.Mol = _uncharger().uncharge(work)
        else:
            parent = Chem.Mol(work)
    except (RuntimeError, ValueError) as error:  # sanitisation failures inside the standardizer
        raise ChemistryError(f"cannot normalise the structure: {error}") from None
    if parent is mol:
        parent = Chem.Mol(mol)
    return parent


def _heavy_atom_signature(mol: Chem.Mol) -> Counter[int]:
    return Counter(atom.GetAtomicNum() for atom in mol.GetAtoms() if atom.GetAtomicNum() > 1)


def _charged_atoms(mol: Chem.Mol) -> int:
    return sum(1 for atom in mol.GetAtoms() if atom.GetFormalCharge() != 0)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def describe_changes(before: Chem.Mol, after: Chem.Mol) -> tuple[str, ...]:
    """What turned `before` (as parsed) into `after` (its parent), in words a user can check.

    E.g. ("removed fragment Cl (hydrochloride)", "neutralised 1 charge"). Meant for showing one
    result, not for bulk use: it re-derives the steps of `to_parent` by comparison.
    """
    changes: list[str] = []
    fragments = _fragments(_disconnect_metals(Chem.RemoveHs(before)))
    signature = _heavy_atom_signature(after)
    kept_index = next(
        (i for i, f in enumerate(fragments) if _heavy_atom_signature(f) == signature), None
    )
    removed: Counter[str] = Counter()
    names: dict[str, str | None] = {}
    for index, fragment in enumerate(fragments):
        if index == kept_index:
            continue
        smiles = to_canonical_smiles(fragment)
        removed[smiles] += 1
        names[smiles] = _counter_ion_name(fragment)
    for smiles, count in removed.items():
        name = f" ({names[smiles]})" if names[smiles] else ""
        copies = f" ×{count}" if count > 1 else ""
        changes.append(f"removed fragment {smiles}{name}{copies}")
    if kept_index is None:
        return tuple(changes)
    kept = fragments[kept_index]
    neutralised = _charged_atoms(kept) - _charged_atoms(after)
    if neutralised > 0:
        changes.append(f"neutralised {_plural(neutralised, 'charge')}")
    normalised = _normalizer().normalize(kept)
    if to_canonical_smiles(normalised) != to_canonical_smiles(kept):
        changes.append("normalised functional groups")
    if to_canonical_smiles(_uncharger().uncharge(normalised)) != to_canonical_smiles(after):
        changes.append("changed hydrogens or bonds beyond normalisation")
    return tuple(changes)
