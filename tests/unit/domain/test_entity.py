"""Correlation keys of entity values: same thing -> same key, different things -> different keys."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthwatch.domain.entity import (
    EntityType,
    _keccak256,
    fold_text,
    normalize_address,
    normalize_bank_account,
    normalize_company,
    normalize_email,
    normalize_entity_value,
    normalize_license_plate,
    normalize_other,
    normalize_person,
    normalize_phone,
    normalize_tracking_number,
    normalize_vessel,
    normalize_wallet,
    normalize_website,
    split_legal_form,
)


def _rejects(entity_type: EntityType, value: str, reason: str, region: str | None = None) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        normalize_entity_value(entity_type, value, default_region=region)


def _corrupt(text: str, index: int) -> str:
    """Replace one character by another of the same kind (digit, lower, upper)."""
    ch = text[index]
    if ch.isdigit():
        new = "7" if ch != "7" else "8"
    elif ch.islower():
        new = "x" if ch != "x" else "z"
    else:
        new = "X" if ch != "X" else "Z"
    return text[:index] + new + text[index + 1 :]


# --------------------------------------------------------------------------- common rules


@pytest.mark.parametrize("entity_type", list(EntityType))
def test_every_type_rejects_blank_and_oversized_values(entity_type: EntityType) -> None:
    _rejects(entity_type, "", "empty", "MX")
    _rejects(entity_type, " \t\n ", "empty", "MX")
    _rejects(entity_type, "1" * 1001, "longer than 1000 characters", "MX")


@pytest.mark.parametrize("entity_type", [EntityType.COMPANY, EntityType.PERSON, EntityType.OTHER])
def test_punctuation_only_is_empty_after_normalisation(entity_type: EntityType) -> None:
    _rejects(entity_type, "?!… --- ***", "empty after normalisation")


def test_fold_text() -> None:
    assert fold_text("  Ｓｏｃｉéｔé   Générale,\tS.A.  ") == "societe generale s a"
    assert fold_text("Straße") == fold_text("STRASSE") == "strasse"
    assert fold_text("ﬁne\u200bprint") == "fineprint"  # ligature and zero-width space
    assert fold_text("한국") == "한국"  # Hangul stays composed
    assert fold_text("José") == fold_text("Jose\u0301") == "jose"


def test_dispatcher_accepts_the_string_value_of_the_type() -> None:
    assert normalize_entity_value(EntityType("company"), "Acme Ltd") == "acme"


# --------------------------------------------------------------------------- phone


def test_phone_spellings_give_one_e164_key() -> None:
    keys = {
        normalize_phone("+52 55 1234 5678", None),
        normalize_phone("0052 55 1234 5678", "MX"),
        normalize_phone("55 1234 5678", "MX"),
        normalize_phone("(55) 1234-5678", "mx"),
        normalize_phone("0052 55 1234 5678", None),
        normalize_phone("tel:+52-55-1234-5678", None),
        normalize_phone("+52 55 1234 5678 ext. 123", None),
        normalize_phone("＋５２ ５５ １２３４ ５６７８", None),
        normalize_entity_value(EntityType.PHONE, "55 1234 5678", default_region="MX"),
    }
    assert keys == {"+525512345678"}


def test_phone_key_is_idempotent_and_region_matters() -> None:
    assert normalize_phone("+525512345678", None) == "+525512345678"
    assert normalize_phone("+525512345678", "US") == "+525512345678"
    assert normalize_phone("030 1234567", "DE") == "+49301234567"
    assert normalize_phone("(202) 555-0123", "US") != normalize_phone("202 555 0123", "MX")


def test_phone_rejections() -> None:
    _rejects(EntityType.PHONE, "55 1234 5678", "needs a country code (+..) or a report country")
    _rejects(EntityType.PHONE, "1-800-FLOWERS", "contains letters", "US")
    _rejects(EntityType.PHONE, "12", "not a valid phone number for MX", "MX")
    _rejects(EntityType.PHONE, "+52 1", "not a valid phone number")
    _rejects(EntityType.PHONE, "+52 55 1234 5678 / 55 8765 4321", "not a valid phone number")
    _rejects(EntityType.PHONE, "+52 55 1234 5678 / +52 55 8765 4321", "not a phone number")
    _rejects(EntityType.PHONE, "55+1234", "not a phone number", "MX")


# --------------------------------------------------------------------------- e-mail


def test_email_spellings_give_one_key() -> None:
    keys = {
        normalize_email("Juan.Perez@Example.COM"),
        normalize_email("  <juan.perez@example.com> "),
        normalize_email("mailto:JUAN.PEREZ@example.com?subject=hola"),
        normalize_email("Juan Pérez <juan.perez@example.com>"),
        normalize_email("juan.perez[at]example[.]com"),
        normalize_email("juan.perez@example.com."),
    }
    assert keys == {"juan.perez@example.com"}


def test_email_domain_is_idna_encoded() -> None:
    key = normalize_email("Pedro@Bücher.DE")
    assert key == "pedro@xn--bcher-kva.de"
    assert normalize_email(key) == key
    assert normalize_email("juan@example.com") != normalize_email("juan@example.org")


@pytest.mark.parametrize(
    "value",
    [
        "juan",
        "juan@example@com",
        "@example.com",
        "juan@",
        "juan perez@example.com",
        "a..b@x.com",
        ".a@x.com",
        "a,b@x.com",
    ],
)
def test_email_rejects_non_addresses(value: str) -> None:
    _rejects(EntityType.EMAIL, value, "not an e-mail address")


def test_email_rejects_bad_domains() -> None:
    _rejects(EntityType.EMAIL, "juan@localhost", "e-mail domain has no dot")
    _rejects(EntityType.EMAIL, "juan@exa_mple.com", "not a valid domain name")
    _rejects(EntityType.EMAIL, "juan@example..com", "not a valid domain name")
    _rejects(EntityType.EMAIL, "juan@" + "a" * 64 + ".com", "not a valid domain name")


# --------------------------------------------------------------------------- company


@pytest.mark.parametrize(
    "spellings",
    [
        (
            "Shanghai Huayuan Chemical Co., Ltd.",
            "SHANGHAI HUAYUAN CHEMICAL COMPANY LIMITED",
            "Shanghai Huayuan Chemical",
            "shanghai huayuan chemical co.,ltd",
            "Shanghai Huayuan Chemical Co Ltd",
        ),
        (
            "Química del Norte, S.A. de C.V.",
            "QUIMICA DEL NORTE SA DE CV",
            "Quimica del Norte S.A. DE C.V",
            "Química del Norte, Sociedad Anónima de Capital Variable",
            "Quimica del Norte",
        ),
        (
            "Müller Chemie GmbH",
            "MÜLLER CHEMIE",
            "Müller Chemie Gesellschaft mit beschränkter Haftung",
        ),
        ("Müller GmbH & Co. KG", "Muller GmbH und Co KG", "Müller"),
        ("Acme L.L.C.", "ACME LLC", "Acme, Limited Liability Company", "The Acme"),
        ("Logística Rápida, S. de R.L. de C.V.", "Logistica Rapida S DE RL DE CV"),
        ("Fondo Uno, S.A.P.I. de C.V.", "Fondo Uno SAPI de CV"),
        ("Kemi Nordic A/S", "Kemi Nordic AS", "Kemi Nordic"),
        ("Farmaco S.p.A.", "Farmaco SpA", "Farmaco S.r.l.", "Farmaco SRL"),
        ("Holland Chem B.V.", "Holland Chem BV", "Holland Chem N.V."),
        ("Sydney Labs Pty Ltd", "Sydney Labs Pty. Limited", "Sydney Labs"),
        ("Mumbai Fine Chem Pvt. Ltd.", "Mumbai Fine Chem Private Limited"),
        ("Kuala Trading Sdn. Bhd.", "KUALA TRADING SDN BHD", "Kuala Trading"),
        ("Romashka OOO", "ООО «Romashka»", "Romashka ООО", "OOO Romashka"),
        ("Tokyo Kasei K.K.", "Tokyo Kasei KK", "Tokyo Kasei Kabushiki Kaisha"),
        ("Helsinki Kemia Oy", "Helsinki Kemia"),
        ("Stockholm Kemi AB", "Stockholm Kemi"),
        ("Acme Corp.", "ACME CORPORATION", "Acme Inc.", "Acme, Incorporated", "Acme PLC"),
        ("Johnson & Johnson", "Johnson and Johnson"),
        ("Acme Int'l Ltd", "Acme International"),
        ("Paris Chimie S.A.S.", "Paris Chimie SAS", "Paris Chimie S.A."),
    ],
)
def test_company_spellings_give_one_key(spellings: tuple[str, ...]) -> None:
    keys = {normalize_company(s) for s in spellings}
    assert len(keys) == 1, keys


def test_company_keeps_words_that_are_not_trailing_legal_forms() -> None:
    assert normalize_company("Limited") == "limited"
    assert normalize_company("Co Ltd") == "co"
    assert normalize_company("Limited Brands Inc") == "limited brands"
    assert normalize_company("Acme Company Holdings Ltd") == "acme company holdings"
    assert normalize_company("Shanghai Trading Co., Ltd.") == "shanghai trading"
    assert normalize_company("Acme Trading") == "acme trading"
    assert normalize_company("A. O. Smith Corporation") == "a o smith"


def test_company_different_names_differ() -> None:
    assert normalize_company("Acme Chemical Co") != normalize_company("Acme Chemicals Co")
    assert normalize_company("Acme Trading Ltd") != normalize_company("Acme Ltd")
    assert normalize_company("Sinaloa Export SA") != normalize_company("Sonora Export SA")


def test_split_legal_form() -> None:
    assert split_legal_form("Shanghai Huayuan Chemical Co., Ltd.") == (
        "shanghai huayuan chemical",
        "co ltd",
    )
    assert split_legal_form("Química del Norte S.A. de C.V.") == ("quimica del norte", "sa de cv")
    assert split_legal_form("Müller GmbH & Co. KG") == ("muller", "gmbh co kg")
    assert split_legal_form("ООО «Ромашка»") == ("ромашка", "ooo")
    assert split_legal_form("上海华源化工有限公司") == ("上海华源化工", "co ltd")
    assert split_legal_form("有限公司") == ("有限公司", None)
    assert split_legal_form("Acme Trading") == ("acme trading", None)
    assert split_legal_form("Limited") == ("limited", None)


# --------------------------------------------------------------------------- person


def test_person_order_case_accents_and_comma_form() -> None:
    keys = {
        normalize_person("PEREZ, Juan"),
        normalize_person("Juan Perez"),
        normalize_person("juan PÉREZ"),
        normalize_person("Sr. Juan Pérez"),
        normalize_person("Dr. PEREZ, Juan"),
        normalize_person("  Juan   Pérez  "),
    }
    assert keys == {"juan perez"}
    assert normalize_person("PÉREZ LÓPEZ, Juan Carlos") == normalize_person(
        "Juan Carlos Perez Lopez"
    )
    assert normalize_person("O'Brien, Seán") == normalize_person("Sean OBrien")
    assert normalize_person("Doña María") == "maria"
    assert normalize_person("Don") == "don"


def test_person_different_people_differ() -> None:
    assert normalize_person("Juan Perez") != normalize_person("Juan Pereira")
    assert normalize_person("Juan Perez") != normalize_person("Juan Carlos Perez")


# --------------------------------------------------------------------------- address


def test_address_spellings_give_one_key() -> None:
    keys = {
        normalize_address("Avenida Reforma No. 222, Col. Juárez, C.P. 06600"),
        normalize_address("av reforma #222 colonia juarez cp 06600"),
        normalize_address("AV. REFORMA NÚMERO 222 COL JUAREZ, CÓDIGO POSTAL 06600"),
        normalize_address("Avenue Reforma N° 222 Colonia Juarez C P 06600"),
    }
    assert keys == {"ave reforma no 222 col juarez cp 06600"}
    assert normalize_address("12 North Main Street, Suite 5") == normalize_address(
        "12 N. Main St. Ste 5"
    )
    assert normalize_address("Hauptstraße 5") == normalize_address("Hauptstr. 5") == "hauptstr 5"
    assert normalize_address("Calle 5 s/n") == "calle 5 sn"


def test_address_order_matters() -> None:
    assert normalize_address("5 Main St") != normalize_address("Main St 5")
    assert normalize_address("1 Oak Rd") != normalize_address("1 Oak Ave")


# --------------------------------------------------------------------------- wallet


def _base58check_encode(payload: bytes) -> str:
    """Independent Base58Check encoder, to build addresses of known content."""
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        out = alphabet[digit] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def test_keccak_permutation_matches_hashlib_sha3_and_known_keccak() -> None:
    for size in (0, 1, 135, 136, 137, 300):
        data = bytes(range(256)) * 2
        assert _keccak256(data[:size], suffix=0x06) == hashlib.sha3_256(data[:size]).digest()
    empty = "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert _keccak256(b"").hex() == empty


@pytest.mark.parametrize(
    "address",
    [  # EIP-55 test vectors
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ],
)
def test_ethereum_eip55(address: str) -> None:
    assert normalize_wallet(address) == address.lower()
    assert normalize_wallet(address.lower()) == address.lower()
    assert normalize_wallet("0x" + address[2:].upper()) == address.lower()
    last_letter = max(i for i, ch in enumerate(address) if ch.isalpha())
    swapped = address[:last_letter] + address[last_letter].swapcase() + address[last_letter + 1 :]
    _rejects(EntityType.WALLET, swapped, "ethereum address checksum (EIP-55) does not match")


def test_ethereum_wrong_length() -> None:
    _rejects(
        EntityType.WALLET, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea", "not an ethereum address"
    )
    _rejects(EntityType.WALLET, "0x" + "ab" * 32, "not an ethereum address")  # a tx hash


@pytest.mark.parametrize(
    ("address", "coin"),
    [
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "bitcoin"),  # genesis block
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "bitcoin"),  # P2SH example of the Bitcoin wiki
        ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "tron"),  # USDT contract on Tron
        (_base58check_encode(bytes([0x30]) + bytes(range(20))), "litecoin"),
        (_base58check_encode(bytes([0x32]) + bytes(range(20, 40))), "litecoin"),
    ],
)
def test_base58check_addresses(address: str, coin: str) -> None:
    assert normalize_wallet(address) == address  # case kept
    for index in (5, len(address) - 1):
        _rejects(EntityType.WALLET, _corrupt(address, index), f"{coin} address checksum")


@pytest.mark.parametrize(
    "address",
    [  # BIP-173 / BIP-350 vectors
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
        "BC1SW50QGDZ25J",
        "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9",
    ],
)
def test_bech32_addresses(address: str) -> None:
    assert normalize_wallet(address) == address.lower()
    assert normalize_wallet(address.upper()) == address.lower()
    corrupted = address[:-3] + ("q" if address[-3].lower() != "q" else "p") + address[-2:]
    _rejects(EntityType.WALLET, corrupted.lower(), "address checksum does not match")


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("bC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "mixes upper and lower case"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "checksum does not match"),
        # v1 with a bech32 (not bech32m) checksum, and v0 with bech32m (BIP-350)
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "needs bech32m"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "witness v0 needs bech32"),
        ("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "witness v0 needs bech32"),  # 16-byte v0
    ],
)
def test_bech32_invalid_vectors(address: str, reason: str) -> None:
    _rejects(EntityType.WALLET, address, reason)


def test_other_wallets_and_rejections() -> None:
    monero = (
        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RV"
        "GQBEP3A"
    )
    assert normalize_wallet(monero) == monero
    _rejects(EntityType.WALLET, "1A1zP1eP5QGefi2D MPTfTL5SLmv7DivfNa", "contains whitespace")
    _rejects(EntityType.WALLET, "short123", "not a wallet address")
    _rejects(EntityType.WALLET, "not/a-wallet_address_at_all", "not a wallet address")


# --------------------------------------------------------------------------- identifiers


def test_tracking_numbers() -> None:
    assert normalize_tracking_number("1z 999-aa1 01 2345 6784") == "1Z999AA10123456784"
    # UPU S10: weights 8 6 4 2 3 5 9 7 over "12345678" give 204; 11 - 204 % 11 = 5.
    assert normalize_tracking_number("EE 123 456 785 US") == "EE123456785US"
    _rejects(EntityType.TRACKING_NUMBER, "EE123456784US", "check digit does not match")
    _rejects(EntityType.TRACKING_NUMBER, "AB12", "not a tracking number")
    _rejects(EntityType.TRACKING_NUMBER, "ABC/123456", "not a tracking number")


def test_vessel_imo() -> None:
    # 9*7 + 0*6 + 7*5 + 4*4 + 7*3 + 2*2 = 139 -> check digit 9
    keys = {
        normalize_vessel("IMO 9074729"),
        normalize_vessel("IMO9074729"),
        normalize_vessel("MV Nordic Star (IMO No. 9074729)"),
        normalize_vessel("9074729"),
    }
    assert keys == {"IMO9074729"}
    _rejects(EntityType.VESSEL, "IMO 9074728", "IMO number check digit does not match")
    _rejects(EntityType.VESSEL, "IMO 907472", "IMO number must have 7 digits")


def test_vessel_names() -> None:
    assert normalize_vessel("M/V Ever Given") == normalize_vessel("EVER GIVEN") == "ever given"
    assert normalize_vessel("MT Ocean Queen") != normalize_vessel("Ocean King")
    assert normalize_vessel("Imogen") == "imogen"


def test_bank_accounts() -> None:
    assert normalize_bank_account("GB82 WEST 1234 5698 7654 32") == "GB82WEST12345698765432"
    assert normalize_bank_account("IBAN: gb82-west-1234-5698-7654-32") == "GB82WEST12345698765432"
    assert normalize_bank_account("DE89 3704 0044 0532 0130 00") == "DE89370400440532013000"
    _rejects(EntityType.BANK_ACCOUNT, "GB82 WEST 1234 5698 7654 33", "IBAN check digits")
    _rejects(EntityType.BANK_ACCOUNT, "GB28 WEST 1234 5698 7654 32", "IBAN check digits")
    _rejects(EntityType.BANK_ACCOUNT, "GB82 WEST", "not an IBAN")
    assert normalize_bank_account("0123-4567-89") == "0123456789"
    assert normalize_bank_account("002 180 0123 4567 8901 2") == "0021800123456789012"
    _rejects(EntityType.BANK_ACCOUNT, "12", "not a bank account")


def test_license_plates() -> None:
    keys = {
        normalize_license_plate("abc-123"),
        normalize_license_plate("ABC 123"),
        normalize_license_plate("A.B.C. 123"),
    }
    assert keys == {"ABC123"}
    assert normalize_license_plate("А123ВС 77") == normalize_license_plate("A123BC77")  # Cyrillic
    _rejects(EntityType.LICENSE_PLATE, "ABC/123", "not a license plate")


def test_websites() -> None:
    keys = {
        normalize_website("https://www.Example.com:8443/shop?item=1#top"),
        normalize_website("example.com"),
        normalize_website("http://user:pw@EXAMPLE.COM."),
        normalize_website("hxxps://www[.]example[.]com/path"),
        normalize_website("//example.com/"),
    }
    assert keys == {"example.com"}
    assert normalize_website("http://shop.example.com") == "shop.example.com"
    assert normalize_website("https://Bücher.de/x") == "xn--bcher-kva.de"
    assert normalize_website("http://192.168.0.1:8080/") == "192.168.0.1"
    assert normalize_website("www.com") == "www.com"
    _rejects(EntityType.WEBSITE, "http://localhost/", "website host has no dot")
    _rejects(EntityType.WEBSITE, "exa mple.com", "not a website address")
    _rejects(EntityType.WEBSITE, "http://exa_mple.com", "not a valid host name")
    _rejects(EntityType.WEBSITE, "http://example.com:http", "not a website address")


def test_other() -> None:
    assert normalize_other("  Fentanyl —  Precursor! ") == "fentanyl precursor"


# --------------------------------------------------------------------------- properties

_REGIONS = st.sampled_from([None, "MX", "US", "DE", "CN", "ZZ", "mx"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(list(EntityType)), st.text(max_size=80), _REGIONS)
def test_only_value_error_on_arbitrary_text(
    entity_type: EntityType, value: str, region: str | None
) -> None:
    try:
        key = normalize_entity_value(entity_type, value, default_region=region)
    except ValueError:
        return
    assert key
    assert len(key) <= 1000
    assert key == key.strip()


_IDEMPOTENT = [
    EntityType.COMPANY,
    EntityType.PERSON,
    EntityType.OTHER,
    EntityType.EMAIL,
    EntityType.ADDRESS,
    EntityType.TRACKING_NUMBER,
    EntityType.LICENSE_PLATE,
    EntityType.BANK_ACCOUNT,
]
_WORDY = st.lists(
    st.sampled_from(
        [
            "Acme",
            "S.A.",
            "de",
            "C.V.",
            "Co.,",
            "Ltd",
            "y",
            "&",
            "the",
            "ООО",
            "Dr.",
            "Pérez",
            "Juan,",
            "N°",
            "#12",
            "Av.",
            "south",
            "n",
            "c",
            "p",
            "s",
            "a",
            "有限公司",
            "@",
            ".com",
            "x",
            "Straße",
            "A/S",
            "L.L.C.",
        ]
    )
    | st.text(max_size=8),
    max_size=6,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_IDEMPOTENT), st.one_of(st.text(max_size=40), _WORDY))
def test_keys_are_fixed_points(entity_type: EntityType, value: str) -> None:
    """Normalising a key again gives the same key, so keys can be recomputed from keys."""
    try:
        key = normalize_entity_value(entity_type, value)
    except ValueError:
        return
    assert normalize_entity_value(entity_type, key) == key


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_fold_text_is_idempotent(value: str) -> None:
    folded = fold_text(value)
    assert fold_text(folded) == folded
    assert folded == " ".join(folded.split())
