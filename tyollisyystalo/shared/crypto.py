"""Authenticated encryption and keyed hashing of personal data (see ADR 0002).

Values are encrypted with AES-256-GCM under ``FIELD_ENCRYPTION_KEY``; the field's name is the
associated data, so a ciphertext moved to another column fails to decrypt. The stored form is
``v1:<key id>:<base64(nonce || ciphertext)>``; older keys in ``FIELD_ENCRYPTION_OLD_KEYS`` still
decrypt during a rotation. Exact-match lookups use an HMAC-SHA256 with a key derived from the
current encryption key by HKDF, so the hash reveals nothing without the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1"


class DecryptionError(Exception):
    """A stored value could not be authenticated with any configured key."""


def _decode_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be URL-safe base64.") from exc
    if len(key) != 32:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must decode to 32 bytes.")
    return key


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"tt-key-id" + key).hexdigest()[:8]


@lru_cache(maxsize=8)
def _keyring(current: str, old: tuple[str, ...]) -> tuple[str, dict[str, AESGCM], bytes]:
    current_key = _decode_key(current)
    ring = {_key_id(current_key): AESGCM(current_key)}
    for text in old:
        key = _decode_key(text)
        ring.setdefault(_key_id(key), AESGCM(key))
    hash_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"tt-lookup-hash").derive(
        current_key
    )
    return _key_id(current_key), ring, hash_key


def _current() -> tuple[str, dict[str, AESGCM], bytes]:
    return _keyring(settings.FIELD_ENCRYPTION_KEY, tuple(settings.FIELD_ENCRYPTION_OLD_KEYS))


def encrypt(plaintext: str, *, context: str) -> str:
    key_id, ring, _ = _current()
    nonce = os.urandom(12)
    sealed = ring[key_id].encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
    return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str, *, context: str) -> str:
    try:
        prefix, key_id, payload = token.split(":", 2)
        blob = base64.b64decode(payload.encode("ascii"), validate=True)
    except ValueError as exc:
        raise DecryptionError("Malformed encrypted value.") from exc
    _, ring, _ = _current()
    aead = ring.get(key_id)
    if prefix != PREFIX or aead is None or len(blob) < 13:
        raise DecryptionError("No key for this encrypted value.")
    try:
        return aead.decrypt(blob[:12], blob[12:], context.encode("utf-8")).decode("utf-8")
    except InvalidTag as exc:
        raise DecryptionError("Encrypted value failed authentication.") from exc


def keyed_hash(value: str, *, purpose: str) -> str:
    """Deterministic HMAC for exact lookups (e.g. henkilötunnus)."""
    _, _, hash_key = _current()
    message = purpose.encode("utf-8") + b"\x00" + value.encode("utf-8")
    return hmac.new(hash_key, message, hashlib.sha256).hexdigest()


BYTES_MAGIC = b"TTB1"


def encrypt_bytes(data: bytes, *, context: str) -> bytes:
    """A file's bytes sealed with the current key (AES-GCM, ``context`` bound as associated data):
    magic, key id length and id, nonce, ciphertext."""
    key_id, ring, _ = _current()
    nonce = os.urandom(12)
    ident = key_id.encode("ascii")
    sealed = ring[key_id].encrypt(nonce, data, context.encode("utf-8"))
    return BYTES_MAGIC + bytes([len(ident)]) + ident + nonce + sealed


def decrypt_bytes(blob: bytes, *, context: str) -> bytes:
    if not blob.startswith(BYTES_MAGIC) or len(blob) < len(BYTES_MAGIC) + 14:
        raise DecryptionError("Malformed encrypted file.")
    size = blob[len(BYTES_MAGIC)]
    start = len(BYTES_MAGIC) + 1
    key_id = blob[start : start + size].decode("ascii", errors="replace")
    nonce = blob[start + size : start + size + 12]
    _, ring, _ = _current()
    aead = ring.get(key_id)
    if aead is None:
        raise DecryptionError("No key for this encrypted file.")
    try:
        return aead.decrypt(nonce, blob[start + size + 12 :], context.encode("utf-8"))
    except InvalidTag as exc:
        raise DecryptionError("Encrypted file failed authentication.") from exc
