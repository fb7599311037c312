"""Rich tables for people, one module per family of commands. Rich is imported inside the functions
that draw, never at module import, so the --json path never loads it. Nothing here computes pay.

The map: console.py (the console and its glyphs), fit.py (tables that fit the terminal, bars,
sparklines), words.py (how money, percents, sources and notes read), and the printers: estimate.py
(estimate, take-home), states.py (states, compare), advice.py (certs, career, offer), data.py (batch
progress, data show, data check), audit.py (audit).
"""

from .advice import print_career, print_certs, print_offer
from .audit import print_audit
from .data import batch_progress, print_data_check, print_data_show
from .estimate import print_estimate, print_take_home
from .states import print_compare, print_states
from .words import grouped_notes

__all__ = ["batch_progress", "grouped_notes", "print_audit", "print_career", "print_certs", "print_compare", "print_data_check",
           "print_data_show", "print_estimate", "print_offer", "print_states", "print_take_home"]
