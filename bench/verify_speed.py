"""Wall time of the commands a learner runs after each edit: `verify` on one small layer, on ten book layers and
on the bundled example; `derive` and `equiv`.

python bench/verify_speed.py
Baselines measured in the same run: `python -c pass` (interpreter start-up) and `gradcheck --help`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import median_time

ONE = '''
import numpy as np

class Relu:
    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)
'''


def ten_layers() -> str:
    """Ten book layers, taken from the bank's solutions and the bundled example."""
    root = Path(__file__).resolve().parent.parent
    parts = [(root / "exercises" / e / "solution.py").read_text() for e in
             ("computational-graph", "activations", "affine", "softmax-with-loss", "batch-norm", "convolution")]
    return "\n\n".join(parts)


def run(*args) -> float:
    t, proc = median_time(lambda: subprocess.run(args, capture_output=True), runs=5)
    return t


def main():
    with tempfile.TemporaryDirectory() as tmp:
        one, ten = Path(tmp, "one.py"), Path(tmp, "ten.py")
        one.write_text(ONE)
        ten.write_text(ten_layers())
        gradcheck = [sys.executable, "-m", "gradcheck"]
        start = run(sys.executable, "-c", "pass")
        helps = run(*gradcheck, "--help")
        t_one = run(*gradcheck, "verify", str(one))
        t_ten = run(*gradcheck, "verify", str(ten))
        example = str(Path(__file__).resolve().parent.parent / "examples" / "my_layer.py")
        t_example = run(*gradcheck, "verify", example)
        t_derive = run(*gradcheck, "derive", "x**2*sin(x)", "--wrt", "x")
        t_equiv = run(*gradcheck, "equiv", "2*x*sin(x) + x**2*cos(x)", "x*(x*cos(x) + 2*sin(x))")
    print(f"python -c pass (baseline)        median {start:6.3f} s")
    print(f"gradcheck --help                 median {helps:6.3f} s   ({helps / start:4.1f}x start-up)")
    print(f"verify, one small layer (Relu)   median {t_one:6.3f} s   ({t_one / start:4.1f}x start-up)")
    print(f"verify, ten book layers          median {t_ten:6.3f} s   ({t_ten / start:4.1f}x start-up)")
    print(f"verify examples/my_layer.py      median {t_example:6.3f} s   ({t_example / start:4.1f}x start-up)")
    print(f"derive x**2*sin(x)               median {t_derive:6.3f} s   ({t_derive / start:4.1f}x start-up)")
    print(f"equiv (product rule, two forms)  median {t_equiv:6.3f} s   ({t_equiv / start:4.1f}x start-up)")


if __name__ == "__main__":
    main()
