"""What the skill says, per locale, as data (JSON beside this file).

The package face only re-exports: the loader (loader.py) reads and validates a
locale's files once; the records (records.py) are what the moves read.
"""

from skill.content.loader import (
                                  CONTENT_DIR,
                                  DEFAULT_LOCALE,
                                  Content,
                                  ContentError,
                                  load,
                                  resolve_locale,
                                  supported_locales,
)
from skill.content.records import Answer, Hold, Line, Routine, Step

__all__ = ["CONTENT_DIR", "DEFAULT_LOCALE", "Answer", "Content", "ContentError", "Hold", "Line", "Routine",
           "Step", "load", "resolve_locale", "supported_locales"]
