"""Reading settings from the environment, each with the default development runs on."""

import os


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_links(name):
    """Named web addresses, "Name=https://address" separated by commas (the footer's social
    links). A malformed one stops the server with the variable's name, rather than showing
    readers a broken link."""
    links = []
    for item in env_list(name):
        label, sep, address = item.partition("=")
        label, address = label.strip(), address.strip()
        if not sep or not label or not address.startswith("https://") or " " in address:
            raise ValueError(f'{name}: "{item}" is not Name=https://address (commas between links).')
        links.append((label, address))
    return links
