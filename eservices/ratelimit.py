"""Abuse limits for the public pages, kept in Django's cache (no outside service, no CAPTCHA).

Fixed windows: a counter per (rule, key, window number) that expires with its window. With
several web processes the cache must be shared (DatabaseCache or Redis; the default LocMemCache
counts per process, which only makes the limits looser, never stricter).

Rules (settings ESERVICES_RATE_LIMITS overrides any of them): name -> (count, seconds).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

DEFAULT_RULES = {
    "track_address": (10, 10 * 60),  # tracking look-ups per client address
    "track_code_failures": (5, 60 * 60),  # wrong phone digits per tracking code
    "submit_address": (5, 60 * 60),  # requests submitted per client address
    "document_address": (10, 60 * 60),  # documents added from tracking per client address
}


@dataclass
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the window ends


def rule(name: str) -> tuple[int, int]:
    return {**DEFAULT_RULES, **getattr(settings, "ESERVICES_RATE_LIMITS", {})}[name]


def client_address(request) -> str:
    """The client's address as django-axes sees it (honours PROXY_COUNT behind proxies)."""
    try:
        from axes.helpers import get_client_ip_address

        address = get_client_ip_address(request)
    except Exception:  # noqa: BLE001 - never let address parsing break a public page
        address = None
    return address or request.META.get("REMOTE_ADDR") or "unknown"


def _key(name: str, key: str, window: int, now: float) -> tuple[str, int]:
    number = int(now // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # no raw addresses or codes in cache keys
    return f"phrom:rl:{name}:{digest}:{number}", int(window - now % window) + 1


def check(name: str, key: str) -> Verdict:
    """Whether one more event is allowed now (does not count it)."""
    count, window = rule(name)
    cache_key, retry = _key(name, key, window, time.time())
    return Verdict(allowed=(cache.get(cache_key) or 0) < count, retry_after=retry)


def hit(name: str, key: str) -> Verdict:
    """Count one event; the verdict says whether it was within the limit."""
    count, window = rule(name)
    cache_key, retry = _key(name, key, window, time.time())
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        value = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        value = 1
    return Verdict(allowed=value <= count, retry_after=retry)
