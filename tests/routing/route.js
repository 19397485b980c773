// Routes phrases the way virtual-alexa does: its own exact matcher over our interaction model
// (virtual-core's Utterance), without its launch-word shortcut ("tell", "ask", "open" anywhere
// in a phrase would otherwise be taken for a launch). Reads {model, locale, phrases} on stdin;
// prints one JSON array: {intent, slots} per phrase, intent null when nothing matched.
const va = require("virtual-alexa");
const { Utterance } = require("virtual-core");

const script = JSON.parse(require("fs").readFileSync(0, "utf8"));
const alexa = va.VirtualAlexa.Builder()
  .skillURL("http://127.0.0.1:9/unused")
  .interactionModelFile(script.model)
  .locale(script.locale)
  .create();
const model = alexa.context().interactionModel();
const routed = script.phrases.map((phrase) => {
  const utterance = new Utterance(model, phrase);
  return utterance.matched() ? { intent: utterance.intent(), slots: utterance.toJSON() }
                             : { intent: null, slots: {} };
});
process.stdout.write(JSON.stringify(routed));
