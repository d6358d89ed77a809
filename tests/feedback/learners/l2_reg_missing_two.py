import numpy as np

LAMBDA = 0.1


def l2_penalty(w):
    return LAMBDA * np.sum(w ** 2)


def l2_penalty_grad(w):
    return LAMBDA * w
