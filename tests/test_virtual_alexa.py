"""An independent Alexa client (virtual-alexa) talking to a real `python -m skill serve`."""

from tests.virtual_alexa.client import converse


def test_open_the_skill_and_walk_into_the_routine(open_server):
    launch, nxt, repeat, stop = converse(open_server.url, [
        {"launch": True}, {"utter": "next"}, {"utter": "repeat"}, {"utter": "stop"}])
    assert launch.speech.startswith("Let's ease that cramp.")
    assert "pull your toes up toward your shin" in nxt
    assert repeat.speech == nxt.speech
    assert stop.ended and "Take care" in stop
