"""`python -m audiobook`."""

from .cli import main

main()
