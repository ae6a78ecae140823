"""`list` from the listing index: the same treatments in the same order as the list made from
every treatment, the same text drawn, every row read only when it is drawn; and the index kept
beside the cache, used only by the code and the cache that made it, damage never shown."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest

from nervecli.domain.listing import SORTS, list_indexed, list_treatments, listing_keys
from nervecli.model.catalogue import Catalogue
from nervecli.model.listing import ListingIndex
from nervecli.model.vocabulary import KINDS, LINES
from nervecli.origin import format as fmt
from nervecli.origin import proxies
from nervecli.output import draw_table
from nervecli.present.listing import RowMeasures, code_stamp, list_doc, list_view
from nervecli.reading.loader import load_catalogue

from .conftest import Invoke, count_reads, write_generated


def _index(catalogue: Catalogue) -> ListingIndex:
    measures = RowMeasures(catalogue)
    index = listing_keys(catalogue, "test", measures.add)
    measures.fill(index)
    return index


def _shuffled(catalogue: Catalogue, seed: int) -> Catalogue:
    """The same catalogue with its treatments in another order (types of medicine before,
    between or after their members)."""
    items = list(catalogue.treatments.items())
    random.Random(seed).shuffle(items)
    other = copy.copy(catalogue)
    other.treatments = dict(items)
    return other


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    folder = write_generated(240, tmp_path_factory.mktemp("generated"))
    return load_catalogue([folder], bundled=False)


FILTERS = [(k, ln) for k in (None, *KINDS) for ln in (None, *LINES)]


def _catalogues(catalogue: Catalogue, generated: Catalogue) -> list[Catalogue]:
    return [catalogue, generated, *(_shuffled(catalogue, seed) for seed in range(4))]


def test_the_index_lists_what_the_whole_list_lists_in_its_order(
    catalogue: Catalogue, generated: Catalogue
) -> None:
    for c in _catalogues(catalogue, generated):
        index = _index(c)
        for kind, line in FILTERS:
            for sort in SORTS:
                whole = list_treatments(c, kind=kind, line=line, sort=sort)
                indexed = list_indexed(c, index, kind=kind, line=line, sort=sort)
                expected = [i.treatment.id for i in whole.items]
                assert [i.treatment.id for i in indexed.items] == expected, (kind, line, sort)


@pytest.mark.parametrize("width", [40, 80, 120])
def test_the_streamed_view_draws_the_same_text(
    catalogue: Catalogue, generated: Catalogue, width: int
) -> None:
    for n, c in enumerate(_catalogues(catalogue, generated)[:3]):
        index = _index(c)
        for kind, line in FILTERS[:: 1 if n == 0 else 5]:
            for sort in SORTS:
                whole = list_doc(c, list_treatments(c, kind=kind, line=line, sort=sort))
                streamed = list_view(c, list_indexed(c, index, kind, line, sort), index)
                for color in (False, True):
                    expected = draw_table.draw(whole, width, color)
                    assert draw_table.draw(streamed, width, color) == expected, (kind, line)


def test_a_streamed_view_is_whole_in_every_format(catalogue: Catalogue) -> None:
    from nervecli.output import draw_html, draw_markdown

    index = _index(catalogue)
    for draw in (draw_markdown.draw, draw_html.draw):
        whole = list_doc(catalogue, list_treatments(catalogue))
        streamed = list_view(catalogue, list_indexed(catalogue, index), index)
        assert draw(streamed).replace(streamed.made or "", "") == draw(whole).replace(
            whole.made or "", ""
        )


def test_the_index_is_kept_and_a_reader_that_stops_stops_the_reading(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_cache: Path
) -> None:
    folder = write_generated(1200, tmp_path / "gen")
    args = ("--catalog", str(folder), "--no-bundled", "list")
    first = cli(*args)  # made from the files: the index made in memory
    assert first.exit_code == 0
    tables: list[proxies._Table[object]] = []
    real_init = proxies._Table.__init__

    def recording(self: proxies._Table[object], *rest: object) -> None:
        real_init(self, *rest)  # type: ignore[arg-type]
        tables.append(self)

    with monkeypatch.context() as patched:
        patched.setattr(proxies._Table, "__init__", recording)
        second = cli(*args)  # from the cache: the index made (streamed) and kept
    assert second.stdout == first.stdout
    # every treatment read to make the index, none kept but the rows drawn after
    assert tables and max(len(t._read) for t in tables) < 100
    assert list(own_cache.rglob("*.listing.sqlite"))
    read = count_reads(monkeypatch)
    assert cli(*args).stdout == first.stdout  # from the kept index
    assert 1000 < len(read) < 1300  # every row once (and a type of medicine's members)
    read.clear()

    class Gone(Exception):
        pass

    from nervecli.cli import emit

    real_write = emit.write
    writes = []

    def stops(env: object, text: str) -> None:
        writes.append(text)
        if len(writes) > 2:
            raise emit.ReaderGone
        real_write(env, text)  # type: ignore[arg-type]

    monkeypatch.setattr(emit, "write", stops)
    gone = cli(*args)
    assert gone.exit_code == 0
    assert first.stdout.startswith(gone.stdout)
    assert 0 < len(read) < 200, len(read)  # only the rows drawn before the reader went


def _sound(path: Path) -> bool:
    """Every row's checksum holds, the ids are there, every column as long as they are."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        rows = dict(
            (key, (value, total)) for key, value, total in conn.execute("SELECT * FROM meta")
        )
    conn.close()
    if "ids" not in rows or any(fmt.row_sum(k, data=v) != t for k, (v, t) in rows.items()):
        return False
    count = rows["ids"][0].count(b"\0") + 1
    columns = [v for k, (v, _) in rows.items() if k.startswith("column:")]
    return bool(columns) and all(len(v) == 4 * count for v in columns)


def _stamp(path: Path) -> object:
    import json
    import sqlite3

    with sqlite3.connect(path) as conn:
        (value,) = conn.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
    conn.close()
    return json.loads(value)


def test_an_index_of_other_code_or_damaged_is_not_used(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch, own_cache: Path
) -> None:
    expected = cli("list").stdout
    assert cli("list").stdout == expected
    (kept,) = own_cache.rglob("*.listing.sqlite")
    from nervecli.present import listing

    with monkeypatch.context() as patched:
        patched.setattr(listing, "code_stamp", lambda: "other code")
        assert cli("list").stdout == expected  # made again by that code, and kept
        assert _stamp(kept) == "other code"
    assert cli("list").stdout == expected
    assert _stamp(kept) == code_stamp()  # made again by this code
    assert code_stamp() != "other code"
    import sqlite3

    damages = [
        "UPDATE meta SET value = X'07000000' || substr(value, 5) WHERE key = 'column:order:kind'",
        "UPDATE meta SET value = substr(value, 5) WHERE key = 'column:kind'",  # and its sum
        "DELETE FROM meta WHERE key = 'ids'",
    ]
    for n, damage in enumerate(damages):
        with sqlite3.connect(kept) as conn:
            conn.execute(damage)
            if n == 1:  # a column one treatment short, its checksum made to match
                (data,) = conn.execute(
                    "SELECT value FROM meta WHERE key = 'column:kind'"
                ).fetchone()
                conn.execute(
                    "UPDATE meta SET sum = ? WHERE key = 'column:kind'",
                    (fmt.row_sum("column:kind", data=data),),
                )
        conn.close()
        result = cli("list")
        assert result.exit_code == 0 and result.stdout == expected
        assert result.stderr == ""
        assert _sound(kept), n  # set aside and made again
    kept.write_bytes(b"not a database at all")
    result = cli("list")
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected, "")
