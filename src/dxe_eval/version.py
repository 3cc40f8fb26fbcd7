"""The package's version, in a module of its own so that the layers below the façade can
name it without importing :mod:`dxe_eval` (whose ``__version__`` is this one)."""

__version__ = "0.1.0"
