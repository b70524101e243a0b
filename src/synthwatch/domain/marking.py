"""Who may see a piece of information: TLP 2.0 labels, named recipients and sharing groups."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator, model_validator


class Tlp(StrEnum):
    """The five labels of the Traffic Light Protocol, version 2.0 (FIRST)."""

    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"

    @property
    def meaning(self) -> str:
        return TLP_MEANING[self]


# Paraphrased for synthwatch's members; the authoritative text is FIRST's TLP 2.0 standard.
TLP_MEANING: dict[Tlp, str] = {
    Tlp.CLEAR: "No limit on disclosure beyond copyright; may be published.",
    Tlp.GREEN: "May be shared within the community of this node's members, not published.",
    Tlp.AMBER: "Limited to the owner, the named recipient members and groups, on a need-to-know basis.",
    Tlp.AMBER_STRICT: "Limited to the owner and the named recipient members only, no further.",
    Tlp.RED: "For the named people only; not to be passed on.",
}


def to_tlp(value: str) -> Tlp:
    """Read a TLP label as people write it ("amber+strict", "TLP:RED", "white" = CLEAR under TLP 1.0)."""
    text = value.strip().upper().replace(" ", "")
    text = text.removeprefix("TLP:")
    if text == "WHITE":
        return Tlp.CLEAR
    try:
        return Tlp(text)
    except ValueError:
        raise ValueError(
            f"unknown TLP label {value!r}; expected CLEAR, GREEN, AMBER, AMBER+STRICT or RED"
        ) from None


class Marking(BaseModel):
    """A TLP label with the members, group or people it is released to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tlp: Tlp
    recipients: tuple[str, ...] = ()
    sharing_group: str | None = None
    users: tuple[str, ...] = ()

    @field_validator("tlp", mode="before")
    @classmethod
    def _read_tlp(cls, value: object) -> object:
        return to_tlp(value) if isinstance(value, str) else value

    @field_validator("recipients", "users")
    @classmethod
    def _clean_names(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
        if any(len(v) > 200 for v in cleaned):
            raise ValueError("a name is longer than 200 characters")
        return cleaned

    @field_validator("sharing_group")
    @classmethod
    def _clean_group(cls, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None

    @model_validator(mode="after")
    def _check_release(self) -> Marking:
        if self.recipients and self.tlp not in (Tlp.AMBER, Tlp.AMBER_STRICT):
            raise ValueError("only TLP:AMBER and TLP:AMBER+STRICT name recipient members")
        if self.sharing_group and self.tlp is not Tlp.AMBER:
            raise ValueError("only TLP:AMBER is released to a sharing group")
        if self.users and self.tlp is not Tlp.RED:
            raise ValueError("only TLP:RED names users")
        if self.tlp is Tlp.RED and not self.users:
            raise ValueError("TLP:RED must name the users it is for")
        return self


# What a report carries when its owner says nothing: the owner's organisation alone.
DEFAULT_MARKING = Marking(tlp=Tlp.AMBER_STRICT)
