"""Entity mentions (a company, a person, a phone...) and their correlation keys.

A later feature correlates entities across members' reports by key, so two spellings of one
real-world thing must give the same key and two different things must not. A value that cannot
be the stated kind of entity is refused with a short reason, because a wrong key is worse than
none: it silently breaks the correlation. Everything here is pure and cheap, since it runs for
every entity of every ingested report.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import ipaddress
import re
import unicodedata
from collections.abc import Callable

import phonenumbers

MAX_VALUE_LENGTH = 1000


class EntityType(enum.StrEnum):
    """The kinds of entity a report can mention; each has its own normalisation."""

    PERSON = "person"
    COMPANY = "company"
    ADDRESS = "address"
    PHONE = "phone"
    EMAIL = "email"
    VESSEL = "vessel"
    TRACKING_NUMBER = "tracking_number"
    WALLET = "wallet"
    WEBSITE = "website"
    BANK_ACCOUNT = "bank_account"
    LICENSE_PLATE = "license_plate"
    OTHER = "other"


# --------------------------------------------------------------------------- shared helpers


def _prepare(value: str) -> str:
    """Refuse oversized and blank values; return the value stripped of surrounding space."""
    if len(value) > MAX_VALUE_LENGTH:
        raise ValueError(f"longer than {MAX_VALUE_LENGTH} characters")
    stripped = value.strip()
    if not stripped:
        raise ValueError("empty")
    return stripped


def _nonempty(key: str) -> str:
    if not key:
        raise ValueError("empty after normalisation")
    return key


_ASCII_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold_text(value: str) -> str:
    """Fold text so that case, accents, punctuation and spacing no longer tell spellings apart.

    NFKC (full-width and ligature forms), casefold, NFKD with combining marks dropped (accents),
    NFC again (so Hangul and other scripts keep composed letters), punctuation, symbols and
    control characters to spaces, invisible format characters removed, whitespace collapsed.
    """
    if value.isascii():  # fast path: the common case, and NFKC/accents do nothing to ASCII
        return " ".join(_ASCII_NON_ALNUM.sub(" ", value.lower()).split())
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", value).casefold())
    out: list[str] = []
    for ch in text:
        if unicodedata.combining(ch):
            continue
        category = unicodedata.category(ch)
        if category == "Cf":  # zero-width joiners, soft hyphens, bidi marks: invisible
            continue
        out.append(" " if category[0] in "PSCZ" else ch)
    return " ".join(unicodedata.normalize("NFC", "".join(out)).split())


# Apostrophes join rather than split: "O'Brien" == "OBrien", "Int'l" == "Intl".
_APOSTROPHES = re.compile("['\u2019\u02bc\u2018`\u00b4]")


def _fold_words(value: str) -> list[str]:
    return fold_text(_APOSTROPHES.sub("", value)).split()


# --------------------------------------------------------------------------- phone

_PHONE_TEL = re.compile(r"^tel:", re.IGNORECASE)
_PHONE_EXTENSION = re.compile(
    r"\s*(?:;ext=|[,;]?\s*(?:ext(?:ension)?|anexo|ramal|x|#)\.?\s*:?\s*)[0-9]{1,7}$",
    re.IGNORECASE,
)
_PHONE_SEPARATORS = re.compile(r"[\s().\-/\u2010-\u2015\u2212]")
_PHONE_ALLOWED = re.compile(r"\+?\d+")


def normalize_phone(value: str, default_region: str | None = None) -> str:
    """Key a phone number by its E.164 form (`+525512345678`).

    `default_region` is the report's country (ISO 3166-1 alpha-2) and reads numbers written
    without a country code. Only *possible* numbers are required, not *valid* ones: numbering
    plans gain new ranges faster than libraries learn them. An extension is dropped from the key,
    since correlation is on the line.
    """
    text = unicodedata.normalize("NFKC", _prepare(value))
    text = _PHONE_TEL.sub("", text)
    text = _PHONE_EXTENSION.sub("", text)
    compact = _PHONE_SEPARATORS.sub("", text)
    if any(ch.isalpha() for ch in compact):
        raise ValueError("contains letters (vanity numbers are not accepted)")
    if not _PHONE_ALLOWED.fullmatch(compact):
        raise ValueError("not a phone number")
    region = default_region.strip().upper() if default_region else None
    if region is not None and region not in phonenumbers.SUPPORTED_REGIONS:
        region = None
    attempts: list[tuple[str, str | None]] = []
    if compact.startswith("+"):
        attempts.append((compact, None))
    else:
        if region is not None:
            attempts.append((compact, region))  # also strips the region's own IDD prefix
        if compact.startswith("00") and not compact.startswith("000"):
            attempts.append(("+" + compact[2:], None))  # "00" is the IDD of most countries
        if not attempts:
            raise ValueError("needs a country code (+..) or a report country")
    for candidate, parse_region in attempts:
        try:
            number = phonenumbers.parse(candidate, parse_region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not compact.startswith("+") and region is not None:
        raise ValueError(f"not a valid phone number for {region}")
    raise ValueError("not a valid phone number")


# --------------------------------------------------------------------------- e-mail and website

# Threat-intelligence text is often "defanged" so that it cannot be clicked.
_REFANG_AT = re.compile(r"\s*[\[({]\s*(?:at|@)\s*[\])}]\s*", re.IGNORECASE)
_REFANG_DOT = re.compile(r"\s*[\[({]\s*(?:dot|\.)\s*[\])}]\s*", re.IGNORECASE)
_REFANG_SCHEME = re.compile(r"^h(?:xx|XX)p(s?)(?=\[?:)", re.IGNORECASE)
_REFANG_COLON = re.compile(r"\[:\]")
_DISPLAY_NAME = re.compile(r"<([^<>]*)>$")
_EMAIL_LOCAL_FORBIDDEN = re.compile(r'[\s"(),:;<>\[\]\\]')
_DNS_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def _refang(text: str) -> str:
    text = _REFANG_AT.sub("@", text)
    text = _REFANG_DOT.sub(".", text)
    text = _REFANG_SCHEME.sub(r"http\1", text)
    return _REFANG_COLON.sub(":", text)


def _ascii_domain(domain: str) -> str | None:
    """Return the lower-case IDNA (punycode) form of a DNS name, or None if it cannot be one."""
    if not domain or len(domain) > 253:
        return None
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if not all(_DNS_LABEL.fullmatch(label) for label in labels):
        return None
    return ascii_domain


def normalize_email(value: str) -> str:
    """Key an e-mail address: the whole address lower-cased, the domain in IDNA form.

    Accepts `Name <a@b.c>`, `<a@b.c>`, `mailto:a@b.c` and defanged `a[at]b[.]c`.
    """
    text = _refang(unicodedata.normalize("NFKC", _prepare(value)))
    display = _DISPLAY_NAME.search(text)
    if display is not None:
        text = display.group(1).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].split("?", 1)[0]
    if text.count("@") != 1:
        raise ValueError("not an e-mail address")
    local, domain = text.split("@")
    if (
        not local
        or not domain
        or len(local) > 64
        or _EMAIL_LOCAL_FORBIDDEN.search(local)
        or any(unicodedata.category(ch)[0] == "C" for ch in local)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
    ):
        raise ValueError("not an e-mail address")
    domain = domain.removesuffix(".")  # the root of a fully qualified name
    if "." not in domain:
        raise ValueError("e-mail domain has no dot")
    ascii_domain = _ascii_domain(domain)
    if ascii_domain is None or ascii_domain.rsplit(".", 1)[-1].isdigit():
        raise ValueError("e-mail domain is not a valid domain name")
    # The local part is lower-cased too, although RFC 5321 lets servers tell case apart: almost
    # none do, and correlation favours recall over the rare case-sensitive mailbox.
    return f"{unicodedata.normalize('NFC', local).lower()}@{ascii_domain}"


_URL_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:)?//", re.IGNORECASE)
_URL_END_OF_HOST = re.compile(r"[/?#\\]")


def normalize_website(value: str) -> str:
    """Key a website by its host name: no scheme, `www.`, credentials, port, path or query."""
    text = _refang(unicodedata.normalize("NFKC", _prepare(value)))
    if any(ch.isspace() for ch in text):
        raise ValueError("not a website address")
    text = _URL_SCHEME.sub("", text)
    host = _URL_END_OF_HOST.split(text, maxsplit=1)[0].rpartition("@")[2]
    if host.startswith("["):  # IPv6 literal, possibly with a port
        literal, _, _ = host[1:].partition("]")
        try:
            return f"[{ipaddress.IPv6Address(literal).compressed}]"
        except ValueError:
            raise ValueError("not a website address") from None
    host, _, port = host.partition(":")
    if port and not port.isdigit():
        raise ValueError("not a website address")
    host = host.removesuffix(".").lower()
    try:
        return str(ipaddress.IPv4Address(host))
    except ValueError:
        pass
    if host.startswith("www.") and host.count(".") >= 2:
        host = host[4:]
    if "." not in host:
        raise ValueError("website host has no dot")
    ascii_host = _ascii_domain(host)
    if ascii_host is None or ascii_host.rsplit(".", 1)[-1].isdigit():
        raise ValueError("not a valid host name")
    return ascii_host


# --------------------------------------------------------------------------- company

# (spelling after fold_text, canonical form). A spelling matches a run of trailing tokens whose
# concatenation equals the spelling without spaces, so "S.A. de C.V.", "SA de CV" and
# "S.A. DE C.V" all match "sa de cv", and "L.L.C." matches "llc".
_LEGAL_FORMS: tuple[tuple[str, str], ...] = (
    ("co", "co"),
    ("company", "co"),
    ("corp", "corp"),
    ("corporation", "corp"),
    ("inc", "inc"),
    ("incorporated", "inc"),
    ("ltd", "ltd"),
    ("limited", "ltd"),
    ("ltda", "ltda"),
    ("limitada", "ltda"),
    ("llc", "llc"),
    ("limited liability company", "llc"),
    ("llp", "llp"),
    ("limited liability partnership", "llp"),
    ("lp", "lp"),
    ("limited partnership", "lp"),
    ("plc", "plc"),
    ("public limited company", "plc"),
    ("gmbh", "gmbh"),
    ("gesellschaft mit beschrankter haftung", "gmbh"),
    ("ag", "ag"),
    ("aktiengesellschaft", "ag"),
    ("kg", "kg"),
    ("kommanditgesellschaft", "kg"),
    ("kgaa", "kgaa"),
    ("ug", "ug"),
    ("ug haftungsbeschrankt", "ug"),
    ("se", "se"),
    ("sa", "sa"),
    ("sociedad anonima", "sa"),
    ("societe anonyme", "sa"),
    ("sa de cv", "sa de cv"),
    ("sociedad anonima de capital variable", "sa de cv"),
    ("sab de cv", "sab de cv"),
    ("sapi de cv", "sapi de cv"),
    ("sociedad anonima promotora de inversion de capital variable", "sapi de cv"),
    ("sapi", "sapi"),
    ("s de rl", "s de rl"),
    ("sociedad de responsabilidad limitada", "s de rl"),
    ("s de rl de cv", "s de rl de cv"),
    ("sociedad de responsabilidad limitada de capital variable", "s de rl de cv"),
    ("sas", "sas"),
    ("sac", "sac"),
    ("sarl", "sarl"),
    ("srl", "srl"),
    ("sl", "sl"),
    ("spa", "spa"),
    ("bv", "bv"),
    ("besloten vennootschap", "bv"),
    ("nv", "nv"),
    ("naamloze vennootschap", "nv"),
    ("pty", "pty"),
    ("pty ltd", "pty ltd"),
    ("proprietary limited", "pty ltd"),
    ("pvt", "pvt"),
    ("pvt ltd", "pvt ltd"),
    ("private limited", "pvt ltd"),
    ("pte", "pte"),
    ("pte ltd", "pte ltd"),
    ("sdn bhd", "sdn bhd"),
    ("sendirian berhad", "sdn bhd"),
    ("bhd", "bhd"),
    ("berhad", "bhd"),
    ("tbk", "tbk"),
    ("ooo", "ooo"),
    ("ооо", "ooo"),
    ("oao", "oao"),
    ("оао", "oao"),
    ("zao", "zao"),
    ("зао", "zao"),
    ("pao", "pao"),
    ("пао", "pao"),
    ("jsc", "jsc"),
    ("joint stock company", "jsc"),
    ("pjsc", "pjsc"),
    ("ojsc", "ojsc"),
    ("cjsc", "cjsc"),
    ("oy", "oy"),
    ("oyj", "oyj"),
    ("ab", "ab"),
    ("as", "as"),
    ("asa", "asa"),
    ("aps", "aps"),
    ("kk", "kk"),
    ("kabushiki kaisha", "kk"),
    ("sp z oo", "sp z oo"),
    ("sro", "sro"),
    ("kft", "kft"),
    ("sti", "sti"),
)

# Forms written before the name: ООО «Ромашка», PT Indofood, Công ty TNHH ... Only whole words
# here (no letter-by-letter joining), so that "A. O. Smith" keeps its initials.
_LEADING_LEGAL_FORMS: dict[tuple[str, ...], str] = {
    ("ooo",): "ooo",
    ("ооо",): "ooo",
    ("oao",): "oao",
    ("оао",): "oao",
    ("zao",): "zao",
    ("зао",): "zao",
    ("pao",): "pao",
    ("пао",): "pao",
    ("ао",): "ao",
    ("тов",): "tov",
    ("tov",): "tov",
    ("pt",): "pt",
    ("jsc",): "jsc",
    ("pjsc",): "pjsc",
    ("ojsc",): "ojsc",
    ("cjsc",): "cjsc",
    ("cong", "ty", "tnhh"): "co ltd",
    ("cong", "ty", "co", "phan"): "jsc",
    ("cong", "ty"): "co",
}

# Chinese and Japanese write the form glued to the name: 上海华源化工有限公司.
_CJK_LEGAL_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("股份有限公司", "co ltd"),
    ("有限责任公司", "co ltd"),
    ("有限責任公司", "co ltd"),
    ("有限公司", "co ltd"),
    ("株式会社", "kk"),
    ("有限会社", "yk"),
    ("合同会社", "gk"),
    ("公司", "co"),
)

_COMPANY_WORDS = {"intl": "international", "mfg": "manufacturing", "bros": "brothers"}
# "Johnson & Johnson" == "Johnson and Johnson": "&" folds away, so drop the word too.
_CONNECTORS = frozenset({"and", "und", "et", "y"})


@functools.cache
def _legal_form_table() -> tuple[dict[str, str], int]:
    """Spelling without spaces -> canonical form, and the longest such spelling."""
    table = {spelling.replace(" ", ""): canonical for spelling, canonical in _LEGAL_FORMS}
    return table, max(len(key) for key in table)


def _strip_trailing_form(tokens: list[str]) -> str | None:
    """Remove the longest legal form ending `tokens` (never all of them); return its canonical."""
    table, longest = _legal_form_table()
    joined = ""
    found: tuple[int, str] | None = None
    for k in range(1, len(tokens)):
        joined = tokens[-k] + joined
        if len(joined) > longest:
            break
        canonical = table.get(joined)
        if canonical is not None:
            found = (k, canonical)
    if found is None:
        return None
    del tokens[-found[0] :]
    return found[1]


def _strip_leading(tokens: list[str]) -> list[str]:
    """Remove a leading "the" and legal forms written before the name; return the forms."""
    forms: list[str] = []
    changed = True
    while changed:
        changed = False
        if len(tokens) > 1 and tokens[0] == "the":
            del tokens[0]
            changed = True
        for size in (4, 3, 2, 1):
            canonical = _LEADING_LEGAL_FORMS.get(tuple(tokens[:size]))
            if canonical is not None and len(tokens) > size:
                del tokens[:size]
                forms.append(canonical)
                changed = True
                break
    return forms


def _strip_cjk_suffix(tokens: list[str]) -> str | None:
    last = tokens[-1]
    for suffix, canonical in _CJK_LEGAL_SUFFIXES:
        if last.endswith(suffix):
            if len(last) == len(suffix):  # the whole name: keep it
                return None
            tokens[-1] = last[: -len(suffix)]
            return canonical
    return None


def split_legal_form(name: str) -> tuple[str, str | None]:
    """Split a company name into its folded core and its canonical legal form (None if none).

    Legal forms are removed only where they are written (at the end, or the few forms written
    first such as ООО and PT), repeatedly ("Co., Ltd." -> "co ltd"), and never so as to leave
    nothing: a company literally called "Limited" keeps that word. The core is the company key.
    """
    tokens = [_COMPANY_WORDS.get(token, token) for token in _fold_words(_prepare(name))]
    if not tokens:
        raise ValueError("empty after normalisation")
    # Connectors go first: dropping them later could join "s y a" into a new trailing "s a".
    tokens = [
        token
        for i, token in enumerate(tokens)
        if token not in _CONNECTORS or i == 0 or i == len(tokens) - 1
    ]
    trailing: list[str] = []
    while True:
        canonical = _strip_trailing_form(tokens)
        if canonical is None:
            canonical = _strip_cjk_suffix(tokens)
        if canonical is None:
            break
        trailing.append(canonical)
    leading = _strip_leading(tokens)
    forms = leading + trailing[::-1]
    return " ".join(tokens), " ".join(forms) if forms else None


def normalize_company(value: str) -> str:
    """Key a company by its folded name without legal form: "Acme Co., Ltd." == "ACME"."""
    return _nonempty(split_legal_form(value)[0])


# --------------------------------------------------------------------------- person

_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "mme", "mlle"}
    | {"sr", "sra", "srta", "dra", "don", "dona", "lic", "ing"}  # Lic. and Ing. are common in MX
)


def normalize_person(value: str) -> str:
    """Key a person by their folded name tokens in alphabetical order, without honorifics.

    Sorting makes word order irrelevant, so OFAC's "PEREZ LOPEZ, Juan" equals "Juan Perez
    Lopez" by construction (the comma folds away like any punctuation). Honorifics are dropped
    wherever they stand unless nothing else is left, which keeps the key idempotent.
    """
    tokens = _fold_words(_prepare(value))
    named = [token for token in tokens if token not in _HONORIFICS]
    return _nonempty(" ".join(sorted(named or tokens)))


# --------------------------------------------------------------------------- address

_ADDRESS_WORDS: dict[str, str] = {
    **dict.fromkeys(("street", "st", "saint"), "st"),
    **dict.fromkeys(("avenue", "avenida", "av", "ave", "avda", "avd"), "ave"),
    **dict.fromkeys(("road", "rd"), "rd"),
    **dict.fromkeys(("boulevard", "blvd", "bulevar", "boulevar", "blv", "bvd"), "blvd"),
    **dict.fromkeys(("drive", "dr", "doctor"), "dr"),
    **dict.fromkeys(("lane", "ln"), "ln"),
    **dict.fromkeys(("court", "ct"), "ct"),
    **dict.fromkeys(("place", "pl"), "pl"),
    **dict.fromkeys(("square", "sq"), "sq"),
    **dict.fromkeys(("highway", "hwy"), "hwy"),
    **dict.fromkeys(("parkway", "pkwy"), "pkwy"),
    **dict.fromkeys(("colonia", "col"), "col"),
    **dict.fromkeys(("number", "numero", "num", "no", "nro", "nr"), "no"),
    **dict.fromkeys(("suite", "ste"), "ste"),
    **dict.fromkeys(("apartment", "apt", "apto", "depto", "departamento", "dpto", "dept"), "apt"),
    **dict.fromkeys(("floor", "fl", "flr", "piso"), "fl"),
    **dict.fromkeys(("building", "bldg", "bld", "edificio", "edif"), "bldg"),
    **dict.fromkeys(("room", "rm"), "rm"),
    **dict.fromkeys(("north", "norte", "n"), "n"),
    **dict.fromkeys(("south", "sur", "s"), "s"),
    **dict.fromkeys(("east", "oriente", "ote", "e"), "e"),
    **dict.fromkeys(("west", "poniente", "pte", "w"), "w"),
    **dict.fromkeys(("northeast", "ne"), "ne"),
    **dict.fromkeys(("northwest", "nw"), "nw"),
    **dict.fromkeys(("southeast", "se"), "se"),
    **dict.fromkeys(("southwest", "sw"), "sw"),
    **dict.fromkeys(("manzana", "mza", "mz"), "mz"),
    **dict.fromkeys(("lote", "lt"), "lt"),
    **dict.fromkeys(("fraccionamiento", "fracc"), "fracc"),
    **dict.fromkeys(("carretera", "carr", "ctra"), "carr"),
    **dict.fromkeys(("kilometro", "km"), "km"),
    **dict.fromkeys(("interior", "int"), "int"),
    **dict.fromkeys(("exterior", "ext"), "ext"),
    **dict.fromkeys(("esquina", "esq"), "esq"),
    **dict.fromkeys(("privada", "priv"), "priv"),
    **dict.fromkeys(("cerrada", "cda"), "cda"),
    **dict.fromkeys(("calzada", "calz"), "calz"),
    **dict.fromkeys(("prolongacion", "prol"), "prol"),
    **dict.fromkeys(("municipio", "mpio"), "mpio"),
    **dict.fromkeys(("estado", "edo"), "edo"),
    **dict.fromkeys(("urbanizacion", "urb"), "urb"),
    **dict.fromkeys(("mount", "mt"), "mt"),
    **dict.fromkeys(("strasse", "str"), "str"),
}
# Two-token spellings: "C.P." (código postal), "S/N" (sin número), "P.O. Box".
_ADDRESS_PAIRS: dict[tuple[str, str], str] = {
    ("c", "p"): "cp",
    ("codigo", "postal"): "cp",
    ("s", "n"): "sn",
    ("sin", "numero"): "sn",
    ("p", "o"): "po",
    ("post", "office"): "po",
}
_ADDRESS_NUMBER_SIGN = re.compile(r"#|\b[nN]\s*[°º]")


def normalize_address(value: str) -> str:
    """Key an address by its folded words in their order, common words abbreviated one way.

    "Avenida Reforma No. 222, Col. Juárez" == "av reforma #222 colonia juarez". German
    "-straße" compounds become "-str" ("Hauptstraße" == "Hauptstr.").
    """
    text = _ADDRESS_NUMBER_SIGN.sub(" no ", _prepare(value))
    tokens = [_address_word(token) for token in _fold_words(text)]
    out: list[str] = []
    i = 0
    while i < len(tokens):  # pairs after the word mapping, so that the key is a fixed point
        pair = _ADDRESS_PAIRS.get((tokens[i], tokens[i + 1])) if i + 1 < len(tokens) else None
        out.append(pair if pair is not None else tokens[i])
        i += 1 if pair is None else 2
    return _nonempty(" ".join(out))


def _address_word(token: str) -> str:
    token = _ADDRESS_WORDS.get(token, token)
    if token.endswith("strasse") and len(token) > 7:
        return token[:-4]
    return token


# --------------------------------------------------------------------------- wallet

_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58 = re.compile(r"[1-9A-HJ-NP-Za-km-z]+")
_HEX40 = re.compile(r"[0-9a-fA-F]{40}")
_GENERIC_WALLET = re.compile(r"[A-Za-z0-9]{20,128}")
_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONST, _BECH32M_CONST = 1, 0x2BC830A3
_SEGWIT_HRPS = {"bc": "bitcoin", "tb": "bitcoin", "ltc": "litecoin", "tltc": "litecoin"}


def _base58check_payload(text: str, coin: str) -> bytes:
    """Decode Base58Check; raise ValueError if the double-SHA-256 checksum does not match."""
    number = 0
    for ch in text:
        number = number * 58 + _BASE58_ALPHABET.index(ch)
    leading_zeros = len(text) - len(text.lstrip("1"))
    raw = b"\0" * leading_zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")
    payload, checksum = raw[:-4], raw[-4:]
    if len(raw) < 5 or hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        raise ValueError(f"{coin} address checksum does not match")
    return payload


def _base58_address(text: str, coin: str, versions: frozenset[int]) -> str:
    payload = _base58check_payload(text, coin)
    if len(payload) != 21 or payload[0] not in versions:
        raise ValueError(f"not a {coin} address")
    return text  # Base58 is case-sensitive: the key keeps the case


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            if (top >> i) & 1:
                checksum ^= generator[i]
    return checksum


def _convert_bits(data: list[int], from_bits: int, to_bits: int) -> list[int] | None:
    """Regroup bits without padding (BIP-173 decoding); None if the padding is not zero."""
    acc = bits = 0
    out: list[int] = []
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & ((1 << to_bits) - 1))
    if bits >= from_bits or (acc << (to_bits - bits)) & ((1 << to_bits) - 1):
        return None
    return out


def _segwit_address(text: str) -> str:
    """Validate a BIP-173 (bech32, witness v0) or BIP-350 (bech32m, v1+) address."""
    if text != text.lower() and text != text.upper():
        raise ValueError("bech32 address mixes upper and lower case")
    address = text.lower()
    hrp, _, data_part = address.rpartition("1")
    coin = _SEGWIT_HRPS.get(hrp, "bitcoin")
    if (
        hrp not in _SEGWIT_HRPS
        or len(address) > 90
        or len(data_part) < 6
        or any(ch not in _BECH32_CHARSET for ch in data_part)
    ):
        raise ValueError(f"not a {coin} address")
    data = [_BECH32_CHARSET.index(ch) for ch in data_part]
    expanded = [ord(ch) >> 5 for ch in hrp] + [0] + [ord(ch) & 31 for ch in hrp]
    constant = _bech32_polymod(expanded + data)
    if constant not in (_BECH32_CONST, _BECH32M_CONST) or not data[:-6]:
        raise ValueError(f"{coin} address checksum does not match")
    version, program = data[0], _convert_bits(data[1:-6], 5, 8)
    if version > 16 or program is None or not 2 <= len(program) <= 40:
        raise ValueError(f"not a {coin} address")
    if version == 0 and (len(program) not in (20, 32) or constant != _BECH32_CONST):
        raise ValueError(f"not a {coin} address (witness v0 needs bech32 and 20 or 32 bytes)")
    if version > 0 and constant != _BECH32M_CONST:
        raise ValueError(f"{coin} address checksum does not match (v1+ needs bech32m)")
    return address


@functools.cache
def _keccak_constants() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Round constants and rotation offsets of Keccak-f[1600], derived as FIPS 202 defines them."""

    def rc_bit(t: int) -> int:
        register = 1
        for _ in range(t % 255):
            register <<= 1
            if register & 0x100:
                register ^= 0x171
        return register & 1

    round_constants = tuple(
        sum(rc_bit(j + 7 * rnd) << ((1 << j) - 1) for j in range(7)) for rnd in range(24)
    )
    offsets = [0] * 25
    x, y = 1, 0
    for t in range(24):
        offsets[x + 5 * y] = ((t + 1) * (t + 2) // 2) % 64
        x, y = y, (2 * x + 3 * y) % 5
    return round_constants, tuple(offsets)


def _keccak256(data: bytes, *, suffix: int = 0x01) -> bytes:
    """Keccak-256 as Ethereum uses it (suffix 0x01); suffix 0x06 gives NIST SHA3-256.

    hashlib only has the NIST variant, whose padding differs, so the permutation is written here:
    it runs only for mixed-case (EIP-55) Ethereum addresses.
    """
    round_constants, offsets = _keccak_constants()
    mask, rate = (1 << 64) - 1, 136
    padded = bytearray(data)
    padded.append(suffix)
    padded.extend(b"\0" * (-len(padded) % rate))
    padded[-1] |= 0x80
    state = [0] * 25
    for start in range(0, len(padded), rate):
        for i in range(rate // 8):
            state[i] ^= int.from_bytes(padded[start + 8 * i : start + 8 * i + 8], "little")
        for rc in round_constants:
            c = [
                state[x] ^ state[x + 5] ^ state[x + 10] ^ state[x + 15] ^ state[x + 20]
                for x in range(5)
            ]
            for x in range(5):
                d = c[(x - 1) % 5] ^ (((c[(x + 1) % 5] << 1) | (c[(x + 1) % 5] >> 63)) & mask)
                for y in range(0, 25, 5):
                    state[x + y] ^= d
            b = [0] * 25
            for x in range(5):
                for y in range(5):
                    lane, r = state[x + 5 * y], offsets[x + 5 * y]
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = ((lane << r) | (lane >> (64 - r))) & mask
            for y in range(0, 25, 5):
                for x in range(5):
                    state[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y])
            state[0] ^= rc
    return b"".join(lane.to_bytes(8, "little") for lane in state[:4])


@functools.lru_cache(maxsize=4096)  # the EIP-55 check costs ~0.3 ms; addresses recur a lot
def _ethereum_address(text: str) -> str:
    body = text[2:]
    if not _HEX40.fullmatch(body):
        raise ValueError("not an ethereum address (0x and 40 hex digits)")
    lower = body.lower()
    if body != lower and body != body.upper():  # mixed case carries an EIP-55 checksum
        digest = _keccak256(lower.encode("ascii")).hex()[:40]
        for ch, nibble in zip(body, digest, strict=True):
            if ch.isalpha() and ch.isupper() != (int(nibble, 16) >= 8):
                raise ValueError("ethereum address checksum (EIP-55) does not match")
    return "0x" + lower


def normalize_wallet(value: str) -> str:
    """Key a cryptocurrency address, verifying the checksum of the formats recognised.

    Ethereum/EVM (EIP-55), Bitcoin and Litecoin Base58Check and bech32/bech32m, Tron. Other
    chains (Monero...) are accepted as 20-128 letters and digits and kept as written.
    """
    text = _prepare(value)
    if any(ch.isspace() for ch in text):
        raise ValueError("contains whitespace")
    lower = text.lower()
    if lower.startswith("0x"):
        return _ethereum_address(text)
    if lower.startswith(("bc1", "tb1", "ltc1", "tltc1")):
        return _segwit_address(text)
    if _BASE58.fullmatch(text):
        if text[0] in "13" and 25 <= len(text) <= 35:
            return _base58_address(text, "bitcoin", frozenset({0x00, 0x05}))
        if text[0] == "T" and len(text) == 34:
            return _base58_address(text, "tron", frozenset({0x41}))
        if text[0] in "LM" and 33 <= len(text) <= 34:
            return _base58_address(text, "litecoin", frozenset({0x30, 0x32}))
    if _GENERIC_WALLET.fullmatch(text):
        return text
    raise ValueError("not a wallet address")


# --------------------------------------------------------------------------- identifiers

_DASHES_AND_SPACES = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_TRACKING = re.compile(r"[A-Z0-9]{6,40}")
_UPU_S10 = re.compile(r"[A-Z]{2}([0-9]{8})([0-9])[A-Z]{2}")


def normalize_tracking_number(value: str) -> str:
    """Key a parcel tracking number: upper case, no spaces or hyphens.

    UPU S10 numbers (postal and EMS items, e.g. "EE123456785US") must pass their check digit.
    """
    text = _DASHES_AND_SPACES.sub("", unicodedata.normalize("NFKC", _prepare(value)).upper())
    if not _TRACKING.fullmatch(text):
        raise ValueError("not a tracking number (6 to 40 letters and digits)")
    s10 = _UPU_S10.fullmatch(text)
    if s10 is not None:
        total = sum(int(d) * w for d, w in zip(s10.group(1), (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
        check = 11 - total % 11
        check = {10: 0, 11: 5}.get(check, check)
        if check != int(s10.group(2)):
            raise ValueError("UPU tracking number check digit does not match")
    return text


_IMO = re.compile(
    r"(?<![a-z0-9])imo(?![a-z])\s*(?:no\.?|nr\.?|number)?\s*[:#.\-]?\s*([0-9]+)", re.IGNORECASE
)
_SEVEN_DIGITS = re.compile(r"[0-9]{7}")
_VESSEL_PREFIXES = frozenset({"mv", "mt", "ms", "ss", "fv", "mts", "mvs"})
_VESSEL_PREFIX_PAIRS = frozenset(
    {("m", "v"), ("m", "t"), ("m", "s"), ("m", "y"), ("s", "s"), ("f", "v")}
)


def normalize_vessel(value: str) -> str:
    """Key a vessel by its IMO number ("IMO9074729") when given, else by its folded name.

    The IMO check digit is verified. Name keys drop ship prefixes ("MV", "M/T", "SS").
    """
    text = unicodedata.normalize("NFKC", _prepare(value))
    folded = fold_text(text)
    match = _IMO.search(text)
    digits = match.group(1) if match else (folded if _SEVEN_DIGITS.fullmatch(folded) else None)
    if digits is not None:
        if len(digits) != 7:
            raise ValueError("IMO number must have 7 digits")
        total = sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True))
        if total % 10 != int(digits[6]):
            raise ValueError("IMO number check digit does not match")
        return "IMO" + digits
    tokens = folded.split()
    while True:  # "SS SS Foo" would otherwise lose one prefix per normalisation
        if len(tokens) > 2 and tuple(tokens[:2]) in _VESSEL_PREFIX_PAIRS:
            del tokens[:2]
        elif len(tokens) > 1 and tokens[0] in _VESSEL_PREFIXES:
            del tokens[0]
        else:
            return _nonempty(" ".join(tokens))


_ACCOUNT_SEPARATORS = re.compile(r"[\s\-./\u2010-\u2015\u2212]+")
_IBAN_PREFIX = re.compile(r"^IBAN\s*:?\s*")
_IBAN_LIKE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]*")
_ACCOUNT = re.compile(r"[A-Z0-9]{4,40}")


def normalize_bank_account(value: str) -> str:
    """Key a bank account: upper case without spaces, hyphens, dots or slashes.

    A value that starts like an IBAN (two letters, two digits) must pass the mod-97 check.
    """
    text = _IBAN_PREFIX.sub("", unicodedata.normalize("NFKC", _prepare(value)).upper())
    text = _ACCOUNT_SEPARATORS.sub("", text)
    if _IBAN_LIKE.fullmatch(text):
        if not 15 <= len(text) <= 34:
            raise ValueError("not an IBAN (15 to 34 characters)")
        rearranged = text[4:] + text[:4]
        as_number = int("".join(str(int(ch, 36)) for ch in rearranged))
        if text[2:4] in ("00", "01", "99") or as_number % 97 != 1:
            raise ValueError("IBAN check digits do not match")
        return text
    if not _ACCOUNT.fullmatch(text):
        raise ValueError("not a bank account (4 to 40 letters and digits)")
    return text


_PLATE_SEPARATORS = re.compile(r"[\s\-.\u00b7\u2010-\u2015\u2212]+")
# Russian, Ukrainian... plates use only Cyrillic letters that look Latin; reports mix both.
_CYRILLIC_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХІ", "ABEKMHOPCTYXI")


def normalize_license_plate(value: str) -> str:
    """Key a licence plate: upper case, no spaces, hyphens or dots, Cyrillic look-alikes Latin."""
    text = unicodedata.normalize("NFKC", _prepare(value)).upper()
    text = _PLATE_SEPARATORS.sub("", text).translate(_CYRILLIC_LOOKALIKES)
    if not text or len(text) > 16 or not text.isalnum():
        raise ValueError("not a license plate (up to 16 letters and digits)")
    return text


def normalize_other(value: str) -> str:
    """Key any other entity by its folded text."""
    return _nonempty(fold_text(_prepare(value)))


# --------------------------------------------------------------------------- dispatch

_NORMALIZERS: dict[EntityType, Callable[[str], str]] = {
    EntityType.PERSON: normalize_person,
    EntityType.COMPANY: normalize_company,
    EntityType.ADDRESS: normalize_address,
    EntityType.EMAIL: normalize_email,
    EntityType.VESSEL: normalize_vessel,
    EntityType.TRACKING_NUMBER: normalize_tracking_number,
    EntityType.WALLET: normalize_wallet,
    EntityType.WEBSITE: normalize_website,
    EntityType.BANK_ACCOUNT: normalize_bank_account,
    EntityType.LICENSE_PLATE: normalize_license_plate,
    EntityType.OTHER: normalize_other,
}


def normalize_entity_value(
    entity_type: EntityType, value: str, *, default_region: str | None = None
) -> str:
    """Return the correlation key of an entity value.

    Raise ValueError(reason) when the value cannot be that kind of entity; the reason is read
    after "FILE:LINE: entities[2].value: ".
    """
    kind = EntityType(entity_type)
    key = (
        normalize_phone(value, default_region)
        if kind is EntityType.PHONE
        else _NORMALIZERS[kind](value)
    )
    if not key:
        raise ValueError("empty after normalisation")
    if len(key) > MAX_VALUE_LENGTH:  # NFKC can expand a few characters a lot
        raise ValueError(f"longer than {MAX_VALUE_LENGTH} characters after normalisation")
    return key
