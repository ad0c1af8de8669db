"""bench/load.py only: the production settings with the reference view's URLs."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
