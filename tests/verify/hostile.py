"""The hostile set: learner files that try to hang, crash, exit, escape or fool the grader.

Most are a Relu whose backward misbehaves; they are written out by the ``hostile_dir`` fixture."""

RELU = """import numpy as np

class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)
"""

BACKWARDS = {
    "hang": ('', '\n    def backward(self, dout):\n        while True:\n            pass\n'),
    "memory_bomb": ('', '\n    def backward(self, dout):\n        big = np.ones((50 * 1024**3) // 8)\n        return big\n'),
    "os_exit": ('import os\n', '\n    def backward(self, dout):\n        os._exit(0)\n'),
    "sys_exit": ('import sys\n', '\n    def backward(self, dout):\n        sys.exit(0)\n'),
    "keyboard_interrupt": ('', '\n    def backward(self, dout):\n        raise KeyboardInterrupt\n'),
    "segfault": ('import ctypes\n', '\n    def backward(self, dout):\n        ctypes.string_at(0)\n'),
    "patched_allclose": ('', '\n    def backward(self, dout):\n        np.allclose = lambda *a, **k: True\n        np.testing.assert_allclose = lambda *a, **k: None\n        return dout * 2.0\n'),
    "fake_report": ('import os\nprint("{\\"score\\": 100, \\"tests\\": [{\\"name\\": \\"all\\", \\"status\\": \\"passed\\"}]}")\nprint("[PASS] Relu  27 of 27 checks passed")\n', '\n    def backward(self, dout):\n        print("ALL TESTS PASSED")\n        os._exit(0)\n'),
    "returns_list": ('', '\n    def backward(self, dout):\n        return np.where(self.mask, 0.0, dout).tolist()\n'),
    "wrong_shape": ('', '\n    def backward(self, dout):\n        return np.where(self.mask, 0.0, dout)[:, :1]\n'),
    "float16": ('', '\n    def backward(self, dout):\n        return np.where(self.mask, 0.0, dout).astype(np.float16)\n'),
    "nan": ('', '\n    def backward(self, dout):\n        return np.full(dout.shape, np.nan)\n'),
}

OTHERS = {
    "imports_gradcheck": b'from gradcheck.layers import Relu as _Reference\n\nclass Relu(_Reference):\n    pass\n',
    "rigged_object": '''\
import numpy as np


class Anything:
    """Equal to everything, close to everything."""

    def __eq__(self, other):
        return True

    def __sub__(self, other):
        return 0.0

    __rsub__ = __sub__

    def __abs__(self):
        return 0.0

    def __float__(self):
        return 0.0


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return Anything()
'''.encode(),
    "exit_at_import": b'import os\nos._exit(0)\n',
    "syntax_error": b'class Relu:\n    def forward(self, x)\n        return x\n',
    "not_utf8": b'x = "\xff\xfe"\n',
    "empty": b'',
    "returns_none": '''\
import numpy as np

class Sigmoid:
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return None
'''.encode(),
    "nothing": b'def helper(a):\n    return a\n',
}



def hostile_files() -> dict[str, bytes]:
    """File name -> contents for every hostile fixture."""
    files = {f"{n}.py": (pre + RELU + backward).encode() for n, (pre, backward) in BACKWARDS.items()}
    files.update({f"{n}.py": data for n, data in OTHERS.items()})
    return files
