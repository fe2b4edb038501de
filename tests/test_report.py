"""copydesk report: numbers checked against values computed here by hand from the results.

The corpus is the examples folder analyzed once (module fixture), saved as JSONL
with known outlets, authors, sections and dates; the port-strike article is
saved a second time as the only article of a third outlet (a one-document group).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import copydesk
from copydesk import AnalyzedDocument, Document, Engine
from copydesk.cli import cli

duckdb = pytest.importorskip("duckdb")

from copydesk.reporting import ReportError, make_report  # noqa: E402
from copydesk.reporting.outputs import write  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "articles"

META = {
    "port-strike": {
        "outlet": "Harbour Post",
        "published": "2026-11-02",
        "author": "Ana Ruiz",
        "section": "business",
    },
    "vessel-strikes": {
        "outlet": "Harbour Post",
        "published": "2026-11-09T08:30:00Z",
        "author": ["Ana Ruiz", "Ben Ode"],
        "section": "science",
    },
    "brief-001": {"outlet": "Wire", "published": "2026-11-19", "section": "metro"},
    "brief-002": {"outlet": "Wire", "published": "2026-12-01"},
}


@pytest.fixture(scope="module")
def analyzed() -> list[AnalyzedDocument]:
    docs = [
        Document(id="port-strike", text=(EXAMPLES / "port-strike.txt").read_text("utf-8")),
        Document(id="vessel-strikes", text=(EXAMPLES / "vessel-strikes.md").read_text("utf-8")),
    ]
    for line in (EXAMPLES / "briefs.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        docs.append(Document(id=item["id"], text=item["text"], title=item.get("title")))
    results = [r for r in Engine().analyze_many(docs) if isinstance(r, AnalyzedDocument)]
    out = []
    for r in results:
        out.append(
            r.model_copy(
                update={"document": r.document.model_copy(update={"meta": META[r.document.id]})}
            )
        )
    port = out[0]
    out.append(
        port.model_copy(
            update={
                "document": port.document.model_copy(
                    update={
                        "id": "port-strike-valley",
                        "meta": {"outlet": "Valley Times", "published": "2026-12-03"},
                    }
                )
            }
        )
    )
    return out


@pytest.fixture(scope="module")
def results(analyzed, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "results.jsonl"
    path.write_text("".join(r.model_dump_json() + "\n" for r in analyzed), encoding="utf-8")
    return path


def _of(analyzed: list[AnalyzedDocument], outlet: str) -> list[AnalyzedDocument]:
    return [r for r in analyzed if r.document.meta.get("outlet") == outlet]


def _attributions(docs: list[AnalyzedDocument]) -> list[Any]:
    return [f for r in docs for f in r.findings_of("sourcing", "attribution")]


def _wilson(k: int, n: int) -> tuple[float, float]:
    z = 1.96
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")  # linear, as quantile_cont
    return q[0], q[1], q[2]


@pytest.mark.slow
def test_every_number_of_one_group_by_hand(analyzed, results):
    report = copydesk.report(results, by=["outlet"])
    group = _of(analyzed, "Harbour Post")
    assert len(group) == 2
    (row,) = report.group(outlet="Harbour Post")
    words = sum(len(r.document.text.split()) for r in group)
    attributions = _attributions(group)
    types = Counter(f.label for f in attributions)
    n = len(attributions)
    assert n > 0
    assert row["documents"] == 2
    assert row["words"] == words
    assert row["sourcing.attributions"] == n
    assert row["sourcing.attributions_per_1000_words"] == pytest.approx(1000 * n / words)
    assert row["sourcing.anonymous_share"] == pytest.approx(types["anonymous"] / n)
    low, high = _wilson(types["anonymous"], n)
    assert row["sourcing.anonymous_share_low"] == pytest.approx(low)
    assert row["sourcing.anonymous_share_high"] == pytest.approx(high)
    assert row["sourcing.named_to_anonymous"] == pytest.approx(
        types["named_person"] / types["anonymous"]
    )
    direct = sum(f.data["quote_type"] == "direct" for f in attributions)
    assert row["sourcing.direct_quote_share"] == pytest.approx(direct / n)
    hedges = sum(len(r.findings_of("hedging", "hedge")) for r in group)
    boosters = sum(len(r.findings_of("hedging", "booster")) for r in group)
    assert row["hedging.hedges_per_100_words"] == pytest.approx(100 * hedges / words)
    assert row["hedging.boosters_per_100_words"] == pytest.approx(100 * boosters / words)
    assert row["hedging.uncertain_sentence_share"] == pytest.approx(
        statistics.mean(r.metrics["hedging.uncertain_sentence_share"] for r in group)
    )
    grades = [r.metrics["readability.consensus_grade"] for r in group]
    p25, median, p75 = _quartiles(grades)
    assert row["readability.consensus_grade_median"] == pytest.approx(median)
    assert row["readability.consensus_grade_iqr"] == pytest.approx(p75 - p25)

    # source types, from the findings
    shares = {
        r["source_type"]: r for r in report.group("sourcing.source_types", outlet="Harbour Post")
    }
    assert {k: v["attributions"] for k, v in shares.items()} == dict(types)
    assert sum(v["share"] for v in shares.values()) == pytest.approx(1.0)
    # distinct named people quoted (sourcing names each with its full name)
    (distinct,) = report.group("sourcing.distinct_sources", outlet="Harbour Post")
    named = {f.data["source_name"] for f in attributions if f.label == "named_person"}
    assert distinct["people"] == len(named)
    # requests for comment by outcome
    outcomes = Counter(f.label for r in group for f in r.findings_of("sourcing", "comment_request"))
    got = {
        r["outcome"]: r["requests"]
        for r in report.group("sourcing.comment_requests", outlet="Harbour Post")
    }
    assert got == dict(outcomes)
    # hedges by category, per 100 words
    categories = Counter(f.label for r in group for f in r.findings_of("hedging", "hedge"))
    got_cat = {
        r["category"]: r
        for r in report.group("hedging.categories", outlet="Harbour Post")
        if r["kind"] == "hedge"
    }
    assert {k: v["cues"] for k, v in got_cat.items()} == dict(categories)
    for name, count in categories.items():
        assert got_cat[name]["per_100_words"] == pytest.approx(100 * count / words)
    # readability formulas: median and IQR of each
    formulas = {
        r["formula"]: r for r in report.group("readability.formulas", outlet="Harbour Post")
    }
    fk = [r.metrics["readability.flesch_kincaid_grade"] for r in group]
    q = _quartiles(fk)
    assert formulas["flesch_kincaid_grade"]["median"] == pytest.approx(q[1])
    assert formulas["flesch_kincaid_grade"]["iqr"] == pytest.approx(q[2] - q[0])
    # default statistics of a metric no aggregation names (stats.sentences)
    (stat,) = [
        r
        for r in report.group("metrics", outlet="Harbour Post")
        if r["metric"] == "stats.sentences"
    ]
    sentences = [r.metrics["stats.sentences"] for r in group]
    assert stat["mean"] == pytest.approx(statistics.mean(sentences))
    assert (stat["min"], stat["max"], stat["documents"]) == (min(sentences), max(sentences), 2)


@pytest.mark.slow
def test_people_are_counted_once_across_articles(analyzed, results):
    report = copydesk.report(results)  # the whole corpus, one group
    # By hand: each named attribution counts for the full name sourcing gave its
    # source ("De Vries" and "She" are Anouk de Vries), in the articles it occurs in.
    quotes: Counter[str] = Counter()
    articles: dict[str, set[str]] = defaultdict(set)
    for r in analyzed:
        for f in r.findings_of("sourcing", "attribution"):
            if f.label == "named_person":
                quotes[f.data["source_name"]] += 1
                articles[f.data["source_name"]].add(r.document.id)
    got = {row["name"]: row for row in report["sourcing.quoted_people"]}
    assert quotes["Anouk de Vries"] >= 4  # "Anouk de Vries", "De Vries", "she"...
    for name, count in quotes.items():
        assert got[name]["attributions"] == count
        assert got[name]["documents"] == len(articles[name])
    assert got["Anouk de Vries"]["documents"] == 2  # the same article in two outlets
    # entities: mentions of each person entity, under the entity's longest mention
    mentions: Counter[str] = Counter()
    for r in analyzed:
        for f in r.findings_of("entities", "entity"):
            if f.label == "PERSON":
                name = re.match(r"PERSON: (.+) \(", f.message or "").group(1)  # type: ignore[union-attr]
                mentions[name] += 1
    people = {row["name"]: row["mentions"] for row in report["entities.people"]}
    assert people == dict(mentions.most_common(10))


@pytest.mark.slow
def test_one_document_group_missing_field_and_periods(analyzed, results):
    report = copydesk.report(results, by="outlet")
    (valley,) = report.group(outlet="Valley Times")
    (doc,) = _of(analyzed, "Valley Times")
    assert valley["documents"] == 1
    assert (
        valley["readability.consensus_grade_median"] == doc.metrics["readability.consensus_grade"]
    )
    assert valley["readability.consensus_grade_iqr"] == 0
    assert 0 < valley["sourcing.anonymous_share_low"] < valley["sourcing.anonymous_share"]
    # a field some documents lack: their own group, and a note
    by_section = copydesk.report(results, by="section")
    assert by_section.group(section="(no section)")[0]["documents"] == 2
    assert any("2 of 5 documents have no 'section'" in n for n in by_section.notes)
    # a field no document has: an error naming the fields there are
    with pytest.raises(
        ReportError, match=r"no document has it.*author, outlet, published, section"
    ):
        copydesk.report(results, by="desk")
    # several authors: the article counts for each
    by_author = copydesk.report(results, by="author")
    assert by_author.group(author="Ana Ruiz")[0]["documents"] == 2
    assert by_author.group(author="Ben Ode")[0]["documents"] == 1
    # periods from meta "published" (a timestamp counts by its date)
    months = copydesk.report(results, by=["month"])
    assert [r["month"] for r in months["summary"]] == ["2026-11", "2026-12"]
    assert [r["documents"] for r in months["summary"]] == [3, 2]
    weeks = copydesk.report(results, by=["outlet", "week"])
    assert weeks.group(outlet="Harbour Post", week="2026-11-09")[0]["documents"] == 1


def test_empty_results_give_a_clear_error(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ReportError, match="no analyzed documents"):
        make_report(empty)
    proc = CliRunner().invoke(cli, ["report", str(empty)])
    assert proc.exit_code == 2
    assert "no analyzed documents to report on" in proc.output


def _tables(analyzed: list[AnalyzedDocument]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The corpus sinks' documents and findings tables (see the inputs and outputs page)."""
    names = sorted({m for r in analyzed for m in r.metrics})
    docs = []
    finds = []
    for r in analyzed:
        row = {
            "id": r.document.id,
            "title": r.document.title,
            "meta": json.dumps(r.document.meta),
            "words": len(r.document.text.split()),
            "status": "ok",
        }
        row.update({m: r.metrics.get(m) for m in names})
        row.update({"findings": len(r.findings), "extra_metrics": "{}"})
        docs.append(row)
        for f in r.findings:
            finds.append(
                {
                    "document_id": r.document.id,
                    "analyzer": f.analyzer,
                    "kind": f.kind,
                    "part": "body",
                    "start": f.start,
                    "end": f.end,
                    "text": f.text,
                    "label": f.label,
                    "message": f.message,
                    "confidence": f.confidence,
                    "data": json.dumps(f.data),
                    "producer": f.producer,
                }
            )
    return docs, finds


