# coding: utf-8
# set GPU = True to run on CuPy
GPU = False
