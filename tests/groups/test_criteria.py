"""The criteria builder and RSQL: round trips never change meaning (property-based)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from groups import criteria as crit
from symbl_admin import rsql
from tests.support.criteria import to_ast

keys = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,11}", fullmatch=True)
plain_value = st.from_regex(r"[A-Za-z0-9@.:_-]{1,12}", fullmatch=True)
spaced_value = st.from_regex(r"[A-Za-z0-9]{1,5}( [A-Za-z0-9]{1,5}){0,2}", fullmatch=True)
values = st.one_of(plain_value, spaced_value, st.sampled_from(["and", "or", "a'b", 'say "hi"']))


@st.composite
def conditions(draw, selectors):
    selector = draw(st.sampled_from(selectors))
    op = draw(st.sampled_from([op for op, _ in crit.OPERATORS]))
    count = draw(st.integers(1, 3)) if op in crit.MULTI else 1
    vals = tuple(draw(st.lists(values, min_size=count, max_size=count)))
    if op in crit.MULTI:
        vals = tuple(v for v in vals if "," not in v) or ("x",)
    return rsql.Comparison(selector=selector, op=op, values=vals)


@st.composite
def expressible(draw):
    """Builder-expressible trees: one comparison or a flat and/or, at most two selectors."""
    pool = [
        f"conversation.metadata.{k}"
        for k in draw(st.lists(keys, min_size=1, max_size=2, unique=True))
    ]
    if draw(st.booleans()):
        pool.append(f"conversation.{draw(st.sampled_from(crit.CONVERSATION_FIELDS))}")
        pool = pool[-2:]
    items = draw(st.lists(conditions(pool), min_size=1, max_size=4))
    if len(items) == 1:
        return items[0]
    return rsql.And(items=tuple(items)) if draw(st.booleans()) else rsql.Or(items=tuple(items))


@settings(max_examples=200, deadline=None)
@given(expressible())
def test_tree_to_builder_to_text_parses_to_the_same_tree(tree):
    builder = crit.from_ast(tree)
    assert builder is not None
    assert rsql.parse(crit.to_text(builder)) == tree


@settings(max_examples=200, deadline=None)
@given(expressible())
def test_canonical_text_opens_in_builder_and_round_trips(tree):
    text = rsql.to_rsql(tree)
    builder = crit.from_text(text)
    assert builder is not None
    assert rsql.parse(crit.check_builder(builder)) == rsql.parse(text)


@settings(max_examples=100, deadline=None)
@given(expressible())
def test_builder_rows_typed_back_give_the_same_tree(tree):
    builder = crit.from_ast(tree)
    rows = [
        crit.condition_from_input(c.kind, c.key, c.op, c.value_text, i)
        for i, c in enumerate(builder.conditions)
    ]
    again = crit.Builder(join=builder.join, conditions=tuple(rows))
    assert to_ast(again) == to_ast(builder)


def test_nested_criteria_stay_in_text_mode():
    text = "(conversation.metadata.a==1,conversation.metadata.a==2);conversation.metadata.b==3"
    assert crit.from_text(text) is None


def test_symbolic_operators_open_as_words_with_the_same_meaning():
    builder = crit.from_text("conversation.metadata.score>5")
    assert builder.conditions[0].op == "=gt="
    assert crit.normalized(rsql.parse(crit.to_text(builder))) == crit.normalized(
        rsql.parse("conversation.metadata.score>5")
    )


def test_values_with_outer_spaces_are_not_trimmed_silently():
    assert crit.from_text('conversation.metadata.a==" x"') is None


def test_third_parameter_is_refused_with_a_clear_message():
    builder = crit.Builder(
        join="and",
        conditions=tuple(
            crit.Condition(kind="metadata", key=k, op="==", values=("1",)) for k in ("a", "b", "c")
        ),
    )
    try:
        crit.check_builder(builder)
    except crit.BuilderError as exc:
        assert exc.row == 2
        assert "at most 2 different fields" in exc.message
    else:
        raise AssertionError("a third parameter was accepted")


def test_same_parameter_twice_counts_once():
    builder = crit.from_text(
        "conversation.metadata.a==1 or conversation.metadata.a==2 or conversation.metadata.b==3"
    )
    assert crit.check_builder(builder)


def test_describe_in_words():
    text = "conversation.metadata.agentId==johndoe and conversation.metadata.customerId==88338833"
    assert crit.describe(text) == "agentId is johndoe and customerId is 88338833"


def test_describe_nested_uses_parentheses():
    text = "(conversation.metadata.a==1,conversation.metadata.a==2);conversation.type==meeting"
    assert crit.describe(text) == "(a is 1 or a is 2) and type is meeting"


def test_metadata_key_suggestions():
    texts = [
        "conversation.metadata.agentId==x",
        "conversation.metadata.customerId==1;conversation.type==m",
        "broken==",
    ]
    assert crit.metadata_keys(texts) == ["agentId", "customerId"]


def test_row_input_errors_name_the_row():
    try:
        crit.condition_from_input("metadata", "agent id", "==", "x", 1)
    except crit.BuilderError as exc:
        assert exc.message.startswith("Condition 2:")
    else:
        raise AssertionError


def test_full_selector_typed_into_the_key_box_is_understood():
    condition = crit.condition_from_input("metadata", "conversation.type", "==", "meeting", 0)
    assert (condition.kind, condition.key) == ("conversation", "type")
