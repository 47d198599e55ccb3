"""Dev-only: the Zalo stand-in, its chat simulator, the sample data and the `make run` server."""
