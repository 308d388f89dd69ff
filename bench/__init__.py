"""`make bench`: the prefecture-scale benchmark (see bench/README.md)."""
