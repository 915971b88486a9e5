"""Writes local_api/demo_conversations.json: about fifty demo conversations (sales calls,
support calls, voicemails, internal meetings) in the Async API's own request shape, with the
metadata the demo groups select (agentId, customerId, callType, label) and sentences that the
demo trackers catch, word for word or in other words, beside ordinary talk.

Seeded, so the file is the same on every run: `python scripts/demo_conversations.py`.
Times are anchored at ANCHOR; `manage.py seed_demo` moves them so the newest call ends
yesterday.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "local_api" / "demo_conversations.json"
ANCHOR = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)

AGENTS = [
    ("johndoe", "John Doe"),
    ("janedoe", "Jane Doe"),
    ("priya.k", "Priya Kumar"),
    ("marcus.l", "Marcus Lee"),
]
CUSTOMERS = [
    ("88338833", "Acme Corp", "Sarah Miller"),
    ("44120987", "Globex", "Tom Becker"),
    ("55001234", "Initech", "Maria Lopez"),
    ("77889900", "Umbrella Health", "Ken Adams"),
    ("31415926", "Stark Logistics", "Ana Silva"),
]

SALES_OPEN = [
    "Hi {customer}, this is {agent} from Symbl Cloud.",
    "Thank you for taking some time to speak with me today.",
    "Hi, this is {agent}, thank you for taking some time to speak with me this morning.",
    "Have you ever considered moving your call analytics to one place?",
    "Have you ever noticed how much time your team spends on call notes?",
]
SALES_AGENT = [
    "We have a special promotion going on if you book this before the end of the month.",
    "I can offer you a discount of 10 percent, you being a new customer for us.",
    "We have a sale right now on the annual plan.",
    "The subscription fees depend on how many agents you have.",
    "Most teams are live within two weeks.",
    "I can send you a proposal with two options today.",
    "We can start with a pilot for one team.",
    "Our reports show every call's topics and follow-ups.",
]
SALES_CUSTOMER = [
    "What's the price for fifty seats?",
    "Honestly, I can't afford this at the moment.",
    "Our main use case is coaching new support agents.",
    "I need something that works with our existing phone system.",
    "We require single sign-on for every tool we buy.",
    "Could you send me a few quotes for different team sizes?",
    "The reporting part fits our requirement quite well.",
    "I am skeptical about automatic transcripts being accurate enough.",
    "My only problem is the onboarding time.",
    "Are there any discounts for a two-year contract?",
    "I am not interested in the video features right now.",
    "Let me check with my manager and get back to you on Friday.",
    "How long does the setup usually take?",
]
# Support calls: scripted turns, "c" the customer and "a" the agent.
SUPPORT_SCRIPTS = [
    [
        ("c", "Hi, I am calling because the dashboard will not load for our team."),
        ("a", "I'm sorry to hear that, let me look at your account."),
        ("a", "Can you tell me when the problem started?"),
        ("c", "It started yesterday after the update."),
        ("c", "This makes me uncomfortable, we have a client demo tomorrow."),
        ("a", "I see the issue, your single sign-on certificate expired."),
        ("c", "My only issue is that nobody told us it would expire."),
        ("a", "I will renew it now and send you a confirmation email."),
        ("c", "Thanks, that was quick."),
    ],
    [
        ("c", "The export to spreadsheets is not so good, the dates come out wrong."),
        ("a", "Thanks for telling us, which spreadsheet program do you use?"),
        ("c", "We use the one that came with our laptops."),
        ("a", "I will open a ticket with our engineers for the date format."),
        ("a", "Is there anything else I can help you with today?"),
        ("c", "No, that's all, thank you."),
    ],
    [
        ("c", "We were told reports would arrive every Monday, but nothing came."),
        ("c", "This does not fit how our team works, we need weekly reports."),
        ("a", "You can schedule weekly reports from the settings page."),
        ("a", "I can set it up for you now if you like."),
        ("c", "Yes please, send them to the whole team."),
        ("a", "Done, the first one goes out next Monday morning."),
    ],
]
VOICEMAIL = [
    "Hi, you have reached the office of {customer_company}.",
    "Our offices are currently closed.",
    "Please leave a message after the tone.",
    "Leave your name and number and we will return your call as soon as possible.",
    "If you are calling about an emergency, please hang up and dial your local number.",
    "Sorry we missed your call.",
]
VOICEMAIL_REPLY = [
    "Hi {customer}, this is {agent} from Symbl Cloud returning your call.",
    "Please call me back at your convenience, I can call after four as well.",
    "Talk soon, bye.",
]
INTERNAL = [
    "Okay, let's start with the pipeline review.",
    "Acme Corp is close to signing, they asked for quotes last week.",
    "Globex wants a pilot before they commit.",
    "We need better answers on pricing for small teams.",
    "Support volume went down eight percent this month.",
    "The new certificate alerts should stop the sign-on tickets.",
    "Let's move the training session to Thursday.",
    "Who is taking the Initech follow-up?",
    "I will take it, I spoke with Maria last time.",
    "Great, that's everything for today.",
]


def _messages(rng, lines, speakers, start):
    """One message per line, the speakers taking turns (the list repeats), 4–12 seconds each."""
    out, at = [], start
    for i, line in enumerate(lines):
        user_id, name = speakers[i % len(speakers)]
        end = at + timedelta(seconds=rng.randint(4, 12))
        out.append(
            {
                "payload": {"content": line, "contentType": "text/plain"},
                "from": {"name": name, "userId": user_id},
                "duration": {"startTime": _iso(at), "endTime": _iso(end)},
            }
        )
        at = end + timedelta(seconds=rng.randint(1, 3))
    return out


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _fill(lines, agent, customer):
    words = {"agent": agent[1], "customer": customer[2], "customer_company": customer[1]}
    return [line.format(**words) for line in lines]


def build(count: int = 50, seed: int = 20261207) -> list[dict]:
    rng = random.Random(seed)
    kinds = ["sales"] * 20 + ["support"] * 15 + ["voicemail"] * 7 + ["internal"] * 8
    rng.shuffle(kinds)
    conversations = []
    for n, kind in enumerate(kinds[:count]):
        agent = AGENTS[0] if n % 3 == 0 else rng.choice(AGENTS)
        customer = CUSTOMERS[0] if n % 4 == 0 else rng.choice(CUSTOMERS)
        start = ANCHOR - timedelta(days=rng.randint(0, 29), hours=rng.randint(0, 8))
        start = start.replace(minute=rng.randint(0, 59))
        you = (agent[0], agent[1])
        them = (f"customer-{customer[0]}", customer[2])
        if kind == "sales":
            lines = [rng.choice(SALES_OPEN[:1]), rng.choice(SALES_OPEN[1:])]
            turns = rng.randint(3, 5)
            for said, heard in zip(
                rng.sample(SALES_CUSTOMER, turns), rng.sample(SALES_AGENT, turns), strict=True
            ):
                lines += [said, heard]
            speakers = [you, you] + [them, you] * turns
            title = f"Sales call with {customer[1]}"
        elif kind == "support":
            script = rng.choice(SUPPORT_SCRIPTS)
            lines = [line for _, line in script]
            speakers = [them if who == "c" else you for who, _ in script]
            title = f"Support call: {customer[1]}"
        elif kind == "voicemail":
            lines = [VOICEMAIL[i] for i in sorted(rng.sample(range(len(VOICEMAIL)), 4))]
            lines += VOICEMAIL_REPLY
            speakers, title = [them] * 4 + [you] * 3, f"Voicemail for {customer[1]}"
        else:
            picked = sorted(rng.sample(range(1, len(INTERNAL) - 1), rng.randint(4, 7)))
            lines = [INTERNAL[0], *(INTERNAL[i] for i in picked), INTERNAL[-1]]
            other = rng.choice([a for a in AGENTS if a != agent])
            speakers, title = [you, other], "Weekly sales and support sync"
        messages = _messages(rng, _fill(lines, agent, customer), speakers, start)
        metadata = {"agentId": agent[0], "callType": kind}
        if kind == "internal":
            metadata["label"] = "Internal"
        else:
            metadata.update(customerId=customer[0], label="External", company=customer[1])
        conversations.append(
            {
                "name": f"{title} ({start:%b} {start.day})",
                "messages": messages,
                "metadata": metadata,
            }
        )
    return sorted(conversations, key=lambda c: c["messages"][0]["duration"]["startTime"])


def main() -> None:
    about = (
        "Demo conversations for `manage.py seed_demo`, written by scripts/demo_conversations.py "
        f"(seeded; times anchored at {_iso(ANCHOR)} and moved at seeding so the newest is recent). "
        "Each item is a POST /v1/process/text body."
    )
    OUT.write_text(
        json.dumps({"_about": about, "conversations": build()}, indent=1, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
