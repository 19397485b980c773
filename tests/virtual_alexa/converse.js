// Drives the real skill endpoint with virtual-alexa, an independent Alexa client that
// matches utterances against our interaction model, as Alexa would.
// Reads {url, model, locale, timestamp?, userId?, turns: [{launch}|{utter}|{intend, slots}|{end}]}
// on stdin; a turn may carry `at` (its request timestamp) and `end` may name a reason
// ("EXCEEDED_MAX_REPROMPTS" for silence). Prints one JSON array: each turn's response or error.
const va = require("virtual-alexa");
const ssmlCheck = require("ssml-check-core");

// Every reply is also checked by an independent SSML checker, with Alexa's rules.
async function ssmlErrors(reply, locale) {
  const response = (reply && reply.response) || {};
  const speeches = [response.outputSpeech, response.reprompt && response.reprompt.outputSpeech];
  const errors = [];
  for (const speech of speeches) {
    if (speech && speech.ssml) {
      const found = await ssmlCheck.check(speech.ssml, { platform: "amazon", locale });
      if (found) errors.push({ ssml: speech.ssml, errors: found });
    }
  }
  return errors;
}

async function main() {
  const script = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const alexa = va.VirtualAlexa.Builder()
    .skillURL(script.url)
    .interactionModelFile(script.model)
    .locale(script.locale)
    .create();
  let timestamp = script.timestamp;
  alexa.filter((request) => {
    if (timestamp) request.request.timestamp = timestamp;
    if (script.userId) {
      request.context.System.user.userId = script.userId;
      if (request.session) request.session.user.userId = script.userId;
    }
  });
  const reasons = { USER_INITIATED: 0, EXCEEDED_MAX_REPROMPTS: 1, ERROR: 2 };
  const results = [];
  for (const turn of script.turns) {
    if (turn.at) timestamp = turn.at;
    try {
      let reply;
      if (turn.launch) reply = await alexa.launch();
      else if (turn.utter !== undefined) reply = await alexa.utter(turn.utter);
      else if (turn.intend) reply = await alexa.intend(turn.intend, turn.slots || {});
      else if (turn.end) reply = await alexa.endSession(reasons[turn.end] || 0);
      results.push({ reply: reply || null, ssmlErrors: await ssmlErrors(reply, script.locale) });
    } catch (error) {
      results.push({ error: String(error && error.message || error) });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => { console.error(error); process.exit(1); });
