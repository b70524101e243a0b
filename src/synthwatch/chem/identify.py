"""From what a user typed — a structure, a CAS number or a name — to one parent structure.

Names are matched against the knowledge base after folding what does not change the substance:
case, accents, spacing and punctuation, Greek letters, o-/m-/p- prefixes, and salt or hydrate
words ("hydrochloride", "HCl", "citrate", "monohydrate"). A name with more than one meaning
("4-AP": 4-anilinopiperidine, a precursor, or 4-aminopyridine, a medicine) resolves to the
controlled meaning and says which others exist. Nothing is guessed: what cannot be resolved
raises ChemistryError with the reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rdkit import Chem

from synthwatch.chem.normalize import describe_changes, to_parent
from synthwatch.chem.structure import (
    detect_structure_kind,
    from_inchi,
    from_molblock,
    from_smiles,
    to_canonical_smiles,
    to_inchikey,
)
from synthwatch.domain.substance import to_cas_number
from synthwatch.errors import ChemistryError
from synthwatch.knowledge.control_list import ControlEntry, KnowledgeBase

MAX_QUERY_CHARS = 1_000_000  # a molfile may be long; names and SMILES are capped downstream
MAX_NAME_CHARS = 500

_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ω": "omega"}
_SALT_WORDS = (
    "dihydrochloride", "hydrochloride", "hydrobromide", "hydroiodide", "monohydrate", "dihydrate",
    "trihydrate", "hemihydrate", "hydrate", "citrate", "oxalate", "sulfate", "sulphate",
    "phosphate", "tartrate", "bitartrate", "maleate", "fumarate", "mesylate", "besylate",
    "acetate", "succinate", "tosylate", "nitrate", "perchlorate", "trifluoroacetate",
    "hcl", "hbr", "2hcl", "salt", "freebase", "free base", "base",
)  # fmt: skip
_SALT_PATTERN = re.compile(
    r"(?<![a-z0-9])("
    + "|".join(re.escape(w) for w in sorted(_SALT_WORDS, key=len, reverse=True))
    + r")(?![a-z0-9])"
)
# Forensic labs write "CARFENTANIL, SALT UNDETERMINED": the salt does not change the parent.
_UNDETERMINED_SALT = re.compile(r"salt\s+undeterm\w*|salt\s+form\s+undeterm\w*")
_POSITION_PREFIX = re.compile(r"(?<![a-z0-9])([omp])-(?=[a-z])")
_POSITION_WORD = {"o": "ortho", "m": "meta", "p": "para"}
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_INCHIKEY = re.compile(r"[A-Z]{14}-[A-Z]{10}-[A-Z]")
_SMILES_SYNTAX = re.compile(r"[\[\]()=#@+\\/%.]|[a-z]\d|\d")  # what a plain name never has


def fold_name(name: str) -> str:
    """The key a substance name is matched on; equal for spellings of the same name.

    "Para-Fluorofentanyl HCl", "p-fluoro fentanyl" and "PARA-FLUOROFENTANYL" fold alike.
    """
    text = unicodedata.normalize("NFKC", name).lower()
    for greek, word in _GREEK.items():
        text = text.replace(greek, word)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _POSITION_PREFIX.sub(lambda m: _POSITION_WORD[m.group(1)] + "-", text)
    text = _UNDETERMINED_SALT.sub(" ", text)
    text = _SALT_PATTERN.sub(" ", text)
    return _NOT_ALNUM.sub("", text)


def _without_parentheses(name: str) -> str:
    previous = None
    while previous != name:  # innermost first, so nested groups go too
        previous, name = name, _PARENTHESES.sub(" ", name)
    return name


def _top_level_groups(name: str) -> list[str]:
    """The contents of the outermost parentheses: "A (B; C-(D))" → ["B; C-(D)"]."""
    groups, depth, start = [], 0, 0
    for i, char in enumerate(name):
        if char == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append(name[start:i])
    return groups


def _name_variants(name: str) -> set[str]:
    """The name as written and without its parenthesised parts ("4-AP (ambiguous)" → "4-AP")."""
    variants = {fold_name(name), fold_name(_without_parentheses(name))}
    variants.discard("")
    return variants


@dataclass(frozen=True, slots=True)
class Identification:
    """What a query was found to be."""

    query: str
    via: str  # "smiles", "inchi", "molblock", "cas", "name"
    mol: Chem.Mol  # the parent compound
    smiles: str
    inchikey: str
    entries: tuple[ControlEntry, ...]  # knowledge-base entries that name this structure
    name: str | None
    changes: tuple[str, ...]  # what normalisation did (salt removed, charge neutralised ...)
    other_meanings: tuple[str, ...]  # for ambiguous names: what else the name can mean


@dataclass(frozen=True, slots=True)
class _Structure:
    entry_ids: tuple[str, ...]
    smiles: str
    inchikey: str


class SubstanceIndex:
    """The knowledge base looked up by InChIKey, CAS number and folded name."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.by_id = {e.id: e for e in knowledge.entries}
        self.by_inchikey: dict[str, list[ControlEntry]] = {}
        self.by_connectivity: dict[str, list[ControlEntry]] = {}
        self.by_cas: dict[str, list[ControlEntry]] = {}
        self.by_name: dict[str, list[ControlEntry]] = {}
        self.inchikey_of: dict[str, str] = {}
        self.unparsed: list[str] = []
        for entry in knowledge.entries:
            for cas in entry.cas:
                self.by_cas.setdefault(cas, []).append(entry)
            for name in (entry.name, *entry.synonyms):
                for key in _name_variants(name):
                    self.by_name.setdefault(key, []).append(entry)
            if entry.smiles:
                try:
                    key = to_inchikey(to_parent(from_smiles(entry.smiles)))
                except ChemistryError:
                    self.unparsed.append(entry.id)
                    continue
                self.inchikey_of[entry.id] = key
                self.by_inchikey.setdefault(key, []).append(entry)
                self.by_connectivity.setdefault(key[:14], []).append(entry)

    def entries_for(self, inchikey: str) -> tuple[ControlEntry, ...]:
        return tuple(self.by_inchikey.get(inchikey, ()))

    def isomers_for(self, inchikey: str) -> tuple[ControlEntry, ...]:
        """Entries with the same skeleton but another stereo or isotope layer."""
        return tuple(
            e
            for e in self.by_connectivity.get(inchikey[:14], ())
            if self.inchikey_of[e.id] != inchikey
        )


