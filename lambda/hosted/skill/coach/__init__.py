"""The conversation, in pure Python: the state, the routine engine, the replies and
every move. Nothing here imports the ASK SDK (tests/test_layout.py holds the rule):
skill.alexa turns requests into a Turn and replies into responses.
"""
