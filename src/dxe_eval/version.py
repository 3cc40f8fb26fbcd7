"""The version of dxe_eval, in the base layer: every layer may read it."""

__version__ = "0.1.0"
