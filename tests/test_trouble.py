"""Trouble that shows: every apology the catch-all speaks is counted (a CloudWatch metric on
Lambda, a field of the web service's request log) and alarmed on, and the web service's
readiness check touches the store beside the liveness /health."""

import json
import logging
import time

import jsonschema
import pytest
from cfnlint.decode import cfn_yaml

from skill import envelopes, log
from skill.alexa import dispatch
from skill.app import lambda_handler
from skill.persistence.sqlite import SQLiteAdapter
from skill.webservice import create_app
from tests.conftest import FAKE_AWS, ROOT, TABLE, free_port
from tests.speech import text_of

APOLOGY = "Sorry, I had a problem there."
PRIVATE = "my private medicine"
FUNCTION = "cramp-coach-SkillFunction-1A2B3C"
SCHEMA = json.loads((ROOT / "tests" / "schemas" / "embedded_metric_format.json").read_text())
TEMPLATE = cfn_yaml.loads((ROOT / "lambda" / "template.yaml").read_text())


@pytest.fixture
def broken_move(monkeypatch):
    """A bug in a move, as a deploy might bring: the cause question raises."""
    def broken(turn):
        raise RuntimeError(f"a bug, while answering about {PRIVATE}")

    monkeypatch.setitem(dispatch.ROUTES, "CausesIntent", broken)


def causes_question() -> dict:
    return envelopes.intent("CausesIntent", {"cause": PRIVATE})


def metric_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith('{"_aws"')]


def test_on_lambda_each_apology_is_one_embedded_metric_line(broken_move, monkeypatch, capsys):
    monkeypatch.setenv(log.LAMBDA_FUNCTION_ENV, FUNCTION)
    handle = lambda_handler()
    capsys.readouterr()
    started = time.time()
    reply = handle(causes_question(), None)
    output = capsys.readouterr().out
    assert text_of(reply["response"]["outputSpeech"]["ssml"]).startswith(APOLOGY)
    assert len(output.splitlines()) == 1, output  # one line, nothing else on stdout
    (line,) = metric_lines(output)
    jsonschema.validate(line, SCHEMA)
    (directive,) = line["_aws"]["CloudWatchMetrics"]
    for dimensions in directive["Dimensions"]:
        assert all(isinstance(line[name], str) for name in dimensions)  # root members
    assert {metric["Name"]: line[metric["Name"]] for metric in directive["Metrics"]} == {
        "Apologies": 1}
    assert line["FunctionName"] == FUNCTION
    assert abs(line["_aws"]["Timestamp"] / 1000 - started) < 5
    assert line["requestType"] == "IntentRequest" and line["error"] == "RuntimeError"
    assert PRIVATE not in output  # neither the slot nor the exception's message


def test_a_healthy_answer_and_an_edge_without_lambda_print_no_metric(broken_move, monkeypatch,
                                                                    capsys):
    monkeypatch.setenv(log.LAMBDA_FUNCTION_ENV, FUNCTION)
    lambda_handler()(envelopes.launch(), None)
    assert metric_lines(capsys.readouterr().out) == []
    monkeypatch.delenv(log.LAMBDA_FUNCTION_ENV)  # the console, the web service
    reply = lambda_handler()(causes_question(), None)
    assert text_of(reply["response"]["outputSpeech"]["ssml"]).startswith(APOLOGY)
    assert capsys.readouterr().out == ""


def test_the_apologies_alarm_watches_the_metric_the_skill_writes(broken_move, monkeypatch, capsys):
    monkeypatch.setenv(log.LAMBDA_FUNCTION_ENV, FUNCTION)
    lambda_handler()(causes_question(), None)
    (line,) = metric_lines(capsys.readouterr().out)
    (directive,) = line["_aws"]["CloudWatchMetrics"]
    alarm = TEMPLATE["Resources"]["ApologiesAlarm"]["Properties"]
    assert alarm["Namespace"] == directive["Namespace"]
    assert {"Name": alarm["MetricName"], "Unit": "Count"} in directive["Metrics"]
    assert [[dimension["Name"] for dimension in alarm["Dimensions"]]] == directive["Dimensions"]
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "SkillFunction"}}]
    assert alarm["Threshold"] == 1 and alarm["ComparisonOperator"] == \
        "GreaterThanOrEqualToThreshold" and alarm["TreatMissingData"] == "notBreaching"


