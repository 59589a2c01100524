"""Run the command-line interface with ``python -m feedback``."""

from feedback.cli import main

if __name__ == "__main__":
    main()
