"""One vocabulary (issue 28): statuses, kinds, sides, recognitions, rules and measures are members
of enums in two modules (layers/plans/statuses.py, layers/report/measures.py), each carrying its
label, and every output takes its labels from them: no other module keeps a table of labels."""

import ast
import json
from pathlib import Path

import pytest

from peacemap.layers.plans.statuses import Kind, Recognition, Rule, Side, Status, Withdrawal
from peacemap.layers.report.beside import BESIDE_FIELDS
from peacemap.layers.report.contract import ControlHeadline, Headline, StatementBeside, keys
from peacemap.layers.report.control_compare import HEADLINE_MEASURES
from peacemap.layers.report.measures import ControlMeasure, Measure
from peacemap.layers.sources.closure import PACKAGE_DIR

VOCABULARY_MODULES = {PACKAGE_DIR / "layers" / "plans" / "statuses.py", PACKAGE_DIR / "layers" / "report" / "measures.py"}
NOT_THE_PACKAGE = {"tests", "bench", "docs", "build", ".venv", ".git"}
IDS = {*Status, *Measure}  # (ControlMeasure's "occupied" is also a part of a region, as many tables say)
ENUMS = {"Status", "Measure", "ControlMeasure"}
LABELS = {
    *(s.label for s in Status),
    *(m.label for m in Measure),
    *(m.short_label for m in Measure),
    *(m.heading for m in Measure),
    *(m.label for m in ControlMeasure),
}


def _modules(package_dir: Path) -> list[Path]:
    return [
        path for path in sorted(package_dir.rglob("*.py")) if not NOT_THE_PACKAGE & set(path.relative_to(package_dir).parts) and path not in VOCABULARY_MODULES
    ]


def _names_an_id(node: ast.expr | None) -> bool:
    """A status's or a measure's id written out ("dmz"), or a member named (Status.DMZ)."""
    if isinstance(node, ast.Constant):
        return node.value in IDS
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ENUMS


def _is_text(node: ast.expr | None) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr)


def label_tables(package_dir: Path) -> list[str]:
    """Where a module outside the vocabulary maps status or measure ids to text: a dict literal, or
    a tuple or list of (id, text) pairs; and where it writes out a label of the vocabulary."""
    found = []
    for path in _modules(package_dir):
        where = path.relative_to(package_dir)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict) and any(_names_an_id(k) and _is_text(v) for k, v in zip(node.keys, node.values)):
                found.append(f"{where}:{node.lineno}: a dict of ids to text")
            elif isinstance(node, (ast.Tuple, ast.List)) and any(
                isinstance(e, ast.Tuple) and len(e.elts) == 2 and _names_an_id(e.elts[0]) and _is_text(e.elts[1]) for e in node.elts
            ):
                found.append(f"{where}:{node.lineno}: (id, text) pairs")
            elif isinstance(node, ast.Constant) and node.value in LABELS:
                found.append(f"{where}:{node.lineno}: the label {node.value!r} written out")
    return sorted(found)


def test_no_module_outside_the_vocabulary_keeps_a_label_table():
    assert label_tables(PACKAGE_DIR) == []


def test_the_label_table_finder_finds_tables(tmp_path):
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "readout.py").write_text(
        'READOUT = ((Measure.CEDED_DEMILITARISED, "Demilitarised zone"), (Measure.CEDED, Measure.CEDED.label))\n'
        'LABELS = {"dmz": "DMZ", "ukrainian": f"{UKRAINIAN}"}\n'
        'OK = {"dmz": STYLE, Status.DMZ: Status.DMZ.label}\n'
        'TEXT = "Returned to Ukraine"\n'
    )
    assert label_tables(tmp_path) == [
        "maps/readout.py:1: (id, text) pairs",
        "maps/readout.py:1: the label 'Demilitarised zone' written out",
        "maps/readout.py:2: a dict of ids to text",
        "maps/readout.py:4: the label 'Returned to Ukraine' written out",
    ]


@pytest.mark.parametrize("enum", [Status, Kind, Side, Recognition, Withdrawal, Rule, Measure, ControlMeasure])
def test_every_term_is_its_string_in_every_output(enum):
    for member in enum:
        assert isinstance(member, str)
        assert member == member.value
        assert f"{member}" == str(member) == member.value
        assert format(member, "8") == format(member.value, "8")
        assert json.dumps({member: [member]}) == json.dumps({member.value: [member.value]})


def test_the_same_word_is_a_term_of_several_vocabularies_but_not_the_same_term():
    # "dmz" is a status, a kind and a rule; "ukrainian" a status and a side: equal as strings (so
    # that the outputs keep their values), told apart by type.
    assert Status.DMZ == Kind.DEMILITARISED == Rule.DMZ == "dmz"
    assert Status.UKRAINIAN == Side.UKRAINIAN == "ukrainian"
    assert type(Status.DMZ) is not type(Rule.DMZ)
    assert Status.DMZ is not Rule.DMZ
    assert not set(Measure) & set(Status)  # a measure's key is never a status


def test_every_status_and_measure_carries_its_labels():
    assert len({status.label for status in Status}) == len(Status)
    assert len({measure.label for measure in Measure}) == len(Measure)
    assert all(measure.short_label and measure.heading[0].isupper() for measure in Measure)
    assert Measure.CEDED_DEMILITARISED.heading == "Demilitarised zone"  # the animated map's readout


def test_the_contracts_keys_are_the_vocabularys():
    # contract.figures_of and figures_under_each index the headlines by measure, which a type
    # checker cannot follow: the keys must be the measures' values.
    assert keys(Headline) == [measure.value for measure in Measure]
    assert keys(ControlHeadline) == [measure.value for measure in HEADLINE_MEASURES]
    assert list(BESIDE_FIELDS) == keys(StatementBeside)
