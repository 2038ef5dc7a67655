import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import bot.nlu  # noqa: F401  (installs the speed-ups, as loading our model does)
from bot import speedups


def _action() -> RemoteAction:
    return RemoteAction("action_answer", None)


def test_rasa_uses_the_compiled_validator():
    assert RemoteAction._validate_action_result is speedups._validate_action_result
    assert speedups.action_response_validator() is speedups.action_response_validator()


def test_a_valid_action_response_passes():
    result = {"events": [{"event": "slot", "name": "procedure", "value": "cap-ho-chieu"}],
              "responses": [{"text": "Xin chào"}]}
    assert _action()._validate_action_result(result) is True


def test_an_invalid_action_response_fails_with_rasas_message():
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        _action()._validate_action_result({"events": "not a list"})
