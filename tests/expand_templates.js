// Expands templates with the npm package alexa-utterances (exhaustive mode), the expander
// tools/grammar.py follows. Reads [{template, dictionary}] on stdin; prints the expansions.
const utterances = require("alexa-utterances");
const jobs = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(jobs.map((job) => utterances(job.template, {}, job.dictionary, true))));
