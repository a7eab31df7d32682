"""The JSON contracts (layers.report.contract): real outputs conform to them, and the outputs page
of the documentation site (docs/reference/outputs.md) shows exactly what the typed definitions say."""

from pathlib import Path

import pytest

from peacemap.layers.report import contract

OUTPUTS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "reference" / "outputs.md"


@pytest.mark.parametrize("name", sorted(contract.CONTRACTS))
def test_the_outputs_page_shows_the_contract_as_defined(name):
    text = contract.contract_text(contract.CONTRACTS[name])
    assert f"```\n{text}\n```" in OUTPUTS_PAGE.read_text(encoding="utf-8"), (
        f"docs/reference/outputs.md's {name} contract differs from layers/report/contract.py:\n{text}"
    )


def test_the_report_conforms(plan28_report):
    assert contract.mismatches(plan28_report, contract.Report) == []


def test_every_region_row_says_whether_it_is_combined(plan28_report):
    combined = [region["code"] for region in plan28_report["regions"] if region["combined"]]
    assert combined == ["UA-43+UA-40"]


def test_a_missing_or_unknown_key_is_found():
    figures = {"area_km2": 1.0, "population_2022": 1, "population_2022_low": 1, "population_2022_high": 1, "population_excludes": [], "regions": []}
    headline = dict.fromkeys(contract.keys(contract.Headline), figures)
    assert contract.mismatches(headline, contract.Headline) == []
    broken = {**headline, "both_withdraw": {**figures, "extra": 1}}
    del broken["returned"]
    assert sorted(contract.mismatches(broken, contract.Headline)) == [".both_withdraw.extra: not in the contract", ".returned: missing"]
