"""`list` and every table view are written as they are laid out, and drawn without Rich when
there is no colour: byte for byte the text Rich draws, and the text drawn in one piece."""

from __future__ import annotations

import pytest

from nervecli.output import draw_table

from .conftest import Invoke

COMMANDS = [
    ["list"],
    ["list", "--sort", "nnt"],
    ["show", "ketamine", "--full", "--sources"],
    ["compare", "steroid", "nerve-block", "--full"],
    ["compare", "ketamine", "pregabalin", "tramadol", "prolotherapy"],
    ["conditions"],
    ["conditions", "trigeminal-neuralgia"],
    ["search", "dizziness"],
    ["sources"],
    ["check", "--pregnant"],
    ["questions", "ketamine"],
    ["alternatives", "ketamine"],
]


@pytest.mark.parametrize("width", [100, 44])
@pytest.mark.parametrize("args", COMMANDS)
def test_plain_text_is_what_rich_prints(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch, args: list[str], width: int
) -> None:
    fast = cli(*args, width=width)
    monkeypatch.setattr(draw_table, "PLAIN", False)
    rich = cli(*args, width=width)
    assert fast.exit_code == rich.exit_code == 0
    assert fast.stdout == rich.stdout


@pytest.mark.parametrize("args", COMMANDS[:4])
def test_pieces_join_to_the_whole(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.setattr(draw_table._Lines, "BATCH", 10**9)  # one piece
    whole = cli(*args).stdout
    monkeypatch.setattr(draw_table._Lines, "BATCH", 1)  # a piece per line
    assert cli(*args).stdout == whole


class _Stop(Exception):
    pass


def test_a_reader_that_stops_stops_the_drawing(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The drawer hands its first rows over before it lays out the rest: a write that fails
    (the reader gone) ends the drawing there."""
    monkeypatch.setattr(draw_table._Lines, "BATCH", 4)
    laid_out: list[int] = []
    real = draw_table.TableDrawer.join_cells

    def counting(self: draw_table.TableDrawer, *args: object) -> None:
        laid_out.append(1)
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(draw_table.TableDrawer, "join_cells", counting)
    full = cli("list")
    rows = len(laid_out)
    laid_out.clear()
    written: list[str] = []

    def write(text: str) -> None:
        written.append(text)
        raise _Stop

    from nervecli.domain.listing import list_treatments
    from nervecli.present.listing import list_doc
    from nervecli.reading.files import bundled_data_dir
    from nervecli.reading.loader import load_catalogue

    catalogue = load_catalogue([bundled_data_dir()])
    doc = list_doc(catalogue, list_treatments(catalogue, sort="kind"))
    with pytest.raises(_Stop):
        draw_table.draw_to(doc, write, 100)
    assert full.exit_code == 0 and len(written) == 1
    assert len(laid_out) < rows / 2
    assert full.stdout.startswith(written[0])
