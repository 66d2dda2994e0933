"""The committed fingerprints of the source speeches match the reference file, when it
is present (regenerate: see tests/conftest.py `source_fingerprints`)."""

import pytest

from conftest import SOURCE_FINGERPRINTS, SOURCE_SPEECHES, _han, copied_runs, source_fingerprints


def test_fingerprints_are_current():
    if not SOURCE_SPEECHES.exists():
        pytest.skip("reference file absent; the committed fingerprints are used as they are")
    committed = set(SOURCE_FINGERPRINTS.read_text(encoding="ascii").split())
    assert committed == source_fingerprints()


def test_a_copied_sentence_is_caught():
    committed = set(SOURCE_FINGERPRINTS.read_text(encoding="ascii").split())
    assert len(committed) > 1000
    if SOURCE_SPEECHES.exists():
        src = _han(SOURCE_SPEECHES.read_text(encoding="utf-8"))
        assert copied_runs("某段文字" + src[200:225] + "结尾")
