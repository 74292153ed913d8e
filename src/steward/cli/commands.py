"""Imports every command module so that each registers on ``app``."""

# Each line adds one command group; keep them sorted.
