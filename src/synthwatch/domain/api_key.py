"""API keys: a random secret shown once, stored only as a hash, looked up by a public prefix."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from synthwatch.domain.member import Role

KEY_PREFIX = "sw"


@dataclass(frozen=True, slots=True)
class NewApiKey:
    """A freshly made key: `plaintext` is given to the user once and never stored."""

    plaintext: str
    key_id: str
    secret_hash: str


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored key, without its secret."""

    key_id: str
    member: str
    role: Role
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


def new_api_key() -> NewApiKey:
    """Make a key `sw_<id>_<secret>`; 256 bits of secret make a fast hash safe to store."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return NewApiKey(f"{KEY_PREFIX}_{key_id}_{secret}", key_id, hash_secret(secret))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_api_key(plaintext: str) -> tuple[str, str]:
    """Return (key id, secret) of a key as printed; raise ValueError if it is not one of ours."""
    parts = plaintext.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        raise ValueError("not a synthwatch API key")
    return parts[1], parts[2]


def is_secret_match(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), secret_hash)
