"""What a network check costs at the sizes its authors use: the book's MultiLayerNetExtend and SimpleConvNet,
cs231n's FullyConnectedNet (5 layers, batch norm, dropout) and ThreeLayerConvNet.

python bench/network_cost.py [RUNS]

For each network, the median wall time of `verify` (every variant of the network: plain, batch norm, dropout,
...) and how many whole-network forwards it ran, as checked now (one traced gradient computation, every node
checked alone, random projections of the whole network) and as before (every parameter element by finite
differences of the whole network, `--mode full`), in the same run; Python's own start-up is the baseline.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from _timing import median_time

from gradcheck.conventions import remote
from gradcheck.verify import Options, verify_file

ROOT = Path(__file__).resolve().parent.parent / "tests" / "realcode"
NETWORKS = [
    ("MultiLayerNetExtend", ROOT / "book" / "common" / "multi_layer_net_extend.py", ROOT / "book" / "common",
     {"input_size": 784, "hidden_size_list": [100, 100, 100, 100, 100], "output_size": 10, "weight_init_std": "relu"}),
    ("SimpleConvNet", ROOT / "book" / "ch07" / "simple_convnet.py", ROOT / "book" / "ch07",
     {"input_dim": (1, 28, 28), "hidden_size": 100, "output_size": 10, "weight_init_std": 0.01,
      "conv_param": {"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1}}),
    ("FullyConnectedNet", ROOT / "assignment" / "cs231n" / "classifiers" / "fc_net.py", ROOT / "assignment",
     {"hidden_dims": [100, 100, 100, 100], "input_dim": 3 * 32 * 32, "num_classes": 10, "weight_scale": 5e-2}),
    ("ThreeLayerConvNet", ROOT / "assignment" / "cs231n" / "classifiers" / "cnn.py", ROOT / "assignment",
     {"input_dim": (3, 32, 32), "num_filters": 32, "filter_size": 7, "hidden_dim": 100, "num_classes": 10, "weight_scale": 1e-2}),
]


class Counter:
    """Counts the forwards sent to one class of remote object (the network's stand-in is named after it)."""

    def __init__(self):
        self.name, self.count, self.elements = "", 0, 0
        forward, many = remote.RemoteLayer.forward, remote.RemoteLayer.forward_many
        counter = self

        def counted_forward(layer, *args, **kwargs):
            if type(layer).__name__ == counter.name:
                counter.count += 1
                counter.elements = max(counter.elements, sum(a.size for a in layer._link.sent.values()))
            return forward(layer, *args, **kwargs)

        def counted_many(layer, args, kwargs, target, indices, values, copy):
            counter.count += len(indices) if type(layer).__name__ == counter.name else 0
            return many(layer, args, kwargs, target, indices, values, copy)

        remote.RemoteLayer.forward, remote.RemoteLayer.forward_many = counted_forward, counted_many


def measure(counter: Counter, name: str, path: Path, run_dir: Path, init: dict, mode: str, runs: int):
    counter.name = name
    options = Options(run_dir=str(run_dir), init=init, mode=mode, targets=(name,), shrink=False, timeout=600)

    def once():
        counter.count = counter.elements = 0
        return verify_file(str(path), options), counter.count

    seconds, (report, forwards) = median_time(once, runs=runs)
    return seconds, forwards, report


def main(runs: int = 3, full_limit: int = 20_000) -> None:
    counter = Counter()
    start, _ = median_time(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), runs=5)
    print(f"baseline: python start-up {start * 1000:.0f} ms", flush=True)
    print(f"{'network':<20} {'elements':>9} {'variants':>8} {'now: s':>8} {'forwards':>9} {'full: s':>8} {'forwards':>9}  verdict")
    for name, path, run_dir, init in NETWORKS:
        now, now_forwards, report = measure(counter, name, path, run_dir, init, "auto", runs)
        elements = counter.elements
        verdict = "pass" if report.status == 0 else "FAIL"
        if elements <= full_limit:
            full, full_forwards, full_report = measure(counter, name, path, run_dir, init, "full", 1)
            before = f"{full:>8.2f} {full_forwards:>9}"
            verdict += f" (full: {'pass' if full_report.status == 0 else 'FAIL'}); {full / now:.1f}x faster than full"
        else:  # two network forwards per element and variant: hours at these sizes, so counted, not run
            before = f"{'not run':>8} {2 * elements * len(report.results):>9}"
        print(f"{name:<20} {elements:>9} {len(report.results):>8} {now:>8.2f} {now_forwards:>9} {before}  {verdict}; "
              f"{now / start:.0f}x python start-up", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
