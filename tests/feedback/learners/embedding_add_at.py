import numpy as np


def word_embedding_forward(x, W):
    """
    Inputs:
    - x: Integer array of shape (N, T) giving indices of words.
    - W: Weight matrix of shape (V, D) giving word vectors for all words.

    Returns a tuple of:
    - out: Array of shape (N, T, D) giving word vectors for all input words.
    - cache: Values needed for the backward pass
    """
    out = W[x]
    return out, (x, W)


def word_embedding_backward(dout, cache):
    """
    Inputs:
    - dout: Upstream gradients of shape (N, T, D)
    - cache: Values from the forward pass

    Returns:
    - dW: Gradient of word embedding matrix, of shape (V, D)
    """
    x, W = cache
    dW = np.zeros_like(W)
    dW[x] += dout
    return dW
