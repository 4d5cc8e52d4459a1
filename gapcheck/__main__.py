"""``python -m gapcheck`` runs the same command line as the ``gapcheck`` script."""

from gapcheck.cli import main

main()
