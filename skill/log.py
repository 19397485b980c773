"""Logging for the skill, imported on first use.

The skill logs only when something fails, and importing the logging module
costs every Lambda cold start about 4 ms, so it is loaded when first needed.
"""


def _logger():
    import logging

    return logging.getLogger("skill")


def info(message: str, *args, **kwargs) -> None:
    _logger().info(message, *args, **kwargs)


def warning(message: str, *args, **kwargs) -> None:
    _logger().warning(message, *args, **kwargs)


def error(message: str, *args, **kwargs) -> None:
    _logger().error(message, *args, **kwargs)
