"""Fixtures for the verify tests: the hostile set, written to a temporary folder once per session."""

import pytest
from hostile import hostile_files


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, data in hostile_files().items():
        (folder / name).write_bytes(data)
    return folder
