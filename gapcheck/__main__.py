"""``python -m gapcheck`` runs the same command line as the ``gapcheck`` script."""

from gapcheck.console import main

main()
