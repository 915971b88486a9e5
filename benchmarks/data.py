"""The account `make bench` measures, the same every run (seeded): trackers at the contract's
limits with every later field filled, groups with RSQL criteria, audit entries like the
dashboard writes."""

from __future__ import annotations

import random
import re
from typing import Any

WORDS = [
    "price",
    "discount",
    "offer",
    "special",
    "promotion",
    "month",
    "sale",
    "customer",
    "booking",
    "refund",
    "cancel",
    "upgrade",
    "plan",
    "contract",
    "renewal",
    "invoice",
    "payment",
    "card",
    "delivery",
    "shipping",
    "order",
    "return",
    "warranty",
    "support",
    "agent",
    "manager",
    "callback",
    "voicemail",
    "message",
    "account",
    "password",
    "login",
    "trial",
    "demo",
    "feature",
    "pricing",
    "quote",
    "budget",
    "competitor",
    "switch",
    "loyalty",
    "survey",
    "feedback",
]
CATEGORIES = ["sales", "support", "billing", "retention", "onboarding", "compliance", "churn"]
LANGUAGES = ["en-US", "en-GB", "fr-FR", "de-DE", "es-ES", "it-IT", "pt-BR"]
SEARCH = "voicemail refund"  # two words of some trackers' phrases: the search measure's query


def _phrases(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < count:
        phrase = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8)))
        if phrase not in taken:
            taken.add(phrase)
            out.append(phrase)
    return out


def trackers(count: int, phrases: int = 50, seed: int = 7) -> list[dict[str, Any]]:
    """`count` trackers of `phrases` phrases (3–8 words each) and every later field."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        taken: set[str] = set()
        vocabulary = _phrases(rng, phrases, taken)
        out.append(
            {
                "name": f"Tracker {i:03} {rng.choice(WORDS)} {rng.choice(WORDS)}",
                "vocabulary": vocabulary,
                "description": " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))),
                "categories": rng.sample(CATEGORIES, rng.randint(1, 3)),
                "languages": rng.sample(LANGUAGES, rng.randint(1, 2)),
                "excludeVocabulary": _phrases(rng, 10, taken),
            }
        )
    return out


def groups(count: int, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [
        {
            "name": f"Group {i:03} {rng.choice(WORDS)}",
            "description": " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 20))),
            "criteria": (
                f"conversation.metadata.agentId=={rng.choice(WORDS)}{i};"
                f"conversation.metadata.region=in=(north,{rng.choice(WORDS)})"
            ),
        }
        for i in range(count)
    ]


def group_agents(groups: list[dict[str, Any]]) -> list[str]:
    """The agentId each of `groups` selects (its criteria's first condition)."""
    return [re.search(r"agentId==([^;]+);", g["criteria"]).group(1) for g in groups]


# A group above selects its agent's conversations in the north (the other region it names is
# a word no conversation has): with these, about a fifth of its agent's conversations.
REGIONS = ("north", "south", "east", "west", "central")


def audit_items(objects: list[dict[str, Any]], count: int, start: int) -> list[dict[str, Any]]:
    """`count` audit items for `audit_record_many`: updates going round `objects` (each with
    its id and name), a phrase list before and after."""
    items = []
    for i in range(start, start + count):
        obj = objects[i % len(objects)]
        items.append(
            {
                "object_id": obj["id"],
                "object_name": obj["name"],
                "before": {"name": obj["name"], "vocabulary": ["a b c", f"d e f {i - 1}"]},
                "after": {"name": obj["name"], "vocabulary": ["a b c", f"d e f {i}"]},
            }
        )
    return items
