"""cjkfix's modules pickle by reference (by name), wherever cjkfix is installed.

``dill`` (behind Hugging Face ``datasets``' fingerprints and ``num_proc``) pickles a
function from ``__main__`` by value, with the modules it uses. A module whose file is
not under ``sys.prefix`` or in a ``site-packages`` folder (an editable install, a
checkout on ``PYTHONPATH``) it pickles *by value*: its whole ``__dict__``, and so every
submodule and every module-level object, which fails on objects such as a
``contextvars.ContextVar`` and, where it does not fail, hashes lazily filled caches, so
the fingerprint changes as soon as a table loads. A module whose class has a
``__reduce__`` is pickled through it (pickle looks a type up in its dispatch table by
exact type, and ``ModuleType`` subclasses are not in it), so each cjkfix module is
written as "import this name", as it is for a regular install.

    >>> import pickle, cjkfix
    >>> pickle.loads(pickle.dumps(cjkfix)) is cjkfix
    True
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["pickle_by_reference"]


class _ModuleByName(types.ModuleType):
    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return importlib.import_module, (self.__name__,)


def pickle_by_reference(package: str) -> None:
    """Make ``package`` and its submodules imported so far pickle as their names."""
    prefix = package + "."
    for name, module in list(sys.modules.items()):
        if (name == package or name.startswith(prefix)) and type(module) is types.ModuleType:
            # Assigning a module's __class__ is supported for exactly this kind of
            # customisation (see "Customizing module attribute access" in the docs).
            module.__class__ = _ModuleByName