@pytest.mark.slow
def test_parquet_folder_and_sqlite_give_the_jsonl_numbers(analyzed, results, tmp_path):
    docs, finds = _tables(analyzed)
    folder = tmp_path / "results.parquet"
    (folder / "documents").mkdir(parents=True)
    (folder / "findings").mkdir()
    con = duckdb.connect()
    for name, rows in (("documents", docs), ("findings", finds)):
        (tmp_path / f"{name}.json").write_text(json.dumps(rows), encoding="utf-8")
        con.execute(
            f"COPY (SELECT * FROM read_json('{tmp_path / name}.json')) "
            f"TO '{folder / name / 'part-00000.parquet'}' (FORMAT parquet)"
        )
    db = tmp_path / "results.sqlite"
    sq = sqlite3.connect(db)
    sq.execute("CREATE TABLE documents (id, run_id, title, text, meta, words, status, findings)")
    sq.execute("CREATE TABLE metrics (document_id, name, value)")
    sq.execute(
        "CREATE TABLE findings (document_id, analyzer, kind, part, start, end, text, "
        "label, message, confidence, data, producer)"
    )
    for r, row in zip(analyzed, docs, strict=True):
        sq.execute(
            "INSERT INTO documents VALUES (?, 1, ?, ?, ?, ?, 'ok', ?)",
            (row["id"], row["title"], r.document.text, row["meta"], row["words"], row["findings"]),
        )
        sq.executemany(
            "INSERT INTO metrics VALUES (?, ?, ?)",
            [(row["id"], k, v) for k, v in r.metrics.items()],
        )
    sq.executemany(
        "INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [tuple(f.values()) for f in finds]
    )
    sq.commit()
    sq.close()
    expected = copydesk.report(results, by=["outlet", "month"])
    for source in (folder, db):
        got = copydesk.report(source, by=["outlet", "month"])
        assert set(got.tables) == set(expected.tables)
        for name, table in expected.tables.items():
            assert got[name].columns == table.columns, name
            _same(got[name].records(), table.records())


