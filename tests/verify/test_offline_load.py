"""A book chapter script that downloads MNIST when it is loaded gets one sentence: checks run offline and run
the file's top-level code; check the file that defines the layers instead."""

from click.testing import CliRunner

from gradcheck.cli import main

MNIST = '''import os
import urllib.request

url_base = "http://yann.lecun.com/exdb/mnist/"
dataset_dir = os.path.dirname(os.path.abspath(__file__))


def _download(file_name):
    file_path = dataset_dir + "/" + file_name
    if os.path.exists(file_path):
        return
    urllib.request.urlretrieve(url_base + file_name, file_path)


def load_mnist(normalize=True, one_hot_label=False):
    _download("train-images-idx3-ubyte.gz")
    return (None, None), (None, None)
'''

GRADIENT_CHECK = '''import sys, os
sys.path.append(os.pardir)
import numpy as np
from dataset.mnist import load_mnist

(x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)
'''


def test_a_chapter_script_that_downloads_mnist_is_told_to_check_its_layers(tmp_path, monkeypatch):
    (tmp_path / "dataset").mkdir()
    (tmp_path / "dataset" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "dataset" / "mnist.py").write_text(MNIST, encoding="utf-8")
    (tmp_path / "ch05").mkdir()
    (tmp_path / "ch05" / "gradient_check.py").write_text(GRADIENT_CHECK, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "ch05")
    r = CliRunner().invoke(main, ["verify", "gradient_check.py"])
    assert r.exit_code == 2
    assert "tried to reach the network" in r.output and "common/layers.py" in r.output
    assert "Traceback" not in r.output
    assert not list((tmp_path / "dataset").glob("*.gz"))
