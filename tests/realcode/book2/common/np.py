# coding: utf-8
from common.config import GPU

if GPU:
    import cupy as np
else:
    import numpy as np
