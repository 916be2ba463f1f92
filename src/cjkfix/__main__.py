"""``python -m cjkfix``: the command line tool."""

from cjkfix.cli import main

raise SystemExit(main())
