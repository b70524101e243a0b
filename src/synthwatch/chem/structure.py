"""Parse what people paste as a structure (SMILES, InChI, molfile/SDF) into an RDKit molecule.

Every parser either returns a sanitised `Chem.Mol` or raises `ChemistryError` whose message is a
short reason meant to follow ``FILE:LINE: query: ``. Input is hostile until proven otherwise:
text lengths are capped before RDKit sees it, molecules larger than `MAX_HEAVY_ATOMS` are refused
before the (super-linear) sanitisation and ring perception run, and RDKit's own log output is
captured per call, so the reason names RDKit's problem and nothing is printed to stderr.

Whitespace policy: surrounding whitespace and invisible format characters (zero-width space,
byte-order mark, ...) are stripped from the ends of SMILES and InChI, because copy-paste from web
pages and word processors adds them and they cannot change the meaning. Anywhere else, a
non-ASCII character is refused with its code point and name — a Unicode minus (U+2212) or a
full-width letter is never silently converted, because guessing what the user meant could
identify the wrong substance.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Literal

from rdkit import Chem, rdBase
from rdkit.Chem import rdinchi, rdMolDescriptors

from synthwatch.errors import ChemistryError

MAX_HEAVY_ATOMS = 150
"""The largest molecule (heavy atoms, salts included) accepted for classification."""
MAX_SMILES_CHARS = 2000
MAX_INCHI_CHARS = 5000
MAX_MOLBLOCK_BYTES = 1_000_000
MAX_ISOTOPE = 300
"""No nuclide is heavier; RDKit would otherwise wrap absurd mass numbers around silently."""
_MAX_REASON_CHARS = 200

StructureKind = Literal["smiles", "inchi", "molblock"]

# Invisible characters that copy-paste leaves at the ends of a line (ZWSP, ZWNJ, ZWJ, word joiner, BOM).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_STRIP = " \t\r\n\f\v\u00a0\u3000" + _INVISIBLE
_TIMESTAMP = re.compile(r"^\[\d\d:\d\d:\d\d\]\s?")
_FOR_INPUT = re.compile(r"\s+for input:\s*'.*$")
_POSITION = re.compile(r"check for mistakes around position (\d+)")
_ISOTOPE = re.compile(r"\[(\d+)")
_CAS = re.compile(r"\d{2,7}-\d{2}-\d")
_SMILES = re.compile(
    r"(?:\[[^\[\]\s]{1,40}\]|Br|Cl|[BCNOPSFI]|[bcnops]|\*)"  # the first atom
    r"(?:\[[^\[\]\s]{1,40}\]|Br|Cl|[BCNOPSFI]|[bcnops]|\*|[-=#$:/\\.~()@+]|%\d\d|\d)*"
    r"(?:\s+\|[^|]*\|)?"  # an optional CXSMILES extension
)
_COUNTS_LINE = re.compile(r"V[23]000\s*$")
_FORMULA_PART = re.compile(r"([A-Z][a-z]?)(\d*)")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")


@contextmanager
def _rdkit_log() -> Iterator[rdBase.CaptureErrorLog]:
    """Capture RDKit's error log for one call and silence its warnings, so nothing reaches stderr."""
    with rdBase.BlockLogs(), rdBase.CaptureErrorLog() as capture:
        yield capture


def _reason(messages: str, fallback: str) -> str:
    """Condense RDKit's log lines to one readable reason, without echoing the (long) input."""
    parts: list[str] = []
    position: str | None = None
    skip = 0
    for raw in messages.splitlines():
        line = _TIMESTAMP.sub("", raw).strip()
        if skip:  # the echoed input and the caret line that follow a position hint
            skip -= 1
            continue
        line = line.removeprefix("SMILES Parse Error:").strip()
        line = line.removeprefix("ERROR:").strip()
        if not line or line.startswith("Failed parsing SMILES"):
            continue
        if found := _POSITION.search(line):
            position = found.group(1)
            skip = 2
            continue
        line = _FOR_INPUT.sub("", line)
        if " while parsing: " in line:
            line = line.split(" while parsing: ", 1)[0]
        if line not in parts:
            parts.append(line)
    if not parts:
        return fallback
    text = "; ".join(parts)
    if position is not None:
        text += f" at position {position}"
    text = text[0].lower() + text[1:]
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= _MAX_REASON_CHARS else text[: _MAX_REASON_CHARS - 1] + "…"


