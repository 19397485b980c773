"""What a screen shows: APL documents, drawings and styles as JSON data, and one
small builder (cards.py). Imported only for a device that renders APL."""
