"""Shared pytest configuration."""

import matplotlib

matplotlib.use("Agg")
