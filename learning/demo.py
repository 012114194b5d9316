"""Demo data of the learning app."""
from . import ce_demo


def load(stdout):
    ce_demo.load(stdout)
