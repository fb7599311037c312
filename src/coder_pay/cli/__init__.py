"""The command-line interface: options in, a query to the model, a renderer out.

Exit codes (see README "Exit codes", made from runtime.EXIT_MEANINGS): 0 success, 1 data-table or runtime
error, 2 usage error, 3 batch/audit rows failed, 4 the output could not be written, 130 interrupted.

The map: runtime.py (the app, output, errors -> exit codes, `main`), options.py (the profile options,
declared once, and the other shared options), complete.py (shell completion), commands.py (estimate,
take-home, states, compare, certs, career, offer), batch_cmd.py (batch), audit_cmd.py (audit), data_cmd.py (data ...).
"""

from coder_pay.table import load_table, resolve_path

# Importing a module registers its commands; --help lists them in this order.
# isort: off
from . import commands  # noqa: F401
from . import batch_cmd  # noqa: F401
from . import audit_cmd  # noqa: F401
from . import data_cmd  # noqa: F401
# isort: on
from .complete import (
    complete_add_cert,
    complete_cert,
    complete_col,
    complete_level,
    complete_setting,
    complete_sort,
    complete_specialty,
    complete_state,
)
from .runtime import Exit, app, finish_commands, main

finish_commands(app)

__all__ = ["Exit", "app", "complete_add_cert", "complete_cert", "complete_col", "complete_level", "complete_setting",
           "complete_sort", "complete_specialty", "complete_state", "load_table", "main", "resolve_path"]
