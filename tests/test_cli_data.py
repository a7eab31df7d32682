"""`peacemap data status`."""


from peacemap import pipeline
from peacemap.cli.main import cli
from peacemap.layers.sources import registry


def test_status_lists_default_sources_as_verified(runner, monkeypatch):
    monkeypatch.delenv(registry.DATA_DIR_ENV, raising=False)
    result = runner.invoke(cli, ["data", "status"])
    assert result.exit_code == 0, result.output
    for source in pipeline.build_sources():
        line = next(line for line in result.stdout.splitlines() if line.startswith(source.id))
        assert "verified" in line


def test_status_flags_a_corrupted_file(runner, monkeypatch, tmp_path):
    source = pipeline.build_sources()[0]
    copy = tmp_path / source.path
    copy.parent.mkdir(parents=True)
    copy.write_bytes(b"not the pinned file")
    monkeypatch.setenv(registry.DATA_DIR_ENV, str(tmp_path))
    result = runner.invoke(cli, ["data", "status"])
    assert result.exit_code == 1
    assert "CHECKSUM MISMATCH" in result.stdout


def test_the_hromada_territories_and_crimea_projection_are_build_sources():
    # Issue 12: the OPORA territories and the COD-PS projections are read by the default build.
    ids = [source.id for source in pipeline.build_sources()]
    assert {"hromadas-opora-2020", "population-ocha-cod-ps-2020"} <= set(ids)
