"""The soak tests (make soak, not part of make test) use the system tests'
fixtures and helpers (tests/system/conftest.py)."""
import importlib.util
import os
import sys

_SYSTEM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system")
sys.path.insert(0, os.path.join(_SYSTEM, "..", "..", "tools"))
_spec = importlib.util.spec_from_file_location("system_conftest",
                                               os.path.join(_SYSTEM, "conftest.py"))
_system = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_system)

rig = _system.rig
boot = _system.boot
focus = _system.focus
