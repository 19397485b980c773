"""The only code that knows the ASK SDK: requests in, a Turn for the coach, the
routing table (dispatch.py), the one respond function, and the platform's own
calls (name-free, reminders, the store). The conversation is skill.coach."""
