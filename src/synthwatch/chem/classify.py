"""Classify a substance against the control lists: what controls it, on what basis, and why.

The answer is meant to be cited: every control carries the instrument and reference of the
listing, the fentanyl-class verdict names the modifications and the atoms that show them, and a
designer-precursor flag spells out the chemical step to the listed precursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from rdkit import Chem

from synthwatch.chem.depiction import to_svg
from synthwatch.chem.designer_precursor import (
    PrecursorIndex,
    PrecursorRelation,
    find_precursor_relations,
)
from synthwatch.chem.fentanyl_class import FentanylClassVerdict, assess_fentanyl_related
from synthwatch.chem.identify import (
    Identification,
    SubstanceIndex,
    default_index,
    identify_substance,
)
from synthwatch.chem.similarity import FingerprintIndex, to_fingerprint
from synthwatch.errors import ChemistryError
from synthwatch.knowledge.control_list import (
    ControlEntry,
    DerivativeCoverage,
    Regime,
    load_derivative_coverage,
)

NAMED = "named"
CLASS = "class"
FORM = "salt-isomer-ester"
# 21 U.S.C. 812(c) Schedule I(e), as added by the HALT Fentanyl Act (Pub. L. 119-26, 2025).
FRS_REFERENCE = (
    "21 U.S.C. 812(c) Schedule I(e) (fentanyl-related substances), HALT Fentanyl Act, "
    "Pub. L. 119-26, 16 July 2025; earlier 21 CFR 1308.11(h)(30), 83 FR 5188, 6 Feb 2018"
)
NITAZENE_CONCERN = (
    "2-benzylbenzimidazole opioid (nitazene) scaffold — a class of concern, not a legal class: "
    "nitazenes are controlled one by one"
)
_NITAZENE = "c1ccc2nc(-[CH2]-c3ccccc3)n(-[CH2]-[CH2]-[NX3;!$(N-C=O)])c2c1"
ANALOGUE_COUNT = 5
ANALOGUE_THRESHOLD = 0.35


@dataclass(frozen=True, slots=True)
class Control:
    """One listing that applies, with the reference a letter to a regulator can cite."""

    regime: str
    listing: str
    basis: str
    reference: str
    entry: str  # the knowledge-base entry (or the class) that applies

    def to_dict(self) -> dict[str, str]:
        return {
            "regime": self.regime,
            "listing": self.listing,
            "basis": self.basis,
            "reference": self.reference,
            "entry": self.entry,
        }


@dataclass(frozen=True, slots=True)
class Analogue:
    name: str
    inchikey: str
    similarity: float
    relation: str

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "inchikey": self.inchikey,
            "similarity": round(self.similarity, 3),
            "relation": self.relation,
        }


@dataclass(frozen=True, slots=True)
class Classification:
    """The answer for one query, shaped as the `chem classify` JSON Lines contract."""

    query: str
    resolved: bool
    error: str | None = None
    name: str | None = None
    smiles: str | None = None
    inchikey: str | None = None
    via: str | None = None
    controls: tuple[Control, ...] = ()
    fentanyl_related: bool = False
    fentanyl_modifications: tuple[str, ...] = ()
    fentanyl_atoms: tuple[int, ...] = ()
    precursor: bool = False
    designer_precursor: bool = False
    precursor_relations: tuple[PrecursorRelation, ...] = ()
    classes_of_concern: tuple[str, ...] = ()
    analogues: tuple[Analogue, ...] = ()
    changes: tuple[str, ...] = ()
    other_meanings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "resolved": self.resolved,
            "error": self.error,
            "name": self.name,
            "smiles": self.smiles,
            "inchikey": self.inchikey,
            "identified_by": self.via,
            "controls": [c.to_dict() for c in self.controls],
            "fentanyl_related": self.fentanyl_related,
            "fentanyl_modifications": list(self.fentanyl_modifications),
            "fentanyl_atoms": list(self.fentanyl_atoms),
            "precursor": self.precursor,
            "designer_precursor": self.designer_precursor,
            "precursor_relations": [
                {"target": r.target_name, "transform": r.transform, "description": r.description}
                for r in self.precursor_relations
            ],
            "classes_of_concern": list(self.classes_of_concern),
            "analogues": [a.to_dict() for a in self.analogues],
            "normalisation": list(self.changes),
            "other_meanings": list(self.other_meanings),
        }


@dataclass(frozen=True, slots=True)
class Classifier:
    """Everything a classification needs, built once: the indexes over the knowledge base."""

    substances: SubstanceIndex
    precursors: PrecursorIndex
    fingerprints: FingerprintIndex
    coverage: dict[str, DerivativeCoverage]

    @classmethod
    def from_index(cls, substances: SubstanceIndex) -> Classifier:
        controlled = [
            (entry_id, entry.smiles)
            for entry_id, entry in substances.by_id.items()
            if entry.is_controlled and entry.smiles and entry_id in substances.inchikey_of
        ]
        return cls(
            substances=substances,
            precursors=PrecursorIndex.from_knowledge(substances.knowledge),
            fingerprints=FingerprintIndex.from_smiles(controlled),
            coverage={c.entry_id: c for c in load_derivative_coverage()},
        )

    def classify(self, query: str) -> Classification:
        """Classify one query; bad input gives `resolved=False` and the reason, never an exception."""
        try:
            found = identify_substance(query, self.substances)
        except ChemistryError as error:
            return Classification(query=query, resolved=False, error=str(error))
        return self._classify(found)

    def _classify(self, found: Identification) -> Classification:
        mol = found.mol
        verdict = assess_fentanyl_related(mol)
        controls = list(_named_controls(found))
        controls += _form_controls(found, self.substances)
        if verdict.is_fentanyl_related and not any(
            c.regime == Regime.US_CSA.value for c in controls
        ):
            controls.append(
                Control(
                    Regime.US_CSA.value,
                    "Schedule I",
                    CLASS,
                    FRS_REFERENCE,
                    "fentanyl-related substance",
                )
            )
        relations = find_precursor_relations(mol, self.precursors)
        derived = self._derivative_controls(relations)
        controls += derived
        controlled = bool(controls)
        entries = found.entries + self.substances.isomers_for(found.inchikey)
        return Classification(
            query=found.query,
            resolved=True,
            name=found.name,
            smiles=found.smiles,
            inchikey=found.inchikey,
            via=found.via,
            controls=tuple(controls),
            fentanyl_related=verdict.is_fentanyl_related,
            fentanyl_modifications=tuple(
                f"({m.code}) {m.description}" for m in verdict.modifications
            ),
            fentanyl_atoms=_evidence_atoms(mol, verdict),
            precursor=any(e.is_precursor for e in entries) or bool(derived),
            designer_precursor=not controlled and bool(relations),
            precursor_relations=relations,
            classes_of_concern=(NITAZENE_CONCERN,) if _is_nitazene(mol) else (),
            analogues=self._analogues(mol, found, verdict, relations),
            changes=found.changes,
            other_meanings=found.other_meanings,
        )

    def _derivative_controls(self, relations: tuple[PrecursorRelation, ...]) -> list[Control]:
        """Listings that cover derivatives (US: 4-AP "and its amides, carbamates, halides")."""
        controls = []
        for relation in relations:
            coverage = self.coverage.get(relation.target_id)
            steps = {step.strip() for step in relation.transform.split("+")}
            if coverage is None or not steps <= coverage.transforms:
                continue
            entry = self.substances.by_id[relation.target_id]
            if entry.regime is None or entry.listing is None:
                continue
            control = Control(
                entry.regime.value,
                entry.listing,
                FORM,
                f"{coverage.reference} (covers {coverage.derivatives}; here: {relation.transform})",
                entry.name,
            )
            if control not in controls:
                controls.append(control)
        return controls

    def _analogues(
        self,
        mol: Chem.Mol,
        found: Identification,
        verdict: FentanylClassVerdict,
        relations: tuple[PrecursorRelation, ...],
    ) -> tuple[Analogue, ...]:
        own = {e.id for e in found.entries}
        stepped = {r.target_id: r.transform for r in relations}
        hits = self.fingerprints.search(
            to_fingerprint(mol), k=ANALOGUE_COUNT + len(own) + 5, threshold=ANALOGUE_THRESHOLD
        )
        analogues: list[Analogue] = []
        seen_keys = {found.inchikey}
        for entry_id, similarity in hits:
            entry = self.substances.by_id[entry_id]
            key = self.substances.inchikey_of[entry_id]
            if entry_id in own or key in seen_keys:
                continue
            seen_keys.add(key)
            if entry_id in stepped:
                relation = f"one step: {stepped[entry_id]}"
            elif verdict.is_fentanyl_related and _is_fentanyl_related_smiles(entry.smiles or ""):
                relation = "fentanyl-related, as this substance"
            else:
                relation = "similar structure"
            analogues.append(Analogue(entry.name, key, similarity, relation))
            if len(analogues) == ANALOGUE_COUNT:
                break
        return tuple(analogues)


def _named_controls(found: Identification) -> list[Control]:
    controls = []
    basis = FORM if any("removed" in change for change in found.changes) else NAMED
    for entry in found.entries:
        controls.extend(_controls_of(entry, basis))
    return controls


def _form_controls(found: Identification, index: SubstanceIndex) -> list[Control]:
    """Stereoisomers of listed substances: the conventions and the CSA cover isomers."""
    controls = []
    for entry in index.isomers_for(found.inchikey):
        controls.extend(_controls_of(entry, FORM))
    return controls


def _controls_of(entry: ControlEntry, basis: str) -> list[Control]:
    if entry.regime is None or entry.listing is None:
        return []
    return [Control(entry.regime.value, entry.listing, basis, _citation(entry), entry.name)]


def _citation(entry: ControlEntry) -> str:
    listed = f", in force {entry.listed_on.isoformat()}" if entry.listed_on else ""
    return f"{entry.instrument}{listed}; {entry.reference}"


def _evidence_atoms(mol: Chem.Mol, verdict: FentanylClassVerdict) -> tuple[int, ...]:
    """The atoms that show the class, numbered as in the output SMILES (so a drawing can mark them)."""
    atoms = set(verdict.core_atoms)
    for modification in verdict.modifications:
        atoms.update(modification.atoms)
    if not atoms:
        return ()
    Chem.MolToSmiles(mol)  # sets the output order of the canonical SMILES on `mol`
    order = list(mol.GetProp("_smilesAtomOutputOrder", autoConvert=True))
    position = {atom: i for i, atom in enumerate(order)}
    return tuple(sorted(position[a] for a in atoms if a in position))


def depict_classification(result: Classification, *, width: int = 400, height: int = 300) -> str:
    """An SVG of the parent structure with the atoms that meet the fentanyl class highlighted."""
    if result.smiles is None:
        raise ChemistryError("nothing to draw: the query was not resolved")
    mol = Chem.MolFromSmiles(result.smiles)
    return to_svg(mol, result.fentanyl_atoms, width=width, height=height, legend=result.name or "")


@cache
def _is_fentanyl_related_smiles(smiles: str) -> bool:
    mol = Chem.MolFromSmiles(smiles)
    return mol is not None and assess_fentanyl_related(mol).is_fentanyl_related


@cache
def _nitazene_pattern() -> Chem.Mol:
    return Chem.MolFromSmarts(_NITAZENE)


def _is_nitazene(mol: Chem.Mol) -> bool:
    return bool(mol.HasSubstructMatch(_nitazene_pattern()))


@cache
def default_classifier() -> Classifier:
    """The classifier over the bundled knowledge base, built once per process."""
    return Classifier.from_index(default_index())


@lru_cache(maxsize=65_536)
def classify_substance(query: str) -> Classification:
    """Identify and classify one substance given as SMILES, InChI, molfile, CAS RN or name.

    Answers are immutable and cached: order files name the same few chemicals over and over.
    """
    return default_classifier().classify(query)
