"""On a terminal, a view taller than the screen goes through the pager as it is drawn: the
pager is started once the first screen is drawn and given each piece as it comes; a view that
fits is printed; a pager quit early ends the drawing; a pager that fails (or cannot run) means
the whole view is printed, and the failure said. Real pagers on a real terminal are driven in
test_hostile.py; here a stand-in pager records what it is given, and when."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from nervecli.cli import emit
from nervecli.cli.environment import Environment

PIECES = [f"line {n}\n" * 4 for n in range(10)]  # ten pieces of four lines


class FakePager:
    def __init__(self, events: list[str], reads: int = 99, status: int = 0) -> None:
        self.events, self.reads, self.status_at_end = events, reads, status
        self.command = ["fake"]
        self.interrupted = False
        self.status: int | None = None
        self.got: list[str] = []

    def send(self, text: str) -> bool:
        if self.reads <= 0:
            return False
        self.reads -= 1
        self.got.append(text)
        self.events.append("sent")
        return True

    def finish(self) -> int:
        self.status = self.status_at_end
        self.events.append("finished")
        return self.status

    failed = emit._Pager.failed
    warn = emit._Pager.warn


def _env(height: int = 24) -> tuple[Environment, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Environment(out, err, {}, stdout_tty=True, height=height), out, err


def _draw(events: list[str]) -> Callable[[Callable[[str], None]], None]:
    def draw(write: Callable[[str], None]) -> None:
        for piece in PIECES:
            events.append("drawn")
            write(piece)

    return draw


def _started(monkeypatch: pytest.MonkeyPatch, pager: FakePager | None) -> list[FakePager]:
    started: list[FakePager] = []

    def start(env: Environment) -> FakePager | None:
        if pager is not None:
            started.append(pager)
        return pager

    monkeypatch.setattr(emit._Pager, "start", start)
    return started


def test_the_pager_gets_the_first_screen_before_the_rest_is_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events: list[str] = []
    pager = FakePager(events)
    _started(monkeypatch, pager)
    env, out, _ = _env(height=10)
    emit.page_drawn(env, _draw(events), True)
    assert "".join(pager.got) == "".join(PIECES) and out.getvalue() == ""
    # three pieces (12 lines) fill a screen of ten: then the pager, then each piece as drawn
    assert events[:4] == ["drawn", "drawn", "drawn", "sent"]
    assert events[4:] == ["drawn", "sent"] * 7 + ["finished"]


def test_a_view_that_fits_is_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    started = _started(monkeypatch, FakePager([]))
    env, out, _ = _env(height=100)
    emit.page_drawn(env, _draw([]), True)
    assert out.getvalue() == "".join(PIECES) and not started


def test_a_pager_quit_early_ends_the_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    _started(monkeypatch, FakePager(events, reads=2))
    env, out, err = _env(height=10)
    emit.page_drawn(env, _draw(events), True)
    assert events.count("drawn") == 5  # the screen, one more piece, and the one refused
    assert out.getvalue() == "" and err.getvalue() == ""


@pytest.mark.parametrize("reads", [0, 2, 99])
def test_a_failing_pager_means_the_whole_view_is_printed(
    monkeypatch: pytest.MonkeyPatch, reads: int
) -> None:
    events: list[str] = []
    _started(monkeypatch, FakePager(events, reads=reads, status=3))
    env, out, err = _env(height=10)
    emit.page_drawn(env, _draw(events), True)
    assert out.getvalue() == "".join(PIECES)
    assert "the pager 'fake' failed (status 3)" in err.getvalue()


def test_a_pager_that_cannot_run_means_printing(monkeypatch: pytest.MonkeyPatch) -> None:
    _started(monkeypatch, None)
    env, out, err = _env(height=10)
    emit.page_drawn(env, _draw([]), True)
    assert out.getvalue() == "".join(PIECES) and err.getvalue() == ""


def test_ctrl_c_while_drawing_waits_for_the_pager(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    pager = FakePager(events)
    _started(monkeypatch, pager)
    env, _, _ = _env(height=10)

    def draw(write: Callable[[str], None]) -> None:
        for n, piece in enumerate(PIECES):
            if n == 5:
                raise KeyboardInterrupt
            write(piece)

    real_finish = pager.finish

    def finish() -> int:
        status = real_finish()
        if pager.interrupted:
            pager.interrupted = False
            raise KeyboardInterrupt
        return status

    monkeypatch.setattr(pager, "finish", finish)
    with pytest.raises(KeyboardInterrupt):
        emit.page_drawn(env, draw, True)
    assert events[-1] == "finished"
