"""ecosim: an agent-based simulation of how life-science clusters (bio-communities) form."""

__version__ = "0.1.0"