def _describe_char(char: str) -> str:
    name = unicodedata.name(char, "")
    shown = char if char.isprintable() else repr(char)[1:-1]
    return f"'{shown}' U+{ord(char):04X}" + (f" {name}" if name else "")


def _refuse_foreign_characters(text: str, what: str) -> None:
    """Refuse anything outside printable ASCII, naming the first few offending characters."""
    if text.isascii() and text.isprintable():
        return
    seen: list[str] = []
    for char in text:
        if not (char.isascii() and char.isprintable()) and char not in seen:
            seen.append(char)
            if len(seen) == 3:
                break
    listed = ", ".join(_describe_char(c) for c in seen)
    raise ChemistryError(f"contains characters that are not {what}: {listed}")


def _check_size(mol: Chem.Mol, what: str) -> None:
    if mol.GetNumAtoms() == 0:
        raise ChemistryError(f"{what} has no atoms")
    heavy = mol.GetNumHeavyAtoms()
    if heavy > MAX_HEAVY_ATOMS:
        raise ChemistryError(f"molecule too large ({heavy} heavy atoms; at most {MAX_HEAVY_ATOMS})")


def _check_definite(mol: Chem.Mol) -> None:
    """Refuse wildcards, query atoms/bonds and impossible isotopes: none describes one substance."""
    for atom in mol.GetAtoms():
        if atom.GetAtomicNum() == 0 or atom.HasQuery():
            raise ChemistryError(
                "contains a wildcard, query or R-group atom; give a complete structure"
            )
        if atom.GetIsotope() > MAX_ISOTOPE:
            raise ChemistryError(f"impossible isotope mass {atom.GetIsotope()}")
    for bond in mol.GetBonds():
        if bond.HasQuery():
            raise ChemistryError(
                "contains a query bond (e.g. 'any' or 'single or double'); "
                "give a complete structure"
            )


@cache
def _smiles_params(*, sanitize: bool, cxsmiles: bool) -> Chem.SmilesParserParams:
    """Parser settings, built once: names are never parsed from the text (see from_smiles)."""
    params = Chem.SmilesParserParams()
    # rdkit-stubs declare these properties as methods, hence the ignores.
    params.sanitize = sanitize  # type: ignore[assignment]
    params.allowCXSMILES = cxsmiles  # type: ignore[assignment]
    params.parseName = False  # type: ignore[assignment]
    return params


def from_smiles(text: str) -> Chem.Mol:
    """Parse one SMILES (optionally with a CXSMILES ``|...|`` extension) into a sanitised molecule.

    Text after whitespace that is not a CXSMILES extension is refused rather than taken as a
    name (RDKit's habit), because "CC O" silently becoming ethane would identify the wrong thing.
    """
    smiles = text.strip(_STRIP)
    if not smiles:
        raise ChemistryError("empty SMILES")
    if len(smiles) > MAX_SMILES_CHARS:
        raise ChemistryError(f"SMILES longer than {MAX_SMILES_CHARS} characters")
    _refuse_foreign_characters(smiles, "SMILES")
    body, _, extension = smiles.partition(" ")
    extension = extension.strip()
    if extension and not extension.startswith("|"):
        shown = extension if len(extension) <= 40 else extension[:39] + "…"
        raise ChemistryError(
            f"unexpected text after the SMILES: '{shown}' (one structure per query)"
        )
    if "[" in body:
        for mass in _ISOTOPE.findall(body):
            if int(mass) > MAX_ISOTOPE:
                raise ChemistryError(f"impossible isotope mass {mass}")
    cxsmiles = bool(extension)
    with _rdkit_log() as log:
        # Each heavy atom takes at least one character, so a short SMILES cannot be too large; a
        # long one is counted unsanitised first, to keep ring perception away from huge inputs.
        if len(body) > MAX_HEAVY_ATOMS:
            raw = Chem.MolFromSmiles(smiles, _smiles_params(sanitize=False, cxsmiles=cxsmiles))
            if raw is not None:
                _check_size(raw, "SMILES")
        mol = Chem.MolFromSmiles(smiles, _smiles_params(sanitize=True, cxsmiles=cxsmiles))
    if mol is None:
        raise ChemistryError("unparseable SMILES: " + _reason(log.messages, "not a valid SMILES"))
    _check_size(mol, "SMILES")
    if extension or "*" in body or "~" in body:  # nothing else in a SMILES makes a query
        _check_definite(mol)
    return mol


