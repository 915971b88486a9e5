import pytest

from trackers.rules import check_tracker, disallowed_characters, phrase_hints, split_phrases

GOOD = ["special promotion", "discount of 10 percent", "month special", "sale right now", "promo"]


def test_split_phrases_trims_and_drops_blank_lines():
    assert split_phrases("  a \r\n\n b\n   \n") == ["a", "b"]


@pytest.mark.parametrize(
    "phrase", ["I can’t afford this", "it's fine", "e-mail me", "v1.2", "Größe 10", "価格"]
)
def test_allowed_characters(phrase):
    assert disallowed_characters(phrase) == []


@pytest.mark.parametrize(
    ("phrase", "bad"),
    [
        ("what?", ["?"]),
        ("a, b!", [",", "!"]),
        ('say "hi"', ['"']),
        ("(x)", ["(", ")"]),
        ("a:b;c", [":", ";"]),
    ],
)
def test_disallowed_punctuation(phrase, bad):
    assert disallowed_characters(phrase) == bad


def test_good_tracker_passes_without_hints():
    check = check_tracker("Promotion Mention", GOOD)
    assert check.ok
    assert check.hints == []
    assert check.phrase_hints == {}


def test_name_required():
    assert check_tracker("   ", GOOD).name_errors == ["Give the tracker a name."]


def test_at_least_one_phrase():
    assert not check_tracker("x", []).ok


def test_more_than_fifty_phrases_refused():
    check = check_tracker("x", [f"phrase {i}" for i in range(51)])
    assert "at most 50 phrases" in check.phrases_errors[0]


def test_fifty_phrases_allowed():
    assert check_tracker("x", [f"phrase {i}" for i in range(50)]).ok


def test_fewer_than_five_is_a_hint_not_an_error():
    check = check_tracker("x", ["one", "two"])
    assert check.ok
    assert "at least 5 phrases" in check.hints[0]


def test_duplicate_phrase_marked_at_second_occurrence():
    check = check_tracker("x", ["a", "b", "a"])
    assert list(check.phrase_errors) == [2]
    assert "same as phrase 1" in check.phrase_errors[2][0]


def test_case_differences_are_not_duplicates():
    assert check_tracker("x", ["Sale", "sale", "a", "b", "c"]).ok


def test_punctuation_error_names_the_phrase():
    check = check_tracker("x", ["fine", "why?"])
    messages = check.phrase_error_messages(["fine", "why?"])
    assert messages == [
        "Phrase 2 (“why?”): remove “?” — only letters, digits, spaces and . ' - are allowed."
    ]


def test_body_over_one_megabyte_refused():
    big = ["x" * 30_000 + str(i) for i in range(36)]
    check = check_tracker("x", big)
    assert any("1 MB" in e for e in check.phrases_errors)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("I think the price is high", "adds no meaning"),
        ("could you please send the quote", "adds no meaning"),
        ("I used to like it but not anymore", "“but”"),
        ("one two three four five six seven eight nine ten eleven twelve thirteen", "Long phrase"),
    ],
)
def test_best_practice_hints(phrase, expected):
    assert any(expected in hint for hint in phrase_hints(phrase))


def test_no_hint_for_plain_phrase():
    assert phrase_hints("subscription fees") == []


def test_later_fields_follow_the_contract():
    check = check_tracker(
        "Sales",
        ["price", "discount"],
        description="x" * 513,
        categories=["sales", "sales", "y" * 65] + [f"c{i}" for i in range(19)],
        languages=["en-US", "english", "en-US"],
        excluded=["price", "why?"],
    )
    assert check.description_errors == ["Use at most 512 characters (513 now)."]
    assert any("At most 20 categories" in e for e in check.categories_errors)
    assert any("longer than 64 characters" in e for e in check.categories_errors)
    assert "Listed twice: sales." in check.categories_errors
    assert check.languages_errors == [
        "“english” is not a language tag or a language we know by name; type a tag like "
        "en-US, fr-FR or es, or a name like English or French.",
        "A language is listed twice.",
    ]
    assert check.excluded_phrase_errors[0] == [
        "it is also a phrase to listen for; a phrase cannot be in both lists."
    ]
    assert "remove “?”" in check.excluded_phrase_errors[1][0]
    assert not check.ok


def test_later_fields_that_follow_the_rules_pass():
    check = check_tracker(
        "Sales",
        ["price", "discount", "offer", "deal", "coupon"],
        description="Pricing talk",
        categories=["sales", "billing"],
        languages=["en-US", "fr-FR", "es"],
        excluded=["price list download"],
    )
    assert check.ok
