"""``python -m gradcheck`` runs the command line."""

from .cli import main

main()