@cache
def default_index() -> SubstanceIndex:
    """The index of the bundled knowledge base, built once per process (~300 structures)."""
    from synthwatch.knowledge.control_list import load_knowledge_base

    return SubstanceIndex(load_knowledge_base())


def _distinct_structures(
    entries: Iterable[ControlEntry], index: SubstanceIndex
) -> list[list[ControlEntry]]:
    """Group entries by the structure they name, controlled meanings first."""
    groups: dict[str, list[ControlEntry]] = {}
    for entry in entries:
        key = index.inchikey_of.get(entry.id, f"no-structure:{entry.id}")
        groups.setdefault(key, []).append(entry)
    return sorted(groups.values(), key=lambda g: (not any(e.is_controlled for e in g), g[0].id))


def _from_entries(
    query: str, via: str, entries: list[ControlEntry], index: SubstanceIndex
) -> Identification:
    groups = _distinct_structures(entries, index)
    chosen = groups[0]
    structured = next((e for e in chosen if e.smiles and e.id in index.inchikey_of), None)
    if structured is None or structured.smiles is None:
        raise ChemistryError(
            f"{chosen[0].name!r} is known but has no structure in the knowledge base"
        )
    mol = to_parent(from_smiles(structured.smiles))
    inchikey = index.inchikey_of[structured.id]
    others = tuple(dict.fromkeys(g[0].name for g in groups[1:]))
    return Identification(
        query=query,
        via=via,
        mol=mol,
        smiles=to_canonical_smiles(mol),
        inchikey=inchikey,
        entries=index.entries_for(inchikey),
        name=structured.name,
        changes=(),
        other_meanings=others,
    )


def identify_substance(query: str, index: SubstanceIndex | None = None) -> Identification:
    """Identify a substance from a SMILES, InChI, molfile, CAS RN or name.

    Raises:
        ChemistryError: unparseable structure, bad CAS check digit, unknown CAS or name, or a
            structure too large to classify — the message says which.
    """
    index = index or default_index()
    text = query.strip()
    if not text:
        raise ChemistryError("empty query")
    if len(text) > MAX_QUERY_CHARS:
        raise ChemistryError(f"query longer than {MAX_QUERY_CHARS} characters")
    kind = detect_structure_kind(text)
    if kind is None and _INCHIKEY.fullmatch(text.upper()):
        found = index.by_inchikey.get(text.upper())
        if not found:
            raise ChemistryError(
                f"InChIKey {text.upper()} is not in the knowledge base (an InChIKey cannot be "
                "turned back into a structure; give a SMILES, InChI or molfile)"
            )
        return _from_entries(query, "inchikey", list(found), index)
    if kind is None and re.fullmatch(r"\d{2,7}-?\d{2}-?\d", text):
        try:
            cas = to_cas_number(text)
        except ValueError as error:
            raise ChemistryError(str(error)) from None
        entries = index.by_cas.get(cas)
        if not entries:
            raise ChemistryError(f"CAS {cas} is valid but not in the knowledge base")
        return _from_entries(query, "cas", entries, index)
    if kind is None:
        if len(text) > MAX_NAME_CHARS:
            raise ChemistryError(
                f"not a structure, and too long for a name ({len(text)} characters)"
            )
        entries = _lookup_name(text, index)
        if not entries:
            raise ChemistryError(f"unknown name {text[:100]!r}")
        return _from_entries(query, "name", entries, index)
    if kind == "smiles" and not _SMILES_SYNTAX.search(text):
        entries = _lookup_name(text, index)  # "NPP" is a name first, though N-P-P parses
        if entries:
            return _from_entries(query, "name", entries, index)
    parse = {"smiles": from_smiles, "inchi": from_inchi, "molblock": from_molblock}[kind]
    try:
        given = parse(text)
    except ChemistryError:
        if kind == "smiles" and len(text) <= MAX_NAME_CHARS:
            entries = _lookup_name(text, index)  # a name that happens to look like SMILES
            if entries:
                return _from_entries(query, "name", entries, index)
        raise
    parent = to_parent(given)
    inchikey = to_inchikey(parent)
    entries_found = index.entries_for(inchikey)
    smiles = to_canonical_smiles(parent)
    # Explaining the changes costs more than finding none; most structures arrive as parents.
    changed = smiles != to_canonical_smiles(given)
    return Identification(
        query=query,
        via=kind,
        mol=parent,
        smiles=smiles,
        inchikey=inchikey,
        entries=entries_found,
        name=entries_found[0].name if entries_found else None,
        changes=describe_changes(given, parent) if changed else (),
        other_meanings=(),
    )


def _lookup_name(text: str, index: SubstanceIndex) -> list[ControlEntry]:
    """The name as written, then its parts: labs write "ACRYL FENTANYL (ACRYLOYLFENTANYL; N-...)"."""
    for key in _name_variants(text):
        if key in index.by_name:
            return index.by_name[key]
    for part in (p.strip() for chunk in _top_level_groups(text) for p in chunk.split(";")):
        entries = index.by_name.get(fold_name(part)) if part else None
        if entries:
            return entries
    return []
