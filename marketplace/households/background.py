"""The registry import and the household export, run as jobs."""
