"""The core package (its blueprint `bp` is in views.py; the app factory imports it)."""
