"""Per-organization settings for letters (emblem, signer, owning unit, digits)."""
