"""``vanphong elections count``: the JSON contract, one-line errors with exit 2, stdin, and the minutes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from vanphong.elections.counting_cli import count_command

AN, BINH, CUONG = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"


def example() -> dict[str, Any]:
    # Base 60 - 2 = 58; An 51, Bình 52, Cường 4; one ballot of each engine-detected fault.
    return {
        "seats": 2,
        "form": "strike",
        "candidates": [AN, BINH, CUONG],
        "base": {"summoned": 60, "excluded": {"temporary_transfer": 2}},
        "ballots": [
            {"keep": [AN, BINH], "count": 48},
            {"keep": [BINH, CUONG], "count": 4},
            {"keep": [AN], "count": 3},
            {"keep": [AN, BINH, CUONG]},
            {"keep": []},
            {"keep": ["Lê Văn Dũng"]},
        ],
    }


EXPECTED_JSON = """\
{
  "base": 58,
  "votes_needed": 30,
  "ballots": {
    "collected": 58,
    "valid": 55,
    "invalid": 3,
    "invalid_by_reason": {
      "more_names_than_seats": 1,
      "name_added": 1,
      "no_name_kept": 1
    }
  },
  "candidates": [
    {
      "name": "Nguyễn Văn An",
      "votes": 51,
      "percent": "87.93",
      "above_half": true,
      "elected": true
    },
    {
      "name": "Trần Thị Bình",
      "votes": 52,
      "percent": "89.66",
      "above_half": true,
      "elected": true
    },
    {
      "name": "Lê Văn Cường",
      "votes": 4,
      "percent": "6.90",
      "above_half": false,
      "elected": false
    }
  ],
  "elected": [
    "Trần Thị Bình",
    "Nguyễn Văn An"
  ],
  "seats_left": 0,
  "tie": null,
  "next_round": null
}
"""


def write(tmp_path: Path, data: object, name: str = "round.json") -> str:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_counts_a_round_to_the_documented_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert count_command([write(tmp_path, example())]) == 0
    out, err = capsys.readouterr()
    assert out == EXPECTED_JSON
    assert err == ""


def test_json_is_the_default_format_and_can_be_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert count_command([write(tmp_path, example()), "--format", "json", "--language", "vi"]) == 0
    assert capsys.readouterr().out == EXPECTED_JSON


def test_tie_and_next_round_in_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = {
        "seats": 3,
        "form": "strike",
        "candidates": ["A", "B", "C", "D"],
        "base": {"summoned": 58, "excluded": 0},
        "ballots": [
            {"keep": ["A", "B", "C"], "count": 15},
            {"keep": ["A", "C", "D"], "count": 10},
            {"keep": ["A", "B", "D"], "count": 15},
            {"keep": ["C", "D"], "count": 10},
            {"keep": ["B"], "count": 5},
        ],
    }
    assert count_command([write(tmp_path, data)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["elected"] == ["A"]
    assert result["seats_left"] == 2
    assert result["tie"] == {"candidates": ["B", "C", "D"], "seats": 2}
    assert result["next_round"] == {"seats": 2, "candidates": ["B", "C", "D"]}


def test_dash_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    raw = json.dumps(example(), ensure_ascii=False).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    assert count_command(["-"]) == 0
    assert capsys.readouterr().out == EXPECTED_JSON


def test_dash_reads_a_text_only_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(example())))
    assert count_command(["-"]) == 0
    assert capsys.readouterr().out == EXPECTED_JSON


def test_byte_order_mark_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(example()).encode("utf-8"))
    assert count_command([str(path)]) == 0
    assert capsys.readouterr().out == EXPECTED_JSON


# --- malformed input: exit 2, one line on stderr, nothing on stdout ----------------------------------


def changed(**top: object) -> dict[str, Any]:
    data = example()
    data.update(top)
    return data


def with_ballot(index: int, ballot: dict[str, object]) -> dict[str, Any]:
    data = example()
    data["ballots"][index] = ballot
    return data


MALFORMED: list[tuple[str, object, str]] = [
    ("invalid_json", '{"seats": 2,', "not valid JSON: Expecting property name enclosed in double quotes at line 1"),
    ("not_an_object", "[]", "the input must be a JSON object"),
    ("seats_zero", changed(seats=0), "seats must be at least 1 (got 0)"),
    ("unknown_form", changed(form="plurality"), 'form must be "strike" or "agree" (got "plurality")'),
    (
        "keep_with_agree_form",
        changed(form="agree"),
        "ballots[0]: 'keep' belongs to the strike form, but this round uses the agree form",
    ),
    (
        "excluded_more_than_summoned",
        changed(base={"summoned": 60, "excluded": {"temporary_transfer": 50, "suspended": 11}}),
        "the exclusions (61) exceed the number summoned (60)",
    ),
    ("negative_count", with_ballot(2, {"keep": [AN], "count": -1}), "ballots[2].count must be at least 1 (got -1)"),
    (
        "unknown_top_level_key",
        changed(present=58),
        "unknown field 'present' in the top level (expected: seats, form, candidates, base, ballots)",
    ),
    ("unknown_ballot_key", with_ballot(1, {"keep": [AN], "weight": 2}), "unknown field 'weight' in ballots[1]"),
    ("duplicate_key", '{"seats": 1, "seats": 2}', "the key 'seats' appears twice in one JSON object"),
    ("nan", '{"seats": NaN}', "NaN is not a number the count can use"),
    ("duplicate_candidate", changed(candidates=[AN, BINH, AN]), f"candidates lists {AN!r} twice"),
    ("bad_mark", changed(form="agree", ballots=[{"marks": {AN: "yes"}}]), 'must be "agree", "disagree" or "none"'),
]


@pytest.mark.parametrize(("content", "message"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: object, message: str
) -> None:
    path = write(tmp_path, content)
    assert count_command([path]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1
    assert err.startswith(f"vanphong elections count: error: {path}: ")
    assert message in err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.json"
    assert count_command([str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"vanphong elections count: error: {missing}: cannot read the file (No such file or directory)\n"


def test_directory_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert count_command([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read the file" in err


def test_file_not_utf8_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "utf16.json"
    path.write_bytes(json.dumps(example(), ensure_ascii=False).encode("utf-16"))
    assert count_command([str(path)]) == 2
    assert capsys.readouterr().err == f"vanphong elections count: error: {path}: the file is not UTF-8 text\n"


def test_bad_stdin_names_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("{"))
    assert count_command(["-"]) == 2
    assert capsys.readouterr().err.startswith("vanphong elections count: error: standard input: not valid JSON")


def test_usage_errors_return_2_without_exiting(capsys: pytest.CaptureFixture[str]) -> None:
    assert count_command([]) == 2
    assert "the following arguments are required: FILE" in capsys.readouterr().err
    assert count_command(["a.json", "--format", "pdf"]) == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err
    assert count_command(["a.json", "--language", "fr"]) == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_help_returns_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert count_command(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: vanphong elections count")
    assert "--format {json,minutes}" in out


# --- the minutes ----------------------------------------------------------------------------------

EXPECTED_MINUTES_EN = """\
MINUTES OF THE BALLOT COUNT

