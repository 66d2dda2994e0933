"""Political references follow the start date (macros/data/periods.yml)."""

from __future__ import annotations

import datetime as dt

import pytest

from macros import period


@pytest.mark.parametrize("day,key,text", [
    (dt.date(2026, 4, 7), "study", "结合正在开展的树立和践行正确政绩观学习教育"),
    (dt.date(2026, 12, 1), "study", "巩固深化树立和践行正确政绩观学习教育成果"),
    (dt.date(2027, 3, 2), "study", "坚持树立和践行正确政绩观"),
    (dt.date(2026, 12, 1), "plan", "奋力推动“十五五”开好局、起好步"),
    (dt.date(2027, 3, 2), "plan", "扎实推进“十五五”规划目标任务落实"),
    (dt.date(2026, 12, 1), "spirit", "党的二十大和二十届历次全会精神"),
])
def test_phrase_in_force(day, key, text):
    assert period.for_date(day)[key] == text


def test_after_the_next_congress_is_due_nothing_names_the_twentieth():
    later = period.for_date(dt.date(2027, 11, 1))
    assert "二十大" not in later["spirit"] and later["since"] == ""


def test_data_file_is_in_date_order():
    p = period.load()
    for entries in (p.spirit, p.study, p.plan):
        assert [e.from_ for e in entries] == sorted(e.from_ for e in entries)
