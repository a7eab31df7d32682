"""The data registry: resolution order, checksum failures, downloads into the cache."""

import functools
import http.server
import shutil
import threading

import pytest

from peacemap.layers import settings
from peacemap.layers.errors import DataSourceError
from peacemap.layers.sources import registry

SHARED_DATA = registry.repository_data_dir()


def test_registry_holds_the_mirror_facts():
    """Every source the registry lists is in the mirror with the same pinned facts. The mirror may
    hold sources the project does not read yet: they are not required here."""
    import json

    mirror = {entry["id"]: entry for entry in json.loads((SHARED_DATA / "SOURCES.json").read_text())["sources"]}
    ours = registry.sources()
    assert set(ours) <= set(mirror), f"not in the mirror: {sorted(set(ours) - set(mirror))}"
    for source_id, source in ours.items():
        entry = mirror[source_id]
        assert (source.path, source.url, source.sha256, source.license) == (entry["path"], entry["url"], entry["sha256"], entry["license"])


def test_shared_data_is_found_and_verified(setenv, monkeypatch):
    setenv(settings.DATA_DIR_ENV, None)
    located = registry.locate(registry.get_source("admin1-naturalearth"))
    assert located.origin == "shared data"
    assert located.verified


def test_data_dir_env_comes_first(setenv, monkeypatch, tmp_path):
    source = registry.get_source("frontline-kse-28092022")
    copy = tmp_path / source.path
    copy.parent.mkdir(parents=True)
    shutil.copy(SHARED_DATA / source.path, copy)
    setenv(settings.DATA_DIR_ENV, str(tmp_path))
    assert registry.fetch(source.id) == copy


def test_corrupted_file_is_refused_with_a_fix(setenv, monkeypatch, tmp_path):
    source = registry.get_source("frontline-kse-28092022")
    copy = tmp_path / source.path
    copy.parent.mkdir(parents=True)
    copy.write_bytes((SHARED_DATA / source.path).read_bytes()[:-10])  # truncated
    setenv(settings.DATA_DIR_ENV, str(tmp_path))
    with pytest.raises(DataSourceError, match="fails its checksum") as info:
        registry.fetch(source.id)
    message = str(info.value)
    assert "\n" not in message
    assert source.url in message


@pytest.fixture
def local_server(tmp_path):
    """An HTTP server on 127.0.0.1 serving a folder; yields (folder, base_url)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "served"))
    (tmp_path / "served").mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path / "served", f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _isolated(setenv, monkeypatch, tmp_path):
    """No local data folders: only the (empty) user cache under tmp_path."""
    setenv(settings.DATA_DIR_ENV, None)
    monkeypatch.setattr(registry, "repository_data_dir", lambda: tmp_path / "no-such-dir")
    setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_missing_file_is_downloaded_into_the_cache_and_checked(setenv, monkeypatch, tmp_path, local_server):
    folder, base_url = local_server
    real = registry.get_source("frontline-kse-28092022")
    shutil.copy(SHARED_DATA / real.path, folder / "front.geojson")
    source = registry.Source(**{**real.__dict__, "url": f"{base_url}/front.geojson"})
    _isolated(setenv, monkeypatch, tmp_path)
    path = registry.fetch(source)
    assert path.is_relative_to(tmp_path / "cache")
    assert registry.file_sha256(path) == real.sha256
    assert registry.locate(source).origin == "user cache"


def test_download_with_wrong_hash_is_refused(setenv, monkeypatch, tmp_path, local_server):
    folder, base_url = local_server
    (folder / "front.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    real = registry.get_source("frontline-kse-28092022")
    source = registry.Source(**{**real.__dict__, "url": f"{base_url}/front.geojson"})
    _isolated(setenv, monkeypatch, tmp_path)
    with pytest.raises(DataSourceError, match="does not match its pinned sha256"):
        registry.fetch(source)
    assert not list((tmp_path / "cache").rglob("front*.geojson"))


def test_unreachable_download_says_how_to_fix(setenv, monkeypatch, tmp_path):
    real = registry.get_source("frontline-kse-28092022")
    source = registry.Source(**{**real.__dict__, "url": "http://127.0.0.1:9/front.geojson"})
    _isolated(setenv, monkeypatch, tmp_path)
    with pytest.raises(DataSourceError, match=settings.DATA_DIR_ENV) as info:
        registry.fetch(source)
    assert "\n" not in str(info.value)
