"""Property-based tests (hypothesis) of the readers and the library.

Whatever bytes a file holds, a reader yields documents or one-line input errors
and never raises; whatever text the library is given, every analyzer that runs
without spaCy ends ok, not_applicable or failed (never an escaped exception),
every offset is valid and the result always serializes.
"""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copydesk import Document, Engine, InputError
from copydesk.io.readers import MAX_CHARS, read_json, read_jsonl, read_plain_text
from copydesk.model import check_span

READERS = {"text": read_plain_text, "json": read_json, "jsonl": read_jsonl}
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def read_all(reader: str, raw: bytes, limit: int = 10_000) -> list[Document | InputError]:
    token = MAX_CHARS.set(limit)
    try:
        return list(READERS[reader](io.BufferedReader(io.BytesIO(raw)), "input"))
    finally:
        MAX_CHARS.reset(token)


@FAST
@given(raw=st.binary(max_size=3000), reader=st.sampled_from(sorted(READERS)))
def test_readers_never_raise_on_any_bytes(raw, reader):
    for item in read_all(reader, raw):
        assert isinstance(item, Document | InputError)
        if isinstance(item, InputError):
            assert "\n" not in str(item)  # one line
        else:
            item.text.encode("utf-8")  # always writable
            json.loads(item.model_dump_json())


@FAST
@given(obj=json_values)
def test_any_json_value_is_a_document_or_one_error(obj):
    line = json.dumps({"id": "x", "text": "Some text.", "meta": {"v": obj}}) + "\n"
    [item] = read_all("jsonl", line.encode())
    assert isinstance(item, Document)
    assert item.meta["v"] == obj


@FAST
@given(depth=st.integers(min_value=1, max_value=3000))
def test_deep_nesting_is_one_line_not_a_crash(depth):
    line = '{"id": "x", "text": "T.", "meta": {"v": ' + "[" * depth + "]" * depth + "}}\n"
    [item] = read_all("jsonl", line.encode())
    if depth < 60:
        assert isinstance(item, Document)
        json.loads(item.model_dump_json())
    elif depth > 64:
        assert isinstance(item, InputError)
        assert "nested too deeply" in str(item)


@FAST
@given(size=st.integers(min_value=0, max_value=200))
def test_inputs_over_the_limit_are_refused_while_reading(size):
    raw = b"word " * size
    items = read_all("text", raw, limit=100)
    if len(raw) > 4 * 100 + 4:
        assert "is too long" in str(items[0])


_ENGINE = Engine(analyzers=["stats", "readability"], disable_autoload=True)
_ENGINE.load()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1, max_size=400))
def test_library_results_are_valid_for_any_text(text):
    try:
        doc = Document(id="t", text=text)
    except ValueError:
        return  # lone surrogates are refused at the door
    [result] = list(_ENGINE.analyze_many([doc]))
    if isinstance(result, InputError):
        assert "empty" in str(result)
        return
    for run in result.analyzers:
        assert run.status.value in {"ok", "not_applicable", "failed"}
    for finding in result.findings:
        check_span(text, finding.start, finding.end, finding.text)
    json.loads(result.model_dump_json())