def _inchi_heavy_atoms(inchi: str) -> int | None:
    """Heavy atoms named by an InChI's formula layer, or None when it cannot be read."""
    parts = inchi.split("/", 2)
    if len(parts) < 2:
        return None
    total = 0
    for component in parts[1].split("."):
        multiplier = re.match(r"\d+", component)
        factor = int(multiplier.group()) if multiplier else 1
        for element, count in _FORMULA_PART.findall(component):
            if element != "H":
                total += factor * (int(count) if count else 1)
                if total > 10 * MAX_HEAVY_ATOMS:
                    return total
    return total


def _inchi_problem(log: str) -> str:
    """The InChI library's complaint, e.g. 'syntax error in MOBILE_H_FORMULA', or ''."""
    for line in reversed(log.splitlines()):
        line = line.strip()
        if line.startswith("Structure:") or "error" in line.lower():
            line = re.sub(r"^Structure:\s*\d+\s*", "", line)
            line = re.sub(r"\s*\(-?\d+\)", "", line).strip()
            return _reason(line, "") if line else ""
    return ""


def from_inchi(text: str) -> Chem.Mol:
    """Parse a standard or non-standard InChI (``InChI=1S/...``) into a sanitised molecule."""
    inchi = text.strip(_STRIP)
    if not inchi:
        raise ChemistryError("empty InChI")
    if len(inchi) > MAX_INCHI_CHARS:
        raise ChemistryError(f"InChI longer than {MAX_INCHI_CHARS} characters")
    _refuse_foreign_characters(inchi, "InChI")
    if not inchi.startswith("InChI=1"):
        raise ChemistryError("not a valid InChI (it must start with 'InChI=1')")
    heavy = _inchi_heavy_atoms(inchi)
    if heavy is not None and heavy > MAX_HEAVY_ATOMS:
        raise ChemistryError(f"molecule too large ({heavy} heavy atoms; at most {MAX_HEAVY_ATOMS})")
    with _rdkit_log() as log:
        try:
            result = rdinchi.InchiToMol(inchi, True, True)  # (mol, code, message, log)
        except (RuntimeError, ValueError) as error:  # RDKit raises on a few malformed layers
            raise ChemistryError(f"not a valid InChI: {_reason(str(error), 'rejected')}") from None
    mol: Chem.Mol | None = result[0]
    message, inchi_log = str(result[2]), str(result[3])
    if mol is None:
        detail = _inchi_problem(f"{message}\n{inchi_log}") or _reason(log.messages, "")
        raise ChemistryError("not a valid InChI" + (f": {detail}" if detail else ""))
    _check_size(mol, "InChI")
    _check_definite(mol)
    return mol