def _same(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> None:
    def key(row: dict[str, Any]) -> str:
        return json.dumps(
            {k: v for k, v in row.items() if not isinstance(v, float)}, sort_keys=True, default=str
        )

    a_sorted, b_sorted = sorted(a, key=key), sorted(b, key=key)
    assert len(a_sorted) == len(b_sorted)
    for x, y in zip(a_sorted, b_sorted, strict=True):
        assert x.keys() == y.keys()
        for k in x:
            if isinstance(x[k], float):
                assert x[k] == pytest.approx(y[k])
            else:
                assert x[k] == y[k]


@pytest.mark.slow
def test_outputs_csv_parquet_json(results, tmp_path):
    report = copydesk.report(results, by="outlet")
    written = write(report, tmp_path / "report.csv")
    assert tmp_path / "report.sourcing.source_types.csv" in written
    lines = (tmp_path / "report.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("outlet,documents,words,")
    assert len(lines) == 1 + 3
    write(report, tmp_path / "report.parquet")
    rows = duckdb.sql(f"SELECT outlet, documents FROM '{tmp_path / 'report.parquet'}' ORDER BY 1")
    assert rows.fetchall() == [("Harbour Post", 2), ("Valley Times", 1), ("Wire", 2)]
    write(report, tmp_path / "report.json")
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["tables"]["summary"]["rows"][0]["outlet"] == "Harbour Post"
    spec = data["charts"]["sourcing.source_types"]
    assert spec["mark"] == "bar"
    assert spec["encoding"]["y"]["stack"] == "zero"


@pytest.mark.slow
def test_cli_report_to_stdout_and_html(results, tmp_path):
    proc = CliRunner().invoke(cli, ["report", str(results), "--by", "outlet"])
    assert proc.exit_code == 0, proc.output
    assert proc.output.splitlines()[1].startswith("Harbour Post")
    out = tmp_path / "report.html"
    proc = CliRunner().invoke(cli, ["report", str(results), "--by", "outlet,month", "-o", str(out)])
    assert proc.exit_code == 0, proc.output
    page = out.read_text(encoding="utf-8")
    # self-contained: no script, nothing fetched (the only URLs are SVG namespaces)
    assert "<script" not in page
    assert "http://" not in page.replace("http://www.w3.org/", "")
    assert "https://" not in page
    assert page.count("<svg") >= 5
    assert 'data-table="sourcing.quoted_people"' in page


@pytest.mark.slow
def test_html_report_in_headless_chromium(results, tmp_path):
    from browser import chromium, find_chromium

    if find_chromium() is None:
        pytest.skip("no Chromium found (apt-get install chromium; .ci/run installs it)")
    path = tmp_path / "report.html"
    report = copydesk.report(results, by=["outlet", "month"])
    write(report, path)
    with chromium() as browser:
        page = browser.new_page(width=1200, height=1600)
        page.goto(path.as_uri())
        # every chart drawn, with a size (not an empty box)
        sizes = page.evaluate(
            "[...document.querySelectorAll('figure.chart svg')]"
            ".map(s => [s.getBoundingClientRect().width, s.getBoundingClientRect().height])"
        )
        assert len(sizes) == len(report.charts()) >= 5
        assert all(w > 100 and h > 100 for w, h in sizes)
        # the summary as the reader sees it: Harbour Post's row, documents and words
        cells = page.evaluate(
            "[...document.querySelector('table[data-table=summary] tbody tr').cells]"
            ".map(c => c.textContent)"
        )
        (row,) = report.group(outlet="Harbour Post", month="2026-11")
        assert cells[:4] == ["Harbour Post", "2026-11", str(row["documents"]), str(row["words"])]
        people = page.evaluate(
            "document.querySelector('table[data-table=\\'sourcing.quoted_people\\']').textContent"
        )
        assert "Anouk de Vries" in people
        shot = page.screenshot(tmp_path / "report.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
    if os.environ.get("COPYDESK_DOCS_IMAGES"):  # refresh the reports page's screenshot
        shutil.copyfile(shot, REPO / "docs" / "images" / "report.png")


def test_a_third_party_metric_gets_default_statistics(tmp_path):
    docs = [
        AnalyzedDocument(
            document=Document(id=str(i), text="One two three.", meta={"desk": d}),
            metrics={"passive.share": v},
        )
        for i, (d, v) in enumerate([("metro", 0.1), ("metro", 0.3), ("sport", 0.5)])
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("".join(d.model_dump_json() + "\n" for d in docs), encoding="utf-8")
    report = make_report(path, by="desk", aggregations=[])
    (metro,) = report.group("metrics", desk="metro")
    assert metro["metric"] == "passive.share"
    assert (metro["documents"], metro["mean"], metro["median"]) == (
        2,
        pytest.approx(0.2),
        pytest.approx(0.2),
    )
    assert report.group(desk="sport")[0]["words"] == 3


def test_report_command_help_is_cheap():
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, copydesk.cli; sys.argv=['copydesk','report','--help'];"
            "\ntry: copydesk.cli.cli()\nexcept SystemExit: pass\nprint('duckdb' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.strip().endswith("False")
