"""Draw a molecule as an SVG that can be embedded straight into an HTML page.

RDKit draws every glyph (atom labels, legend) as a path, so user text never reaches the markup
as text; the legend is also given as an XML-escaped ``<title>`` for screen readers and tooltips.
The XML declaration is dropped because it is not allowed inside HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from rdkit import Chem, rdBase

from synthwatch.errors import ChemistryError

HIGHLIGHT_RGB = (0.95, 0.55, 0.2)
"""Orange: visible on white and for the common colour-vision deficiencies."""
HIGHLIGHT_HEX = "#{:02X}{:02X}{:02X}".format(*(round(c * 255) for c in HIGHLIGHT_RGB))
MAX_SIDE = 4000  # pixels; anything larger is a mistake, not a picture
MAX_LEGEND_CHARS = 200


def to_svg(
    mol: Chem.Mol,
    highlight_atoms: Sequence[int] = (),
    *,
    width: int = 400,
    height: int = 300,
    legend: str = "",
) -> str:
    """SVG markup of `mol` with `highlight_atoms` (and the bonds between them) in orange.

    Raises ValueError for a size or atom index that cannot be drawn (a caller's mistake), and
    ChemistryError when RDKit cannot lay out the molecule.
    """
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise ValueError(f"SVG size {width}x{height} is outside 1..{MAX_SIDE} pixels")
    count = mol.GetNumAtoms()
    if count == 0:
        raise ChemistryError("molecule has no atoms to draw")
    atoms = sorted(set(highlight_atoms))
    if atoms and (atoms[0] < 0 or atoms[-1] >= count):
        bad = atoms[0] if atoms[0] < 0 else atoms[-1]
        raise ValueError(f"highlight atom index {bad} out of range (molecule has {count} atoms)")
    # Control, format (e.g. bidi override) and lone surrogate characters are dropped: XML forbids
    # some, RDKit cannot encode others, and none belongs in a caption.
    legend = "".join(c for c in legend[:MAX_LEGEND_CHARS] if c.isprintable())
    chosen = set(atoms)
    bonds = [
        bond.GetIdx()
        for bond in mol.GetBonds()
        if bond.GetBeginAtomIdx() in chosen and bond.GetEndAtomIdx() in chosen
    ]
    # Imported here: rdkit.Chem.Draw pulls in its whole drawing package (~60 ms), which a
    # process that only classifies should not pay for.
    from rdkit.Chem.Draw import rdMolDraw2D

    drawer = rdMolDraw2D.MolDraw2DSVG(width, height)
    try:
        with rdBase.BlockLogs():
            rdMolDraw2D.PrepareAndDrawMolecule(
                drawer,
                mol,
                legend=legend,
                highlightAtoms=atoms,
                highlightAtomColors=dict.fromkeys(atoms, HIGHLIGHT_RGB),
                highlightBonds=bonds,
                highlightBondColors=dict.fromkeys(bonds, HIGHLIGHT_RGB),
            )
            drawer.FinishDrawing()
    except (RuntimeError, ValueError) as error:
        raise ChemistryError(f"cannot draw the molecule: {error}") from None
    svg: str = drawer.GetDrawingText()
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1].lstrip()
    if legend:
        title = "<title>" + escape(legend) + "</title>\n"
        header_end = svg.index(">", svg.index("<svg")) + 1
        svg = svg[:header_end] + "\n" + title + svg[header_end:].lstrip("\n")
    return svg