@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_lambdas_own_errors_and_throttles_are_alarmed_on(metric):
    (alarm,) = [resource["Properties"] for resource in TEMPLATE["Resources"].values()
                if resource["Type"] == "AWS::CloudWatch::Alarm"
                and resource["Properties"].get("MetricName") == metric]
    assert alarm["Namespace"] == "AWS/Lambda"
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "SkillFunction"}}]
    assert alarm["Threshold"] == 1 and alarm["Statistic"] == "Sum"


def test_the_alarms_write_to_the_hosts_email_when_one_is_given():
    topic = TEMPLATE["Resources"]["AlarmTopic"]
    assert topic["Condition"] == "HasAlarmEmail"
    assert topic["Properties"]["Subscription"] == [{"Protocol": "email",
                                                     "Endpoint": {"Ref": "AlarmEmail"}}]
    for resource in TEMPLATE["Resources"].values():
        if resource["Type"] == "AWS::CloudWatch::Alarm":
            assert resource["Properties"]["AlarmActions"] == {"Fn::If": [
                "HasAlarmEmail", [{"Ref": "AlarmTopic"}], {"Ref": "AWS::NoValue"}]}


# The web service: the same count in its request log, and a readiness check.
def request_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "skill.requests"]


def test_the_request_log_counts_the_apologies(broken_move, caplog):
    client = create_app(verify=False).test_client()
    with caplog.at_level(logging.INFO, logger="skill.requests"):
        healthy = client.post("/", json=envelopes.launch())
        broken = client.post("/", json=causes_question())
        again = client.post("/", json=envelopes.intent("AMAZON.HelpIntent"))
    assert healthy.status_code == broken.status_code == again.status_code == 200
    assert text_of(broken.get_json()["response"]["outputSpeech"]["ssml"]).startswith(APOLOGY)
    lines = request_lines(caplog)
    assert len(lines) == 3
    assert [line.rsplit(" ", 1)[1] for line in lines] == ["apologies=0", "apologies=1",
                                                           "apologies=0"]
    assert "intent=CausesIntent status=200" in lines[1]
    assert not any(PRIVATE in line for line in lines)


def test_ready_when_the_store_answers(tmp_path):
    client = create_app(verify=False,
                        persistence_adapter=SQLiteAdapter(tmp_path / "prefs.sqlite3")).test_client()
    reply = client.get("/ready")
    assert reply.status_code == 200 and reply.get_json() == {"status": "ready", "store": "ok"}


def test_not_ready_when_the_store_cannot_answer_though_alive(tmp_path, caplog):
    (tmp_path / "file").write_text("not a folder")
    client = create_app(verify=False, persistence_adapter=SQLiteAdapter(
        tmp_path / "file" / "prefs.sqlite3")).test_client()
    reply = client.get("/ready")
    assert reply.status_code == 503
    assert reply.get_json() == {"status": "unavailable", "store": "not answering"}
    assert client.get("/health").get_json() == {"status": "ok"}
    assert "the store did not answer" in caplog.text and str(tmp_path) not in caplog.text


def test_ready_without_a_store_says_there_is_none():
    reply = create_app(verify=False).test_client().get("/ready")
    assert reply.status_code == 200 and reply.get_json() == {"status": "ready", "store": "none"}


@pytest.mark.parametrize("reachable", [True, False], ids=["table", "closed-port"])
def test_readiness_reads_the_dynamodb_table_within_its_deadline(reachable, dynamodb_endpoint,
                                                                monkeypatch):
    for key, value in FAKE_AWS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb_endpoint if reachable
                       else f"http://127.0.0.1:{free_port()}")
    from skill.persistence.dynamodb import dynamodb_store

    client = create_app(verify=False, persistence_adapter=dynamodb_store(TABLE)).test_client()
    started = time.monotonic()
    reply = client.get("/ready")
    assert reply.status_code == (200 if reachable else 503)
    assert time.monotonic() - started < 2
