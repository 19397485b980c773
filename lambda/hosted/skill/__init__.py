"""Cramp Coach: an Alexa skill that talks a person through a night-time leg cramp."""