Seats to fill: 2
Ballot form: names struck out (a list with more candidates than seats)
Candidates on the list: 3

Base for the threshold
Official members or delegates summoned: 60
Excluded from the base:
  - Moved to another organisation for temporary activity: 2
Base (summoned minus exclusions): 58
Votes needed to be elected (more than half of the base of 58): 30

Ballots
Ballots collected: 58
Valid ballots: 55
Invalid ballots: 3
  - More names kept than there are seats: 1
  - A name was added that is not on the list: 1
  - Every name struck out: 1

Votes for each candidate, in ballot order
  1. Nguyễn Văn An: 51 votes, 87.93% of the base (58)
  2. Trần Thị Bình: 52 votes, 89.66% of the base (58)
  3. Lê Văn Cường: 4 votes, 6.90% of the base (58)

Elected, from the highest to the lowest number of votes
  1. Trần Thị Bình: 52 votes
  2. Nguyễn Văn An: 51 votes
Seats left: 0

The counting committee (signatures):
"""


def test_minutes_in_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert count_command([write(tmp_path, example()), "--format", "minutes", "--language", "en"]) == 0
    out, err = capsys.readouterr()
    assert out == EXPECTED_MINUTES_EN
    assert err == ""


def test_minutes_leave_the_active_language_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from django.utils import translation

    with translation.override("hi"):
        assert count_command([write(tmp_path, example()), "--format", "minutes", "--language", "en"]) == 0
        assert translation.get_language() == "hi"


def test_minutes_use_the_language_number_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Vietnamese writes 87,93 with a decimal comma; the JSON keeps "87.93" for machines.
    assert count_command([write(tmp_path, example()), "--format", "minutes", "--language", "vi"]) == 0
    assert "87,93" in capsys.readouterr().out


def test_minutes_default_to_the_site_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    settings.LANGUAGE_CODE = "vi"
    assert count_command([write(tmp_path, example()), "--format", "minutes"]) == 0
    assert "87,93" in capsys.readouterr().out


def test_minutes_of_a_tie(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = {
        "seats": 1,
        "form": "strike",
        "candidates": [AN, BINH, CUONG],
        "base": {"summoned": 11, "excluded": 1},
        "ballots": [{"keep": [AN], "count": 6}, {"keep": [BINH], "count": 6}, {"invalid": "marked"}],
    }
    assert count_command([write(tmp_path, data), "--format", "minutes", "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "  - Excluded, no category given: 1\n" in out
    assert "  - Signed or carrying a private mark: 1\n" in out
    assert "  1. Nguyễn Văn An: 6 votes, 60.00% of the base (10)\n" in out
    assert "  3. Lê Văn Cường: 0 votes, 0.00% of the base (10)\n" in out
    assert "Nobody was elected in this round.\nSeats left: 1\n" in out
    assert (
        "Tie: these candidates received more than half of the base with 6 votes each, but there are more of "
        "them than the 1 seat left, so none of them is elected. The congress votes again among them only, "
        f"for 1 seat:\n  - {AN}\n  - {BINH}\n"
    ) in out


def test_minutes_of_a_shortfall(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The 11-member cell: 5 of 11 is not more than half (190 Điều 30.2).
    data = {
        "seats": 1,
        "form": "agree",
        "candidates": [AN],
        "base": {"summoned": 11},
        "ballots": [{"marks": {AN: "agree"}, "count": 5}, {"marks": {AN: "disagree"}, "count": 4}, {"marks": {}}],
    }
    assert count_command([write(tmp_path, data), "--format", "minutes", "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "Ballot form: agree or disagree for each person (a list without surplus)\n" in out
    assert "Excluded from the base: none\n" in out
    assert "Votes needed to be elected (more than half of the base of 11): 6\n" in out
    assert "  - Both boxes or neither box marked for the only person on the list: 1\n" in out
    assert "  1. Nguyễn Văn An: 5 votes, 45.45% of the base (11)\n" in out
    assert (
        "1 seat is left because too few candidates received more than half of the base. The congress decides "
        f"whether to hold another round for 1 seat. The candidates not elected are:\n  - {AN}\n"
    ) in out


def test_minutes_singular_vote_and_unknown_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = {
        "seats": 3,
        "form": "agree",
        "candidates": [AN, BINH],
        "base": {"summoned": 1, "excluded": {"seconded_abroad": 0}},
        "ballots": [{"marks": {AN: "agree", BINH: "agree"}}, {"invalid": "torn"}],
    }
    assert count_command([write(tmp_path, data), "--format", "minutes", "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "  1. Nguyễn Văn An: 1 vote, 100.00% of the base (1)\n" in out
    assert "  - torn: 1\n" in out
    assert "seconded_abroad" not in out  # a category with no one excluded is not printed
    assert (
        "1 seat is left because there were fewer candidates than seats. "
        "The congress decides whether to add names and hold another round.\n"
    ) in out


def test_malformed_input_with_minutes_still_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert count_command([write(tmp_path, changed(seats=0)), "--format", "minutes"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
