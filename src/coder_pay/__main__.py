"""`python -m coder_pay` runs the command-line interface."""

from .cli import main

raise SystemExit(main())
