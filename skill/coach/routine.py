"""The routine engine: moving through an ordered list of steps from content.

It only changes a RoutineState; what is said about a move is the moves'
business (skill.coach.moves). The relief routines and the bedtime stretch run on the same engine.
"""

from __future__ import annotations

from typing import Optional

from skill.coach.conversation import RoutineState
from skill.content import Content, Routine, Step

LONG_CRAMP_SECONDS = 10 * 60


def begin(name: str, muscle: str, now: float) -> RoutineState:
    return RoutineState(name=name, step=0, muscle=muscle, started_at=now)


def routine_of(content: Content, state: RoutineState) -> Routine:
    return content.routine(state.name)


def current_step(content: Content, state: RoutineState) -> Optional[Step]:
    """The step the person is on, or None once the routine is finished."""
    steps = routine_of(content, state).steps
    return None if state.finished(len(steps)) else steps[state.step]


def in_progress(content: Content, state: Optional[RoutineState]) -> bool:
    """A routine has been started and still has a step to do."""
    return state is not None and current_step(content, state) is not None


def in_progress_by_name(content: Content, state: Optional[RoutineState]) -> bool:
    """In progress, for a state from outside (a store, an old session): its
    routine must still exist and its step still be within it."""
    return (state is not None and content.has_routine(state.name)
            and in_progress(content, state))


def advance(content: Content, state: RoutineState) -> None:
    state.paused = False
    state.step = min(state.step + 1, len(routine_of(content, state).steps))


def go_back(state: RoutineState) -> bool:
    """Step back one; False when already at the first step."""
    state.paused = False
    if state.step == 0:
        return False
    state.step -= 1
    return True


def finish_now(content: Content, state: RoutineState) -> None:
    state.paused = False
    state.step = len(routine_of(content, state).steps)


def restart(state: RoutineState) -> None:
    """From the first step again; the cramp's clock runs on (a restart never resets it)."""
    state.step, state.paused = 0, False


def switch_to_seated(content: Content, state: RoutineState) -> bool:
    """Swap to the sitting or lying variant of the routine, at its first step not
    done already (nothing replayed); False if there is none."""
    routine = routine_of(content, state)
    if not routine.seated:
        return False
    done = {step.id for step in routine.steps[:state.step]}
    seated = content.routine(routine.seated).steps
    state.step = next((index for index, step in enumerate(seated) if step.id not in done),
                      len(seated))
    state.name, state.paused = routine.seated, False
    return True


def next_most_useful(content: Content, state: RoutineState) -> None:
    """When it still hurts: the next step, or once all are done, the stretch again."""
    steps = routine_of(content, state).steps
    if state.step + 1 < len(steps):
        advance(content, state)
    else:
        state.step, state.paused = _first_stretch(steps), False


def _first_stretch(steps: tuple[Step, ...]) -> int:
    """The first step with a counted stretch, or the first step."""
    for index, step in enumerate(steps):
        if step.hold and step.hold.kind == "stretch":
            return index
    return 0


def has_lasted_too_long(state: RoutineState, now: float) -> bool:
    return state.started_at is not None and now - state.started_at >= LONG_CRAMP_SECONDS
