"""The generator's fast paths write what the plain ones did: csv quoting, draws, collector.

sample_data/ pins the bytes end to end (tests/test_sample.py); these pin the pieces
the speed-ups replaced, so a difference shows up where it starts.
"""

from __future__ import annotations

import gc
import random

import pytest

from caseboard.sample import generate
from caseboard.sample.practice import _Random
from caseboard.sample.writer import _Lines


def test_lines_quote_cells_as_csv_minimal_does():
    # two rows given as two columns: a cell is quoted when it holds the delimiter, a double
    # quote or a line-ending character, inner quotes doubled; None was made "" beforehand
    comma = _Lines(",", "\n")
    assert comma.text([["a", 'say "hi"'], ["x,y", ""], ["x;y", "a\nb"]]) == (
        'a,"x,y",x;y\n"say ""hi""",,"a\nb"\n'
    )
    # Windows line ending: a lone \r is quoted, a comma is not; semicolons are
    semicolon = _Lines(";", "\r\n")
    assert semicolon.text([["1,5", "a\rb"], ["(12.00)", "x;y"]]) == (
        "1,5;(12.00)\r\n\"a\rb\";\"x;y\"\r\n"
    )
    # with "\n" as the line ending a lone \r is left alone, as csv.writer does
    tab = _Lines("\t", "\n")
    assert tab.text([["a\rb"], ["c\td"]]) == 'a\rb\t"c\td"\n'
    assert tab.text([[], []]) == ""


def test_fast_draws_are_randoms_own():
    fast, plain = _Random("7:p001"), random.Random("7:p001")
    population = ["a", "b", "c"]
    for _ in range(2000):
        assert fast.randint(3, 30) == plain.randint(3, 30)
        assert fast.randint(0, 540) == plain.randint(0, 540)
        assert fast.choice(population) == plain.choice(population)
        # weights 5, 3, 2 accumulate to 5, 8, 10
        assert fast.pick(population, [5, 8, 10]) == plain.choices(population, [5, 3, 2])[0]
        assert fast.gauss(183, 15) == plain.gauss(183, 15)
    with pytest.raises(IndexError):
        fast.choice([])
    with pytest.raises(ValueError):
        fast.randint(5, 4)


@pytest.mark.parametrize("enabled", [True, False])
def test_generation_leaves_the_cyclic_collector_as_it_was(tmp_path, enabled):
    was = gc.isenabled()
    _collect(enabled)
    try:
        generate(tmp_path, months=1, seed=2)
        assert gc.isenabled() is enabled
    finally:
        _collect(was)


def _collect(enabled: bool) -> None:
    if enabled:
        gc.enable()
    else:
        gc.disable()