def _first_record(text: str) -> str:
    """The first record of an SDF (or the whole molfile), with a lost blank title line restored.

    Web forms often drop the molfile's leading blank line(s); the counts line (…V2000/V3000) must
    be the fourth line, so missing header lines are padded back. Nothing else is changed.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    record: list[str] = []
    for line in lines:
        if line.rstrip() == "$$$$":
            break
        record.append(line)
    for index, line in enumerate(record[:4]):
        if _COUNTS_LINE.search(line):
            record[:0] = [""] * (3 - index)
            break
    return "\n".join(record) + "\n"


def from_molblock(text: str) -> Chem.Mol:
    """Parse a V2000/V3000 molfile, or the first record of an SDF, into a sanitised molecule.

    Stereo comes from the file (wedges, parities, 3D coordinates); explicit hydrogens are removed.
    """
    if len(text) > MAX_MOLBLOCK_BYTES or len(text.encode("utf-8", "replace")) > MAX_MOLBLOCK_BYTES:
        raise ChemistryError(f"molfile larger than {MAX_MOLBLOCK_BYTES // 1_000_000} MB")
    if not text.strip():
        raise ChemistryError("empty molfile")
    block = _first_record(text)
    _refuse_foreign_characters(block.replace("\n", " "), "a molfile")
    with _rdkit_log() as log:
        try:
            raw = Chem.MolFromMolBlock(block, sanitize=False, removeHs=False, strictParsing=True)
            if raw is not None:
                _check_size(raw, "molfile")
                mol = Chem.MolFromMolBlock(block, sanitize=True, removeHs=True, strictParsing=True)
            else:
                mol = None
        except (RuntimeError, ValueError) as error:  # e.g. FileParseException on a bad line
            raise ChemistryError(f"unreadable molfile: {_reason(str(error), 'rejected')}") from None
    if mol is None:
        if raw is None:
            raise ChemistryError("unreadable molfile: " + _reason(log.messages, "not a molfile"))
        raise ChemistryError("invalid molecule in molfile: " + _reason(log.messages, "rejected"))
    _check_size(mol, "molfile")
    _check_definite(mol)
    return mol


def detect_structure_kind(text: str) -> StructureKind | None:
    """Guess which notation `text` is in; None for anything else (a name, a CAS number, ...).

    The guess is lenient about look-alike characters (a Unicode minus still makes it SMILES), so
    that the matching parser, not a name lookup, explains what is wrong with the input.
    """
    head = text[:4096]
    lines = head.lstrip("\n\r").splitlines()
    if any(_COUNTS_LINE.search(line) for line in head.splitlines()[:5]) or "M  END" in text:
        return "molblock"
    if len(lines) > 1 and any(line.rstrip() == "$$$$" for line in head.splitlines()):
        return "molblock"
    stripped = text.strip(_STRIP)
    if not stripped or "\n" in stripped:
        return None
    if stripped.startswith("InChI="):
        return "inchi"
    if _CAS.fullmatch(stripped):
        return None
    # Fold look-alikes for the guess only; from_smiles will refuse them with a reason.
    folded = unicodedata.normalize("NFKC", stripped[: MAX_SMILES_CHARS + 1]).translate(_DASHES)
    folded = folded.replace("\u200b", "")
    if len(stripped) > MAX_SMILES_CHARS:
        # Judge an over-long line by its start; from_smiles explains the length.
        folded = re.sub(r"\[[^\]]*$", "", folded.split(" ", 1)[0])
    return "smiles" if _SMILES.fullmatch(folded) else None


def to_inchikey(mol: Chem.Mol) -> str:
    """The standard InChIKey, the identity synthwatch matches substances by."""
    with _rdkit_log() as log:
        key = rdinchi.MolToInchiKey(mol, "")
    if not key:
        raise ChemistryError("cannot compute an InChIKey: " + _reason(log.messages, "InChI failed"))
    return key


def to_canonical_smiles(mol: Chem.Mol) -> str:
    """RDKit's canonical isomeric SMILES (stereo and isotopes kept)."""
    with _rdkit_log():
        smiles: str = Chem.MolToSmiles(mol)
    return smiles


def to_formula(mol: Chem.Mol) -> str:
    """The Hill-order molecular formula, charges included (e.g. ``C22H28N2O``)."""
    formula: str = rdMolDescriptors.CalcMolFormula(mol)
    return formula
