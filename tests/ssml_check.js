// An independent SSML check (npm ssml-check-core, Alexa's rules): reads one JSON line
// per check, {"ssml": "...", "locale": "en-GB"}, and answers one JSON line: the errors
// found, or null. Kept running for a whole test session, so each check is quick.
const ssmlCheck = require("ssml-check-core");
const lines = require("readline").createInterface({ input: process.stdin });
let queue = Promise.resolve();

lines.on("line", (line) => {
  queue = queue.then(async () => {
    let answer;
    try {
      const { ssml, locale } = JSON.parse(line);
      answer = (await ssmlCheck.check(ssml, { platform: "amazon", locale })) || null;
    } catch (error) {
      answer = [{ type: "checker failed", message: String(error) }];
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
  });
});
