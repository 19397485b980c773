// Drives the real skill endpoint with virtual-alexa, an independent Alexa client that
// matches utterances against our interaction model, as Alexa would.
// Reads {url, model, locale, turns: [{launch}|{utter}|{intend, slots}|{end}]} on stdin;
// prints one JSON array: the response (or error) of each turn.
const va = require("virtual-alexa");

async function main() {
  const script = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const alexa = va.VirtualAlexa.Builder()
    .skillURL(script.url)
    .interactionModelFile(script.model)
    .locale(script.locale)
    .create();
  if (script.timestamp) {
    alexa.filter((request) => { request.request.timestamp = script.timestamp; });
  }
  const results = [];
  for (const turn of script.turns) {
    try {
      let reply;
      if (turn.launch) reply = await alexa.launch();
      else if (turn.utter !== undefined) reply = await alexa.utter(turn.utter);
      else if (turn.intend) reply = await alexa.intend(turn.intend, turn.slots || {});
      else if (turn.end) reply = await alexa.endSession();
      results.push({ reply: reply || null });
    } catch (error) {
      results.push({ error: String(error && error.message || error) });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => { console.error(error); process.exit(1); });
